package io.weft.executor;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/** This JVM's total garbage-collection time so far, read at task start and end. Thread-safe. */
final class GcTime {
  private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

  private GcTime() {}

  static long totalMs() {
    long total = 0;
    for (GarbageCollectorMXBean gc : COLLECTORS) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }
}
