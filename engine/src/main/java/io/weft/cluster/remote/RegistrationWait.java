package io.weft.cluster.remote;

import io.weft.WeftConf;
import io.weft.config.ExecutorOptions;
import io.weft.config.SchedulerOptions;

/**
 * When the driver stops waiting for its executors at start and begins scheduling: once
 * {@code minRatio} of the asked executors have registered; or, with at least one registered,
 * after {@code maxWaitMs}; or, with none, it fails after {@code timeoutMs}. A cluster with room
 * for half the executors thus starts after the short wait, not the registration timeout.
 *
 * <p>Worked example: 8 asked, ratio 0.8, max wait 30 s, timeout 120 s. With 7 registered it
 * starts at once (7 ≥ 6.4); with 4 it starts at 30 s; with 0 it fails at 120 s.
 *
 * <p>Pure: a function of its arguments; the caller owns the clock.
 */
record RegistrationWait(int asked, double minRatio, long maxWaitMs, long timeoutMs) {
  enum Decision { WAIT, START, FAIL }

  static RegistrationWait of(WeftConf conf, ExecutorProvisioner provisioner) {
    Double ratio = conf.get(SchedulerOptions.MIN_REGISTERED_RATIO);
    return new RegistrationWait(provisioner.executorCount(),
        ratio != null ? ratio : provisioner.defaultMinRegisteredRatio(),
        conf.get(SchedulerOptions.MAX_REGISTERED_WAIT), conf.get(ExecutorOptions.REGISTRATION_TIMEOUT));
  }

  /** What to do with {@code registered} executors {@code elapsedMs} after they were asked for. */
  Decision decide(int registered, long elapsedMs) {
    if (asked == 0 || registered >= asked || (registered >= 1 && registered >= asked * minRatio)) {
      return Decision.START;
    }
    if (registered >= 1 && elapsedMs >= maxWaitMs) {
      return Decision.START;
    }
    if (elapsedMs >= timeoutMs) {
      return registered == 0 ? Decision.FAIL : Decision.START;
    }
    return Decision.WAIT;
  }

  /** How long to wait from {@code elapsedMs} before the decision can change without a registration. */
  long untilNextDeadlineMs(long elapsedMs) {
    long next = elapsedMs < maxWaitMs ? maxWaitMs : timeoutMs;
    return Math.max(1, Math.min(next, timeoutMs) - elapsedMs);
  }
}
