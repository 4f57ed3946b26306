package io.weft.it.yarn;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * Submitting an application and waiting for its end through {@link YarnClient}, as a real
 * client does (and as Weft's submitter will).
 *
 * <p>Threading: stateless; the waits block the calling thread, polling every 100 ms.
 */
public final class YarnApps {
  private static final Set<YarnApplicationState> FINAL =
      EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);

  private YarnApps() {}

  /** Submits an application whose AM runs {@code am} in a container of {@code amResource}. */
  public static ApplicationId submit(YarnClient client, String name, ContainerLaunchContext am, Resource amResource)
      throws IOException, YarnException {
    YarnClientApplication app = client.createApplication();
    ApplicationSubmissionContext ctx = app.getApplicationSubmissionContext();
    ctx.setApplicationName(name);
    ctx.setAMContainerSpec(am);
    ctx.setResource(amResource);
    ctx.setQueue("default");
    // One attempt: a test wants the first failure, not a retry that hides it.
    ctx.setMaxAppAttempts(1);
    client.submitApplication(ctx);
    return ctx.getApplicationId();
  }

  /** Waits until the application is FINISHED, FAILED or KILLED and returns its last report. */
  public static ApplicationReport awaitFinalState(YarnClient client, ApplicationId id, Duration timeout)
      throws IOException, YarnException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      ApplicationReport report = client.getApplicationReport(id);
      if (FINAL.contains(report.getYarnApplicationState())) {
        return report;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(id + " still " + report.getYarnApplicationState() + " after " + timeout
            + ": " + report.getDiagnostics());
      }
      Thread.sleep(100);
    }
  }
}
