package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.ui.AccessControl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AclFilterTest {
  private static final List<String> PAGES = List.of("/", "/api/v1/applications", "/status", "/ui.js");

  @Test
  void theUserIsTheProxysCookie() {
    assertEquals("alice", AclFilter.proxyUser(List.of("proxy-user=alice")));
    assertEquals("a b@EXAMPLE.COM", AclFilter.proxyUser(List.of("x=1; proxy-user=a+b%40EXAMPLE.COM; y=2")));
    assertEquals("bob", AclFilter.proxyUser(List.of("other=1", "proxy-user=\"bob\"")));
    assertNull(AclFilter.proxyUser(List.of("proxy-userx=alice")));
    assertNull(AclFilter.proxyUser(null));
  }

  @Test
  void aUserOutsideTheViewAclGets403OnEveryPageButTheProgressLine() throws Exception {
    AccessControl acls = AccessControl.fromConf(new WeftConf(false).set("weft.acls.enable", "true")
        .set("weft.ui.view.acls", "bob").set("weft.ui.view.acls.groups", "analysts"), "alice");
    AclFilter filter = new AclFilter(acls, u -> u.equals("carol") ? List.of("analysts") : List.of());
    try (StatusServer server = StatusServer.start(new AmStatus("app", 2), "localhost",
        new AmIpFilter(localAddresses(), "http://rm:8088/proxy/application_1_0001"), filter)) {
      for (String page : PAGES) {
        for (String user : List.of("alice", "bob", "carol")) {
          assertTrue(get(server, page, user).statusCode() != 403, user + " may view " + page);
        }
        HttpResponse<String> refused = get(server, page, "mallory");
        assertEquals(403, refused.statusCode(), page);
        assertTrue(refused.body().contains("User mallory may not view"), refused.body());
        assertEquals(403, get(server, page, null).statusCode(), "no proxy-user: " + page);
      }
      assertEquals(200, get(server, "/api/v1/applications", "bob").statusCode());
      assertEquals(200, get(server, "/status", "carol").statusCode());
      assertEquals(200, get(server, "/progress", "mallory").statusCode(), "the client reads it directly");
      assertEquals(200, get(server, "/progress", null).statusCode());
    }
  }

  @Test
  void aDirectRequestCannotClaimAUserByItsOwnCookie() throws Exception {
    AccessControl acls = AccessControl.fromConf(new WeftConf(false).set("weft.acls.enable", "true"), "alice");
    // the proxy is elsewhere: this test's requests are direct, and are sent to it whatever they claim
    try (StatusServer server = StatusServer.start(new AmStatus("app", 2), "localhost",
        new AmIpFilter(Set.of("192.0.2.1"), "http://rm:8088/proxy/application_1_0001"),
        new AclFilter(acls, u -> List.of()))) {
      HttpResponse<String> r = get(server, "/api/v1/applications", "alice");
      assertEquals(302, r.statusCode());
      assertEquals("http://rm:8088/proxy/application_1_0001/api/v1/applications",
          r.headers().firstValue("Location").orElse(""));
    }
  }

  @Test
  void withAclsOffNobodyIsChecked() throws Exception {
    AccessControl acls = AccessControl.fromConf(new WeftConf(false).set("weft.ui.view.acls", "bob"), "alice");
    try (StatusServer server = StatusServer.start(new AmStatus("app", 2), "localhost",
        new AmIpFilter(localAddresses(), "http://rm:8088/proxy/application_1_0001"),
        new AclFilter(acls, u -> List.of()))) {
      assertEquals(200, get(server, "/api/v1/applications", "mallory").statusCode());
      assertEquals(200, get(server, "/status", null).statusCode());
    }
  }

  private static Set<String> localAddresses() {
    return Set.of("127.0.0.1", "0:0:0:0:0:0:0:1");
  }

  private static HttpResponse<String> get(StatusServer server, String path, String user) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (user != null) {
      b.header("Cookie", "proxy-user=" + user);
    }
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
        .send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
