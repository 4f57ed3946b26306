package io.weft.serialization;

import java.io.Serializable;

/**
 * Turns records into bytes and back, for shuffle files, spills, cached blocks and task results.
 * A serializer is shipped inside a stage's task binary, so it is itself serializable; it hands
 * out {@link SerializerInstance}s, which are not thread-safe and are used by one task at a time.
 */
public interface Serializer extends Serializable {
  SerializerInstance newInstance();
}
