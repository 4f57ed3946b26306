package io.weft.scheduler.task;

import io.weft.WeftConf;
import io.weft.config.SchedulerOptions;

/**
 * How long a task set waits at each locality level for a slot there before it accepts the next
 * worse level: {@code weft.locality.wait.process}, {@code .node} and {@code .rack}, each
 * defaulting to {@code weft.locality.wait}.
 */
public record LocalityWaits(long processMs, long nodeMs, long rackMs) {
  public static LocalityWaits of(long allMs) {
    return new LocalityWaits(allMs, allMs, allMs);
  }

  public static LocalityWaits from(WeftConf conf) {
    long all = conf.get(SchedulerOptions.LOCALITY_WAIT);
    return new LocalityWaits(orElse(conf.get(SchedulerOptions.LOCALITY_WAIT_PROCESS), all),
        orElse(conf.get(SchedulerOptions.LOCALITY_WAIT_NODE), all),
        orElse(conf.get(SchedulerOptions.LOCALITY_WAIT_RACK), all));
  }

  private static long orElse(Long value, long fallback) {
    return value != null ? value : fallback;
  }

  /** The wait at {@code level}; 0 at levels nothing waits at (NO_PREF, ANY). */
  public long waitMs(TaskLocality level) {
    return switch (level) {
      case PROCESS_LOCAL -> processMs;
      case NODE_LOCAL -> nodeMs;
      case RACK_LOCAL -> rackMs;
      case NO_PREF, ANY -> 0;
    };
  }
}
