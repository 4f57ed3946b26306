package io.weft.network.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A decoded block answer: the request it answers and the block's bytes. The receiver owns
 * {@code data} and must release it (or hand it to someone who will).
 */
public record BlockFrame(long requestId, ByteBuf data) {}
