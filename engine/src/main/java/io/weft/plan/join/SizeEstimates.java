package io.weft.plan.join;

import io.weft.io.TextFilePartition;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import java.util.HashMap;
import java.util.Map;

/**
 * Estimates how many bytes a node's data takes, from what the driver knows without running
 * anything: the sizes of the input files under it. Narrow steps and shuffles are assumed to keep
 * the size of what they read (a filter may shrink it, a flatMap grow it); a union adds its
 * parents. A source that is not a text file (a parallelized list, a cached node's origin unknown)
 * makes the estimate unknown, so such a side is never broadcast automatically.
 *
 * <p>Driver only: it computes partitions, which lists the input files.
 */
public final class SizeEstimates {
  /** What {@link #bytes} returns when it cannot tell. */
  public static final long UNKNOWN = -1;

  private SizeEstimates() {}

  /** Estimated bytes of {@code node}'s data, or {@link #UNKNOWN}. */
  public static long bytes(Node<?> node) {
    return bytes(node, new HashMap<>());
  }

  private static long bytes(Node<?> node, Map<Integer, Long> seen) {
    Long known = seen.get(node.id());
    if (known != null) {
      return known;
    }
    long size;
    if (node.dependencies().isEmpty()) {
      size = sourceBytes(node);
    } else {
      size = 0;
      for (Dependency dep : node.dependencies()) {
        long parent = bytes(dep.parent(), seen);
        if (parent == UNKNOWN) {
          size = UNKNOWN;
          break;
        }
        size += parent;
      }
    }
    seen.put(node.id(), size);
    return size;
  }

  private static long sourceBytes(Node<?> source) {
    long total = 0;
    for (Partition p : source.partitions()) {
      if (!(p instanceof TextFilePartition t)) {
        return UNKNOWN;
      }
      total += t.length();
    }
    return total;
  }

  /** {@code 1234567} as {@code "1.2 MB"}; {@code "unknown"} for {@link #UNKNOWN}. */
  public static String format(long bytes) {
    if (bytes == UNKNOWN) {
      return "unknown";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
