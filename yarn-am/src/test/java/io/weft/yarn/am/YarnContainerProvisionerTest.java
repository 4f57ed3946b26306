package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.status.WeftListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.junit.jupiter.api.Test;

/**
 * The YARN executor provisioner against hand-written AMRM/NM clients: what it asks for, how it
 * launches executors (and that the secret stays out of the command line and environment), what
 * it does with surplus containers, and how it reacts to containers that end.
 */
class YarnContainerProvisionerTest {
  private static final ApplicationAttemptId ATTEMPT =
      ApplicationAttemptId.newInstance(ApplicationId.newInstance(1L, 7), 1);
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final TestingAmRmClient amRm = TestingAmRmClient.ignoringCallbacks();
  private final TestingNmClient nm = new TestingNmClient(new NMClientAsync.AbstractCallbackHandler() {
    @Override public void onContainerStarted(ContainerId id, Map<String, ByteBuffer> d) {}
    @Override public void onContainerStatusReceived(ContainerId id, ContainerStatus s) {}
    @Override public void onContainerStopped(ContainerId id) {}
    @Override public void onStartContainerError(ContainerId id, Throwable t) {}
    @Override public void onContainerResourceIncreased(ContainerId id, Resource r) {}
    @Override public void onContainerResourceUpdated(ContainerId id, Resource r) {}
    @Override public void onGetContainerStatusError(ContainerId id, Throwable t) {}
    @Override public void onIncreaseContainerResourceError(ContainerId id, Throwable t) {}
    @Override public void onUpdateContainerResourceError(ContainerId id, Throwable t) {}
    @Override public void onStopContainerError(ContainerId id, Throwable t) {}
  });
  private final List<String> lost = new CopyOnWriteArrayList<>();
  private final List<String> exhausted = new CopyOnWriteArrayList<>();
  /** What the services return: the AM attempt, its registration answer; and the addresses published. */
  private ApplicationAttemptId attempt = ATTEMPT;
  private RegisterApplicationMasterResponse registration;
  private final List<String> published = new CopyOnWriteArrayList<>();

  private static WeftConf conf(int instances) {
    return new WeftConf(false).set("weft.executor.instances", String.valueOf(instances))
        .set("weft.executor.memory", "512m").set("weft.executor.cores", "2");
  }

  private YarnContainerProvisioner provisioner(int instances) {
    return provisioner(conf(instances));
  }

  private YarnContainerProvisioner provisioner(WeftConf conf) {
    YarnContainerProvisioner p = new YarnContainerProvisioner(new Services(), conf);
    p.start("driver-host", 4242, recordingListener());
    return p;
  }

  private io.weft.cluster.remote.ExecutorProvisioner.Listener recordingListener() {
    return new io.weft.cluster.remote.ExecutorProvisioner.Listener() {
      @Override
      public void executorLost(String id, String why) {
        lost.add(id + ": " + why);
      }

      @Override
      public void executorsExhausted(String reason) {
        exhausted.add(reason);
      }
    };
  }

  private static Container container(int n) {
    return Container.newInstance(ContainerId.newContainerId(ATTEMPT, n), NodeId.newInstance("node" + n, 1234),
        "node" + n + ":8042", Resource.newInstance(896, 2), Priority.newInstance(1), null);
  }

  @Test
  void asksForHeapPlusOverheadAndLaunchesExecutorsWithoutTheSecretOnTheCommandLine() {
    YarnContainerProvisioner p = provisioner(2);
    assertEquals(2, amRm.requests.size());
    assertEquals(Resource.newInstance(512 + 384, 2), amRm.requests.get(0).getCapability());
    p.containersAllocated(List.of(container(2), container(3), container(4)));
    assertEquals(2, nm.started.size(), "two executors launched");
    assertEquals(List.of(container(4).getId()), amRm.released, "the surplus container goes back");
    ContainerLaunchContext ctx = nm.started.get(container(2).getId());
    String command = String.join(" ", ctx.getCommands());
    assertTrue(command.contains("io.weft.yarn.executor.YarnExecutorMain 1 driver-host 4242 2"), command);
    assertTrue(command.contains("-Xmx512m"), command);
    String everything = command + ctx.getEnvironment();
    String hex = HexFormat.of().formatHex(SECRET);
    assertFalse(everything.contains(new String(SECRET, StandardCharsets.US_ASCII)) || everything.contains(hex),
        "the secret must travel only in the tokens");
    assertTrue(ctx.getTokens() != null && ctx.getTokens().remaining() > 0);
    assertTrue(ctx.getEnvironment().get("CLASSPATH").startsWith("{{PWD}}/__weft_conf__"));
  }

  @Test
  void containersAskedForBeforeTheDriverIsUpAreHeldThenLaunchedWhenItStarts() {
    YarnContainerProvisioner p = new YarnContainerProvisioner(new Services(), conf(2));
    p.requestExecutors();
    assertEquals(2, amRm.requests.size(), "asked at once, with no driver yet");
    p.containersAllocated(List.of(container(2)));
    assertEquals(0, nm.started.size(), "no driver address yet: held");
    assertEquals(1, amRm.removed.size(), "the granted request is withdrawn all the same");
    p.start("driver-host", 4242, recordingListener());
    assertEquals(2, amRm.requests.size(), "start does not ask again");
    String command = String.join(" ", nm.started.get(container(2).getId()).getCommands());
    assertTrue(command.contains("io.weft.yarn.executor.YarnExecutorMain 1 driver-host 4242 2"), command);
    p.containersAllocated(List.of(container(3)));
    assertEquals(2, nm.started.size(), "launched as soon as granted once the driver is up");
  }

  @Test
  void stoppingReleasesHeldContainersWithdrawsTheRestAndLeavesLaterAllocationsToOthers() {
    YarnContainerProvisioner p = new YarnContainerProvisioner(new Services(), conf(3));
    p.requestExecutors();
    p.containersAllocated(List.of(container(2)));
    p.stop();
    assertEquals(List.of(container(2).getId()), amRm.released, "the held container goes back");
    assertEquals(3, amRm.removed.size(), "one granted and two outstanding requests withdrawn");
    p.containersAllocated(List.of(container(3)));
    assertEquals(List.of(container(2).getId()), amRm.released, "a later context's container is not released");
    assertEquals(0, nm.started.size());
  }

  @Test
  void heartbeatsAreFastWhileContainersArePendingAndIdleOnceAllAreGranted() {
    WeftConf conf = conf(2).set("weft.yarn.am.heartbeat.initialInterval", "50ms")
        .set("weft.yarn.am.heartbeat.interval", "7s");
    YarnContainerProvisioner p = provisioner(conf);
    assertEquals(50, amRm.heartbeatMs(), "two requests pending");
    p.containersAllocated(List.of(container(2)));
    assertEquals(50, amRm.heartbeatMs(), "one request still pending");
    p.containersAllocated(List.of(container(3)));
    assertEquals(7000, amRm.heartbeatMs(), "every request granted");
    p.containersCompleted(List.of(ContainerStatus.newInstance(container(2).getId(), ContainerState.COMPLETE,
        "halted", 3)));
    assertEquals(50, amRm.heartbeatMs(), "a replacement is pending");
    p.containersAllocated(List.of(container(4)));
    assertEquals(7000, amRm.heartbeatMs(), "the replacement was granted");
  }

  @Test
  void heartbeatsGoIdleWithNothingToAskForAndWhenTheRequestsAreWithdrawn() {
    YarnContainerProvisioner none = new YarnContainerProvisioner(new Services(), conf(0));
    none.requestExecutors();
    assertEquals(1000, amRm.heartbeatMs(), "no executors asked for: the default idle interval");
    YarnContainerProvisioner p = new YarnContainerProvisioner(new Services(), conf(2));
    p.requestExecutors();
    assertEquals(200, amRm.heartbeatMs(), "the default interval while requests are pending");
    p.stop();
    assertEquals(1000, amRm.heartbeatMs(), "stopping withdrew the requests");
  }

  @Test
  void theDriverAdoptsTheEarlyProvisionerOnlyForTheSameContainers() {
    assertEquals(YarnContainerProvisioner.plan(conf(2)), YarnContainerProvisioner.plan(conf(2)));
    assertNotEquals(YarnContainerProvisioner.plan(conf(2)), YarnContainerProvisioner.plan(conf(3)));
    assertNotEquals(YarnContainerProvisioner.plan(conf(2)),
        YarnContainerProvisioner.plan(conf(2).set("weft.executor.memory", "1g")));
  }

  @Test
  void aCrashedExecutorIsReportedAndReplacedButAPreemptedOneIsNotCountedAsAFailure() {
    YarnContainerProvisioner p = provisioner(2);
    p.containersAllocated(List.of(container(2), container(3)));
    p.containersCompleted(List.of(ContainerStatus.newInstance(container(2).getId(), ContainerState.COMPLETE,
        "Exception from container-launch", 137)));
    assertEquals(1, lost.size());
    assertTrue(lost.get(0).startsWith("1: ") && lost.get(0).contains("exited with code 137"), lost.toString());
    assertEquals(3, amRm.requests.size(), "a replacement was requested");
    p.containersCompleted(List.of(ContainerStatus.newInstance(container(3).getId(), ContainerState.COMPLETE,
        "preempted", ContainerExitStatus.PREEMPTED)));
    assertTrue(lost.get(1).contains("preempted"), lost.toString());
    assertEquals(4, amRm.requests.size());
  }

  @Test
  void onceTheFailureBudgetIsUsedUpTheLastLostExecutorIsNotReplacedAndNoneLeftIsReported() {
    YarnContainerProvisioner p = provisioner(new WeftConf(false).set("weft.executor.instances", "1")
        .set("weft.executor.memory", "512m").set("weft.yarn.maxExecutorFailures", "1"));
    p.containersAllocated(List.of(container(2)));
    p.containersCompleted(List.of(ContainerStatus.newInstance(container(2).getId(), ContainerState.COMPLETE,
        "halted", 3)));
    assertEquals(2, amRm.requests.size(), "the first failure is within the budget: replaced");
    assertTrue(exhausted.isEmpty(), exhausted.toString());
    p.containersAllocated(List.of(container(3)));
    p.containersCompleted(List.of(ContainerStatus.newInstance(container(3).getId(), ContainerState.COMPLETE,
        "halted", 3)));
    assertEquals(2, amRm.requests.size(), "the second is past it: no replacement");
    assertEquals(2, lost.size(), lost.toString());
    assertEquals(1, exhausted.size(), exhausted.toString());
    assertTrue(exhausted.get(0).contains("weft.yarn.maxExecutorFailures (1)") && exhausted.get(0).contains("exited with code 3"),
        exhausted.get(0));
  }

  @Test
  void theWaitingTasksDemandMovesOutstandingRequestsToTheirHostsAndASurplusContainerIsReleased()
      throws Exception {
    YarnContainerProvisioner p = provisioner(2);
    assertEquals(2, amRm.outstanding().size());

    p.localityDemandChanged(new io.weft.cluster.LocalityDemand(6, 6, Map.of("node7", 6)));
    // re-planned on the provisioner's placement thread, not the caller's (the scheduler's)
    p.awaitPlacement();
    List<List<String>> nodes = amRm.outstanding().stream().map(ContainerRequest::getNodes).toList();
    assertEquals(List.of(List.of("node7"), List.of("node7")), nodes, "both requests name the data's host");
    assertEquals(List.of("/default-rack"), amRm.outstanding().get(0).getRacks(), "no topology configured");

    p.containersAllocated(List.of(container(7), container(8), container(9)));
    assertEquals(2, nm.started.size());
    assertEquals(List.of(container(9).getId()), amRm.released, "more than the budget: released");
    assertTrue(amRm.outstanding().isEmpty(), "both requests withdrawn as granted: " + amRm.outstanding());
  }

  @Test
  void inputsNamedUpFrontPlaceTheFirstRequestsOnTheirBlockHosts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Files.writeString(tmp.resolve("part-0"), "some input\n");
    YarnContainerProvisioner p = new YarnContainerProvisioner(new Services(),
        conf(2).set("weft.yarn.locality.inputs", tmp.toUri().toString()));
    p.requestExecutors();

    List<List<String>> nodes = amRm.requests.stream().map(ContainerRequest::getNodes).toList();
    assertEquals(List.of(List.of("localhost"), List.of("localhost")), nodes,
        "asked where the input's one block is, from the first request on");
    assertTrue(amRm.removed.isEmpty(), "nothing asked elsewhere first");
    p.stop();
  }

  @Test
  void anExecutorTheDriverGaveUpOnHasItsContainerReleased() {
    YarnContainerProvisioner p = provisioner(2);
    p.containersAllocated(List.of(container(2), container(3)));
    p.kill("2");
    assertEquals(List.of(container(3).getId()), amRm.released, "executor 2 runs in container 3");
    p.kill("no-such-executor");
    assertEquals(1, amRm.released.size());
  }

  @Test
  void executorsThatExitAfterStopAreNotReportedLost() throws InterruptedException {
    YarnContainerProvisioner p = provisioner(1);
    p.containersAllocated(List.of(container(2)));
    Thread stopper = new Thread(p::stop);
    stopper.start();
    // the executor's exit must arrive after the stop has begun, which is the case this test is about
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!p.isStopping() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(p.isStopping(), "stop() never began");
    assertEquals(200, amRm.heartbeatMs(), "stop waits for the exit, which arrives on a heartbeat: fast");
    p.containersCompleted(List.of(ContainerStatus.newInstance(container(2).getId(), ContainerState.COMPLETE, "", 0)));
    stopper.join(30_000);
    assertFalse(stopper.isAlive(), "stop returns once the executor exited");
    assertTrue(amRm.released.isEmpty(), "nothing left to release: " + amRm.released);
    assertTrue(lost.isEmpty(), lost.toString());
    assertEquals(1000, amRm.heartbeatMs(), "nothing left to wait for: idle");
  }

  @Test
  void aLaterAttemptCountsTheContainersYarnHandsBackAndAdoptsTheirExecutorsWhenTheyReconnect() {
    attempt = ApplicationAttemptId.newInstance(ATTEMPT.getApplicationId(), 2);
    registration = org.apache.hadoop.yarn.util.Records.newRecord(RegisterApplicationMasterResponse.class);
    registration.setContainersFromPreviousAttempts(List.of(container(2), container(3))); // attempt 1's
    YarnContainerProvisioner p = provisioner(3);
    assertEquals(List.of("driver-host:4242"), published, "the driver's address, for the kept executors");
    assertEquals(1, amRm.requests.size(), "three executors wanted, two kept: one new container");

    assertTrue(p.accepts("1", container(2).getId().toString()), "attempt 1's executor returns from its container");
    assertTrue(p.accepts("1", container(2).getId().toString()), "and is then this attempt's own");
    assertFalse(p.accepts("2", container(2).getId().toString()), "another id from that container");
    assertFalse(p.accepts("7", ContainerId.newContainerId(ATTEMPT, 99).toString()), "a container not handed back");
    assertFalse(p.accepts("9", null), "an executor that names no container and was not launched here");

    p.containersAllocated(List.of(container(4)));
    String command = String.join(" ", nm.started.get(container(4).getId()).getCommands());
    assertTrue(command.contains("YarnExecutorMain 2.1 driver-host 4242 2 /staging"),
        "attempt 2's own ids cannot collide with attempt 1's; the staging dir is where it finds a next driver: "
            + command);
    assertTrue(p.accepts("2.1", container(4).getId().toString()));

    p.containersCompleted(List.of(ContainerStatus.newInstance(container(3).getId(), ContainerState.COMPLETE,
        "lost node", ContainerExitStatus.ABORTED)));
    assertEquals(List.of(), lost, "a kept container whose executor never returned was no executor of this driver");
    assertEquals(2, amRm.requests.size(), "and is replaced");

    p.kill("1");
    assertEquals(List.of(container(2).getId()), amRm.released, "an adopted executor's container is released like any");
    p.containersCompleted(List.of(ContainerStatus.newInstance(container(2).getId(), ContainerState.COMPLETE,
        "released", ContainerExitStatus.ABORTED)));
    assertEquals(1, lost.size());
    assertTrue(lost.get(0).startsWith("1: "), lost.toString());
  }

  @Test
  void withOneAttemptExecutorsAreToldToEndWithTheirDriver() {
    YarnContainerProvisioner p = provisioner(conf(1).set("weft.yarn.maxAppAttempts", "1"));
    p.containersAllocated(List.of(container(2)));
    String command = String.join(" ", nm.started.get(container(2).getId()).getCommands());
    assertTrue(command.contains("YarnExecutorMain 1 driver-host 4242 2 -"), command);
    assertTrue(p.accepts("1", null), "launched here");
  }

  /** The services a running AM would offer, made by hand. */
  @Test
  void excludedHostsGoToTheResourceManagersExclusionList() {
    amRm.clusterNodes = 2;
    YarnContainerProvisioner p = provisioner(2);
    p.excludeHosts(Set.of("node2"));
    p.excludeHosts(Set.of("node2", "node3")); // the cap: one of the two nodes stays usable
    p.excludeHosts(Set.of());
    assertEquals(List.of(List.of(List.of("node2"), List.of()), List.of(List.of(), List.of("node2"))),
        amRm.blacklistUpdates);
  }

  private final class Services implements YarnAmServices {
    @Override public ApplicationAttemptId attemptId() {
      return attempt;
    }
    @Override public Configuration hadoopConf() {
      return new Configuration(false);
    }
    @Override public WeftConf weftConf() {
      return new WeftConf(false);
    }
    @Override public byte[] secret() {
      return SECRET.clone();
    }
    @Override public ByteBuffer executorTokens() {
      return ByteBuffer.wrap(new byte[] {1, 2, 3});
    }
    @Override public AMRMClientAsync<ContainerRequest> amRmClient() {
      return amRm;
    }
    @Override public NMClientAsync nmClient() {
      return nm;
    }
    @Override public RegisterApplicationMasterResponse registration() {
      return registration;
    }
    @Override public void driverStarted(String host, int port) {
      published.add(host + ":" + port);
    }
    @Override public Path stagingDir() {
      return new Path("/staging");
    }
    @Override public Map<String, LocalResource> executorResources() {
      return Map.of();
    }
    @Override public List<String> appClassPath() {
      return new ArrayList<>(List.of("__app__.jar"));
    }
    @Override public void addYarnEventListener(YarnEventListener listener) {}
    @Override public WeftListener statusListener() {
      return e -> { };
    }
  }
}
