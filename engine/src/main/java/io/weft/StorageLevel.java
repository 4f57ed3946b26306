package io.weft;

/**
 * Where {@link Dataset#persist(StorageLevel)} keeps computed partitions. Memory is bounded by
 * {@code weft.storage.memoryFraction}; when it is full the least recently used partitions are
 * evicted (MEMORY_ONLY drops them and recomputes from lineage on the next use; MEMORY_AND_DISK
 * writes them to the executor's local disk).
 */
public enum StorageLevel {
  NONE(false, false),
  MEMORY_ONLY(true, false),
  MEMORY_AND_DISK(true, true),
  DISK_ONLY(false, true);

  private final boolean useMemory;
  private final boolean useDisk;

  StorageLevel(boolean useMemory, boolean useDisk) {
    this.useMemory = useMemory;
    this.useDisk = useDisk;
  }

  public boolean useMemory() {
    return useMemory;
  }

  public boolean useDisk() {
    return useDisk;
  }
}
