package io.weft.storage;

import java.io.Serializable;

/** A cached partition: partition {@code partition} of lineage node {@code nodeId}. */
public record BlockId(int nodeId, int partition) implements Serializable {
  /** The block's file name in the executor's block directory. */
  public String fileName() {
    return "node_" + nodeId + "_" + partition;
  }
}
