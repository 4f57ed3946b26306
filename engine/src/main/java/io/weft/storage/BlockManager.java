package io.weft.storage;

import io.weft.StorageLevel;
import io.weft.TaskContext;
import java.util.Iterator;
import java.util.function.Supplier;

/** SKELETON — replaced by the storage work (helper): cached partitions in memory and on disk. */
public final class BlockManager {
  public BlockManager(LocalDirs dirs, long memoryBytes, io.weft.serialization.Serializer serializer) {}

  public <T> Iterator<T> getOrCompute(int nodeId, int partition, StorageLevel level,
      Supplier<Iterator<T>> compute, TaskContext task) {
    throw new UnsupportedOperationException("skeleton");
  }

  public void removeNode(int nodeId) {}
}
