package io.weft.config;

import static io.weft.config.ConfigEntry.bytesOrDisabledConf;

/** Settings that choose how joins run (see docs/JOINS.md). */
public final class JoinOptions {
  private JoinOptions() {}

  public static final ConfigEntry<Long> BROADCAST_THRESHOLD = bytesOrDisabledConf("weft.join.broadcastThreshold")
      .doc("A join whose smaller side is estimated (from its input files' sizes) at no more than this many "
          + "bytes runs as a broadcast hash join: that side is collected to the driver and shipped once "
          + "to each executor, and the other side is joined where it lies, without a shuffle. -1 disables "
          + "the automatic choice; JoinHint.BROADCAST still forces it. Applies to the join overloads "
          + "without an explicit partitioner or partition count.")
      .defaultValue("10m")
      .check(n -> n >= -1, "-1 or a size")
      .register();
}
