package io.weft.yarn.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.LogAggregationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.logaggregation.ContainerLogsRequest;
import org.apache.hadoop.yarn.logaggregation.filecontroller.LogAggregationFileController;
import org.apache.hadoop.yarn.logaggregation.filecontroller.LogAggregationFileControllerFactory;

/**
 * {@code weft logs}: prints an application's container logs. An application that has ended is
 * read from the aggregated logs on the cluster's file system (Hadoop's own reader, the one
 * {@code yarn logs} uses), waiting a bounded time for the NodeManagers to finish aggregating;
 * a running one is read from its NodeManagers' web services, container by container.
 *
 * <p>Threading: the caller's. Failure: exit code 1 with one message saying why no logs can be
 * had (aggregation off, application unknown, NodeManager unreachable); I/O errors propagate.
 */
public final class ApplicationLogs {
  /** How long an ended application's logs may still be on their way to the file system. */
  private static final long AGGREGATION_WAIT_MS = 60_000;
  private static final Set<LogAggregationStatus> AGGREGATION_DONE = EnumSet.of(LogAggregationStatus.SUCCEEDED,
      LogAggregationStatus.FAILED, LogAggregationStatus.TIME_OUT, LogAggregationStatus.DISABLED);

  private final YarnClient yarn;
  private final Configuration conf;
  private final PrintStream out;
  private final PrintStream err;

  /** Reads through {@code yarn} (started) and the cluster configuration {@code conf}. */
  public ApplicationLogs(YarnClient yarn, Configuration conf, PrintStream out, PrintStream err) {
    this.yarn = yarn;
    this.conf = conf;
    this.out = out;
    this.err = err;
  }

  /**
   * Prints the logs of {@code appId}; {@code container} and {@code type} (a log file name such
   * as stdout) narrow them when not null. Returns 0 when some logs were printed.
   */
  public int print(ApplicationId appId, String container, String type) throws IOException {
    ApplicationReport report;
    try {
      report = yarn.getApplicationReport(appId);
    } catch (ApplicationNotFoundException e) {
      throw new IllegalArgumentException("the ResourceManager does not know " + appId);
    } catch (YarnException e) {
      throw new IOException(e.getMessage(), e);
    }
    boolean ended = ApplicationMonitor.TERMINAL.contains(report.getYarnApplicationState());
    if (!ended) {
      return printFromNodeManagers(appId, container, type);
    }
    if (!conf.getBoolean(YarnConfiguration.LOG_AGGREGATION_ENABLED, YarnConfiguration.DEFAULT_LOG_AGGREGATION_ENABLED)) {
      err.println("weft logs: " + appId + " has ended and log aggregation is off ("
          + YarnConfiguration.LOG_AGGREGATION_ENABLED + "=false): its logs stay on each NodeManager's disk, under "
          + YarnConfiguration.NM_LOG_DIRS + "/" + appId);
      return 1;
    }
    awaitAggregation(appId, report);
    return printAggregated(appId, report.getUser(), container, type);
  }

  private void awaitAggregation(ApplicationId appId, ApplicationReport report) throws IOException {
    long deadline = System.nanoTime() + AGGREGATION_WAIT_MS * 1_000_000;
    ApplicationReport r = report;
    boolean said = false;
    while (!AGGREGATION_DONE.contains(r.getLogAggregationStatus()) && System.nanoTime() < deadline) {
      if (!said) {
        err.println("(waiting for the NodeManagers to aggregate the logs of " + appId + ": "
            + r.getLogAggregationStatus() + ")");
        said = true;
      }
      try {
        Thread.sleep(250);
        r = yarn.getApplicationReport(appId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the logs of " + appId, e);
      } catch (YarnException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
  }

  private int printAggregated(ApplicationId appId, String owner, String container, String type) throws IOException {
    LogAggregationFileController reader = new LogAggregationFileControllerFactory(conf)
        .getFileControllerForRead(appId, owner);
    ContainerLogsRequest request = new ContainerLogsRequest();
    request.setAppId(appId);
    request.setAppOwner(owner);
    request.setContainerId(container);
    request.setLogTypes(type == null ? Set.of() : Set.of(type));
    request.setBytes(Long.MAX_VALUE);
    request.setAppFinished(true);
    boolean found = reader.readAggregatedLogs(request, out);
    out.flush();
    if (!found) {
      err.println("weft logs: no aggregated logs of " + appId + (container == null ? "" : " container " + container)
          + (type == null ? "" : " of type " + type) + " under " + reader.getRemoteRootLogDir());
      return 1;
    }
    return 0;
  }

  /** A running application: each live container's logs from its NodeManager's web service. */
  private int printFromNodeManagers(ApplicationId appId, String container, String type) throws IOException {
    List<String> types = type == null ? List.of("stdout", "stderr") : List.of(type);
    int printed = 0;
    try {
      for (ApplicationAttemptReport attempt : yarn.getApplicationAttempts(appId)) {
        for (ContainerReport c : yarn.getContainers(attempt.getApplicationAttemptId())) {
          String id = c.getContainerId().toString();
          if (container != null && !container.equals(id)) {
            continue;
          }
          for (String t : types) {
            printed += printFromNodeManager(c, id, t) ? 1 : 0;
          }
        }
      }
    } catch (YarnException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (printed == 0) {
      err.println("weft logs: no logs of running " + appId + (container == null ? "" : " container " + container)
          + " could be read from its NodeManagers");
      return 1;
    }
    return 0;
  }

  private boolean printFromNodeManager(ContainerReport c, String id, String type) {
    String node = c.getNodeHttpAddress();
    String base = node.startsWith("http") ? node : "http://" + node;
    String url = base + "/ws/v1/node/containers/" + id + "/logs/" + type;
    try {
      HttpURLConnection http = (HttpURLConnection) URI.create(url).toURL().openConnection();
      http.setConnectTimeout(5_000);
      http.setReadTimeout(30_000);
      try (InputStream in = http.getInputStream()) {
        out.println("==== " + id + " on " + c.getAssignedNode() + ": " + type);
        in.transferTo(out);
        out.println();
        return true;
      } finally {
        http.disconnect();
      }
    } catch (IOException | IllegalArgumentException e) {
      err.println("(cannot read " + type + " of " + id + " from " + url + ": " + e.getMessage() + ")");
      return false;
    }
  }
}
