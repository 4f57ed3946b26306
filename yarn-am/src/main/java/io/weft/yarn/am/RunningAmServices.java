package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.cluster.remote.ExecutorProvisioner;
import io.weft.status.WeftListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;
import org.slf4j.LoggerFactory;

/**
 * The {@link YarnAmServices} of a running ApplicationMaster: immutable values captured after
 * registration, plus the AM's callback fan-out for listeners. Thread-safe (immutable; the
 * listener list is concurrent).
 */
record RunningAmServices(
    ApplicationAttemptId attemptId,
    Configuration conf,
    WeftConf settings,
    byte[] secretBytes,
    Credentials credentials,
    AMRMClientAsync<ContainerRequest> amRmClient,
    NMClientAsync nmClient,
    RegisterApplicationMasterResponse registration,
    Path stagingDir,
    Map<String, LocalResource> executorResources,
    List<String> appClassPath,
    AmCallbacks callbacks,
    AmStatus status,
    AtomicReference<YarnContainerProvisioner> earlyProvisioner) implements YarnAmServices {

  RunningAmServices {
    executorResources = Map.copyOf(executorResources);
    appClassPath = List.copyOf(appClassPath);
  }

  @Override
  public Configuration hadoopConf() {
    return new Configuration(conf);
  }

  @Override
  public WeftConf weftConf() {
    return settings.copy();
  }

  @Override
  public byte[] secret() {
    return secretBytes.clone();
  }

  @Override
  public ByteBuffer executorTokens() {
    Credentials forExecutors;
    synchronized (credentials) { // the TokenRefresher adds fresh tokens to it
      forExecutors = withoutAmRmToken(credentials);
    }
    try (DataOutputBuffer out = new DataOutputBuffer()) {
      forExecutors.writeTokenStorageToStream(out);
      return ByteBuffer.wrap(out.getData(), 0, out.getLength());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory
    }
  }

  /** A copy of {@code creds} without the AMRM token: with it, an executor could act as the AM. */
  static Credentials withoutAmRmToken(Credentials creds) {
    Credentials copy = new Credentials();
    for (Map.Entry<Text, Token<?>> e : creds.getTokenMap().entrySet()) {
      if (!AMRMTokenIdentifier.KIND_NAME.equals(e.getValue().getKind())) {
        copy.addToken(e.getKey(), e.getValue());
      }
    }
    creds.getSecretKeyMap().forEach(copy::addSecretKey);
    return copy;
  }

  @Override
  public Optional<ExecutorProvisioner> takeEarlyProvisioner(WeftConf conf) {
    YarnContainerProvisioner early = earlyProvisioner.getAndSet(null);
    if (early == null) {
      return Optional.empty();
    }
    if (!early.plan().equals(YarnContainerProvisioner.plan(conf))) {
      LoggerFactory.getLogger(RunningAmServices.class).info("The driver's settings ask for other executor "
          + "containers than were submitted ({} instead of {}); withdrawing the early requests",
          YarnContainerProvisioner.plan(conf), early.plan());
      early.stop();
      return Optional.empty();
    }
    return Optional.of(early);
  }

  @Override
  public void addYarnEventListener(YarnEventListener listener) {
    callbacks.addListener(listener);
  }

  @Override
  public WeftListener statusListener() {
    return status;
  }

  @Override
  public void driverStarted(String host, int port) {
    if (settings.get(io.weft.yarn.YarnOptions.MAX_APP_ATTEMPTS) <= 1) {
      return; // no next attempt: executors end with this driver
    }
    try {
      io.weft.yarn.DriverAddressFile.publish(stagingDir.getFileSystem(conf), stagingDir, attemptId.getAttemptId(),
          host, port);
      LoggerFactory.getLogger(RunningAmServices.class).info("Published the driver address {}:{} in {}", host, port,
          stagingDir);
    } catch (IOException | RuntimeException e) {
      LoggerFactory.getLogger(RunningAmServices.class).warn("Could not publish the driver address in {}: {}; "
          + "this attempt's executors will not outlive it", stagingDir, e.toString());
    }
  }

  @Override
  public void executorLaunched(String executorId, org.apache.hadoop.yarn.api.records.Container container) {
    status.executorLaunched(executorId, container);
  }
}
