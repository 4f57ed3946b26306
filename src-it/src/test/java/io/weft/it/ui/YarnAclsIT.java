package io.weft.it.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.MiniClusterExtension;
import io.weft.it.apps.RunsUntilKilled;
import io.weft.it.yarn.WeftOnYarn;
import io.weft.yarn.client.YarnSubmission;
import io.weft.yarn.client.YarnSubmitter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.records.ApplicationAccessType;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft's ACLs on the embedded YARN with {@code yarn.acl.enable}: the application is submitted by
 * this JVM's user with {@code weft.acls.enable}, viewer {@code viewer} and modifier
 * {@code operator}; nobody else is a YARN or queue administrator. The ResourceManager then gives
 * the application's details only to the owner and the viewer, refuses to kill it for a stranger
 * and for the viewer, and kills it for the operator; and the AM's web UI, reached through the
 * ResourceManager's proxy as its unauthenticated user, answers 403.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class YarnAclsIT {
  private static final String OWNER = owner();
  private static final String CS = "yarn.scheduler.capacity.";

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1)
      .yarnSetting("yarn.acl.enable", "true")
      .yarnSetting("yarn.admin.acl", OWNER)
      // the queues' administrators may kill any application in them: nobody here
      .yarnSetting(CS + "root.acl_administer_queue", " ")
      .yarnSetting(CS + "root.default.acl_administer_queue", " ")
      // the RM's web UI (and so its proxy) knows who is asking: simple authentication, no anonymous
      .yarnSetting("hadoop.http.filter.initializers", "org.apache.hadoop.security.AuthenticationFilterInitializer")
      .yarnSetting("hadoop.http.authentication.type", "simple")
      .yarnSetting("hadoop.http.authentication.simple.anonymous.allowed", "false")
      .build();

  @TempDir
  static Path tmp;

  @Test
  void yarnAndTheWebUiFollowWeftsAcls() throws Exception {
    Map<String, String> settings = WeftOnYarn.settings("acls", 0);
    settings.putAll(Map.of("weft.am.memory", "256m", "weft.acls.enable", "true",
        "weft.ui.view.acls", "viewer", "weft.modify.acls", "operator"));
    YarnSubmission s = new YarnSubmission(RunsUntilKilled.class.getName(),
        WeftOnYarn.appJar(RunsUntilKilled.class, tmp).toString(), List.of(), List.of(), List.of(),
        settings, WeftOnYarn.weftJars());
    try (YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(), System.out, System.err)) {
      ApplicationId appId = submitter.submit(s);
      awaitRunning(appId);

      // what the ResourceManager holds: the launch context's ACLs, as the client set them
      Map<ApplicationAccessType, String> acls = CLUSTER.cluster().yarnCluster().getResourceManager()
          .getRMContext().getRMApps().get(appId).getApplicationSubmissionContext()
          .getAMContainerSpec().getApplicationACLs();
      assertEquals(Map.of(ApplicationAccessType.VIEW_APP, OWNER + ",viewer ",
          ApplicationAccessType.MODIFY_APP, OWNER + ",operator "), acls);
      var aclsManager = CLUSTER.cluster().yarnCluster().getResourceManager().getApplicationACLsManager();
      for (var check : List.of(List.of("viewer", "VIEW_APP", "true"), List.of("mallory", "VIEW_APP", "false"),
          List.of("operator", "MODIFY_APP", "true"), List.of("viewer", "MODIFY_APP", "false"))) {
        assertEquals(Boolean.parseBoolean(check.get(2)), aclsManager.checkAccess(
            UserGroupInformation.createRemoteUser(check.get(0)), ApplicationAccessType.valueOf(check.get(1)),
            OWNER, appId), check.toString());
      }

      // VIEW_APP: the RM hides the details from a stranger
      String trackingUrl = as(OWNER, yarn -> yarn.getApplicationReport(appId)).getTrackingUrl();
      assertTrue(trackingUrl.contains("/proxy/" + appId), trackingUrl);
      assertEquals(trackingUrl, as("viewer", yarn -> yarn.getApplicationReport(appId)).getTrackingUrl());
      assertEquals("N/A", as("mallory", yarn -> yarn.getApplicationReport(appId)).getTrackingUrl());

      // the AM's web UI through the RM's proxy, which authenticates by ?user.name= here (simple
      // HTTP authentication) and forwards that user to the AM
      HttpResponse<String> stranger = awaitAmAnswer(trackingUrl + "api/v1/applications?user.name=mallory");
      assertEquals(403, stranger.statusCode(), stranger.body());
      assertTrue(stranger.body().contains("User mallory may not view"), stranger.body());
      HttpResponse<String> allowed = awaitAmAnswer(trackingUrl + "api/v1/applications?user.name=viewer");
      assertEquals(200, allowed.statusCode(), allowed.body());
      assertTrue(allowed.body().startsWith("["), allowed.body());

      // MODIFY_APP: only the owner, the admins and the operator may kill
      for (String user : List.of("mallory", "viewer")) {
        Exception refused = assertThrows(Exception.class, () -> as(user, yarn -> {
          yarn.killApplication(appId);
          return null;
        }), user);
        assertTrue(messages(refused).contains("User " + user + " cannot perform operation MODIFY_APP"), messages(refused));
      }
      assertEquals(YarnApplicationState.RUNNING, report(appId).getYarnApplicationState());
      as("operator", yarn -> {
        yarn.killApplication(appId);
        return null;
      });
      assertEquals(1, submitter.awaitCompletion(appId, s.conf()));
      assertEquals(YarnApplicationState.KILLED, report(appId).getYarnApplicationState());
    }
  }

  private interface YarnCall<T> {
    T call(YarnClient yarn) throws Exception;
  }

  /** Calls the ResourceManager as {@code user} (simple authentication: the RPC says who). */
  private static <T> T as(String user, YarnCall<T> call) throws Exception {
    return UserGroupInformation.createRemoteUser(user).doAs((PrivilegedExceptionAction<T>) () -> {
      try (YarnClient yarn = YarnClient.createYarnClient()) {
        yarn.init(CLUSTER.configuration());
        yarn.start();
        return call.call(yarn);
      }
    });
  }

  private static ApplicationReport report(ApplicationId appId) throws Exception {
    return as(OWNER, yarn -> yarn.getApplicationReport(appId));
  }

  private static void awaitRunning(ApplicationId appId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (report(appId).getYarnApplicationState() != YarnApplicationState.RUNNING) {
      assertTrue(System.nanoTime() < deadline, appId + " never ran");
      Thread.sleep(200);
    }
  }

  /** The first answer that comes from the AM itself (the proxy may still be on the RM's page). */
  private static HttpResponse<String> awaitAmAnswer(String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    String last = "";
    while (true) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      System.out.println("YarnAclsIT: " + url + " -> " + r.statusCode() + " " + r.headers().map() + "\n" + r.body());
      if (r.statusCode() == 403 || r.body().startsWith("[")) {
        return r;
      }
      last = r.statusCode() + " " + r.body();
      assertNotEquals(true, System.nanoTime() > deadline, url + " never answered from the AM; last: " + last);
      Thread.sleep(200);
    }
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c).append('\n');
    }
    return all.toString();
  }

  private static String owner() {
    try {
      return UserGroupInformation.getCurrentUser().getShortUserName();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
