package io.weft.shuffle;

import java.io.Serializable;

/**
 * Where one map task's shuffle output lives: the executor that wrote it and the address of that
 * executor's block server. Reduce tasks get one per map partition with their task.
 */
public record MapOutputLocation(String executorId, String host, int port) implements Serializable {}
