package io.weft.cluster.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.WeftConf;
import io.weft.cluster.remote.RegistrationWait.Decision;
import org.junit.jupiter.api.Test;

class RegistrationWaitTest {
  /** 8 asked, ratio 0.8, 30 s wait, 120 s timeout: the class doc's worked example. */
  private final RegistrationWait wait = new RegistrationWait(8, 0.8, 30_000, 120_000);

  @Test
  void startsOnceTheRatioHasRegistered() {
    assertEquals(Decision.WAIT, wait.decide(6, 0)); // 6 < 6.4
    assertEquals(Decision.START, wait.decide(7, 0));
    assertEquals(Decision.START, wait.decide(8, 0));
  }

  @Test
  void halfAClusterStartsAfterTheShortWaitNotTheRegistrationTimeout() {
    assertEquals(Decision.WAIT, wait.decide(4, 29_999));
    assertEquals(Decision.START, wait.decide(4, 30_000));
    assertEquals(30_000 - 1_000, wait.untilNextDeadlineMs(1_000));
  }

  @Test
  void noExecutorWaitsUntilTheRegistrationTimeoutAndThenFails() {
    assertEquals(Decision.WAIT, wait.decide(0, 30_000));
    assertEquals(90_000, wait.untilNextDeadlineMs(30_000));
    assertEquals(Decision.FAIL, wait.decide(0, 120_000));
  }

  @Test
  void ratioZeroStillWaitsForOneExecutor() {
    RegistrationWait any = new RegistrationWait(4, 0.0, 30_000, 120_000);
    assertEquals(Decision.WAIT, any.decide(0, 10));
    assertEquals(Decision.START, any.decide(1, 10));
  }

  @Test
  void defaultRatioComesFromTheProvisionerUnlessSet() {
    WeftConf conf = new WeftConf(false);
    RegistrationWait byDefault = RegistrationWait.of(conf, new FixedProvisioner(4, 0.8));
    assertEquals(0.8, byDefault.minRatio());
    assertEquals(30_000, byDefault.maxWaitMs());
    assertEquals(120_000, byDefault.timeoutMs());
    assertEquals(1.0, RegistrationWait.of(conf, new FixedProvisioner(4, null)).minRatio());
    conf.set("weft.scheduler.minRegisteredResourcesRatio", "0.5");
    conf.set("weft.scheduler.maxRegisteredResourcesWaitingTime", "5s");
    RegistrationWait set = RegistrationWait.of(conf, new FixedProvisioner(4, 0.8));
    assertEquals(0.5, set.minRatio());
    assertEquals(5_000, set.maxWaitMs());
  }

  /** Asks for {@code count} executors and starts none; {@code ratio} null keeps the interface's default. */
  private record FixedProvisioner(int count, Double ratio) implements ExecutorProvisioner {
    @Override
    public void start(String driverHost, int driverPort, Listener listener) {}

    @Override
    public void kill(String executorId) {}

    @Override
    public int executorCount() {
      return count;
    }

    @Override
    public int coresPerExecutor() {
      return 1;
    }

    @Override
    public double defaultMinRegisteredRatio() {
      return ratio != null ? ratio : ExecutorProvisioner.super.defaultMinRegisteredRatio();
    }

    @Override
    public void stop() {}
  }
}
