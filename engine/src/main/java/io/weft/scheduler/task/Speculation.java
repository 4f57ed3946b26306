package io.weft.scheduler.task;

import io.weft.WeftConf;
import io.weft.config.FaultToleranceOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When to give a straggling task a copy ({@code weft.speculation.*}, as Spark's
 * {@code spark.speculation.*}). Every {@code interval} the task scheduler asks each active task
 * set: once {@code quantile} of its tasks finished, a task running longer than {@code multiplier}
 * times their median duration (and at least {@code minTaskRuntime}) is marked speculatable, and
 * the next free slot on another executor takes a copy ({@link TaskSetManager#offer}). The first
 * attempt to succeed wins and the others are killed; the output commit coordinator lets only one
 * attempt commit a partition.
 *
 * <p>Example: 8 tasks, quantile 0.75, multiplier 1.5; six finished in 2, 2, 3, 3, 3 and 4 s: the
 * median is 3 s, so at the check after 4.5 s the two still running get copies.
 *
 * <p>Threading: owned by the scheduler's event thread; checks ride on the task scheduler's timer.
 */
public final class Speculation {
  private static final Logger LOG = LoggerFactory.getLogger(Speculation.class);

  /** Speculation turned off. */
  public static final Speculation OFF = new Speculation(false, 1, 1, 1, 0);

  private final boolean enabled;
  private final long intervalMs;
  private final double quantile;
  private final double multiplier;
  private final long minRuntimeMs;
  private long nextCheckMs = Long.MIN_VALUE;

  public Speculation(boolean enabled, long intervalMs, double quantile, double multiplier, long minRuntimeMs) {
    this.enabled = enabled;
    this.intervalMs = intervalMs;
    this.quantile = quantile;
    this.multiplier = multiplier;
    this.minRuntimeMs = minRuntimeMs;
  }

  public static Speculation from(WeftConf conf) {
    return new Speculation(conf.get(FaultToleranceOptions.SPECULATION),
        conf.get(FaultToleranceOptions.SPECULATION_INTERVAL), conf.get(FaultToleranceOptions.SPECULATION_QUANTILE),
        conf.get(FaultToleranceOptions.SPECULATION_MULTIPLIER), conf.get(FaultToleranceOptions.SPECULATION_MIN_RUNTIME));
  }

  /** Marks stragglers in {@code taskSets} if a check is due at {@code now}; returns how many were marked. */
  int checkIfDue(List<TaskSetManager> taskSets, long now) {
    if (!enabled || now < nextCheckMs) {
      return 0;
    }
    nextCheckMs = now + intervalMs;
    int marked = 0;
    for (TaskSetManager tsm : taskSets) {
      int n = tsm.markStragglers(now, quantile, multiplier, minRuntimeMs);
      if (n > 0) {
        LOG.info("Speculating {} task(s) of {}", n, tsm.taskSet().name());
        marked += n;
      }
    }
    return marked;
  }

  /** When the next check is due if some task set still runs tasks, or -1. */
  long nextCheckMs(List<TaskSetManager> taskSets) {
    if (!enabled || taskSets.stream().noneMatch(t -> !t.isZombie() && t.hasRunningTasks())) {
      return -1;
    }
    return nextCheckMs;
  }
}
