package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.cluster.remote.ExecutorProvisioner;
import io.weft.status.WeftListener;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;

/**
 * What the running ApplicationMaster offers a YARN cluster backend in the same JVM: its started,
 * registered YARN clients, configuration, the application secret, and what executors must be
 * launched with. The AM passes it to what needs it: the {@link YarnBackendFactory} it binds to the
 * user's main ({@link io.weft.cluster.HostedBackend}) and the {@link YarnContainerProvisioner}s.
 *
 * <p>Lifetime: made after registration with the ResourceManager; the AM retires the factory
 * before it unregisters, so no backend starts on the clients after that. The AM owns the
 * clients: a backend uses them but never stops them or unregisters.
 *
 * <p>Threading: every method is thread-safe and non-blocking; the values never change. Events
 * from the clients arrive through {@link #addYarnEventListener}.
 */
public interface YarnAmServices {

  /** This attempt's id (its application id names the staging directory and the application). */
  ApplicationAttemptId attemptId();

  /** The Hadoop configuration the client shipped (a copy per call: callers may change it). */
  Configuration hadoopConf();

  /** The application's resolved Weft settings (a copy per call). */
  WeftConf weftConf();

  /** The application secret (a copy per call); never log it or put it on a command line. */
  byte[] secret();

  /**
   * The credentials for executor launch contexts, serialized as
   * {@code ContainerLaunchContext.setTokens} wants them (a fresh buffer per call): the secret and
   * the delegation tokens the client obtained, without the AM's own AMRM token, which must not
   * leave this container.
   */
  ByteBuffer executorTokens();

  /** The started, registered ResourceManager client. Do not stop it or unregister. */
  AMRMClientAsync<ContainerRequest> amRmClient();

  /** The started NodeManager client. Do not stop it. */
  NMClientAsync nmClient();

  /** The ResourceManager's answer to registration (maximum container size, queue, ...). */
  RegisterApplicationMasterResponse registration();

  /** The application's staging directory (fully qualified), which the AM deletes at the end. */
  Path stagingDir();

  /**
   * What every executor container needs localized, by link name: Weft's jars
   * ({@code __weft_libs__}), the configuration archive ({@code __weft_conf__}), the application
   * jar, {@code --jars} and {@code --files}. The same files the AM got (same timestamps).
   */
  Map<String, LocalResource> executorResources();

  /** Link names of the application's class path, in order (the app jar, then {@code --jars}). */
  List<String> appClassPath();

  /**
   * The executor provisioner the ApplicationMaster started at registration, which has asked YARN
   * for the containers the submitted settings describe while the user's {@code main} starts, if
   * {@code conf} (the driver's settings) describes the same containers. Empty when there is none,
   * when it was taken already, or when {@code conf} differs (it is then stopped, which withdraws
   * its requests). The caller owns what it gets: it starts and stops it.
   */
  default Optional<ExecutorProvisioner> takeEarlyProvisioner(WeftConf conf) {
    return Optional.empty();
  }

  /** Registers {@code listener} for container and node events from now on. */
  void addYarnEventListener(YarnEventListener listener);

  /**
   * The AM's status (tracking page, reported progress) as a listener: add it to the driver's
   * listener bus to have jobs and tasks counted.
   */
  WeftListener statusListener();

  /**
   * Executor {@code executorId} is being launched in {@code container}: the web UI links to its
   * NodeManager's container logs. Called on the provisioner's thread; does nothing by default.
   */
  default void executorLaunched(String executorId, org.apache.hadoop.yarn.api.records.Container container) {}

  /**
   * The driver listens at {@code host:port}: the running AM publishes the address in the staging
   * directory when the application may have another attempt, so executors kept across attempts
   * find the next driver ({@link io.weft.yarn.DriverAddressFile}). Called on the thread that
   * starts the driver's backend; never throws. Does nothing by default.
   */
  default void driverStarted(String host, int port) {}
}
