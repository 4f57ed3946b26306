package io.weft.yarn.am;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.weft.ui.AccessControl;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Groups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 403 to a web UI, JSON or status-page request from a user outside the view ACL
 * ({@link AccessControl}). Installed behind {@link AmIpFilter}, so every request it sees came
 * through the ResourceManager's proxy, and the user is the one that proxy authenticated: Hadoop's
 * {@code WebAppProxyServlet} drops the browser's own cookies and sends its
 * {@code getRemoteUser()} as the cookie {@value #PROXY_USER_COOKIE} (what Hadoop's
 * {@code AmIpFilter} turns into the servlet request's remote user). A request without that
 * cookie has no known user and is refused while ACLs are on.
 *
 * <p>Threading: immutable; called on the HTTP server's threads.
 */
final class AclFilter extends Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AclFilter.class);

  /** Hadoop's {@code WebAppProxyServlet.PROXY_USER_COOKIE_NAME}. */
  static final String PROXY_USER_COOKIE = "proxy-user";

  private final AccessControl acls;
  private final Function<String, Collection<String>> groupsOf;

  AclFilter(AccessControl acls, Function<String, Collection<String>> groupsOf) {
    this.acls = acls;
    this.groupsOf = groupsOf;
  }

  /** Groups from Hadoop's group mapping ({@code hadoop.security.group.mapping}); none when it fails. */
  static Function<String, Collection<String>> hadoopGroups(Configuration conf) {
    Groups groups = Groups.getUserToGroupsMappingService(conf);
    return user -> {
      try {
        return groups.getGroups(user);
      } catch (IOException e) {
        LOG.debug("No groups for {}: {}", user, e.toString());
        return List.of();
      }
    };
  }

  /** The user the proxy forwarded in the {@code Cookie} header's values, or null. */
  static String proxyUser(List<String> cookieHeaders) {
    if (cookieHeaders == null) {
      return null;
    }
    for (String header : cookieHeaders) {
      for (String cookie : header.split(";")) {
        int eq = cookie.indexOf('=');
        if (eq > 0 && cookie.substring(0, eq).trim().equals(PROXY_USER_COOKIE)) {
          String value = cookie.substring(eq + 1).trim();
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          return URLDecoder.decode(value, StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    String user = proxyUser(exchange.getRequestHeaders().get("Cookie"));
    if (acls.canView(user, groupsOf)) {
      chain.doFilter(exchange);
      return;
    }
    LOG.info("Refused {} to {}: not in the view ACL", exchange.getRequestURI().getPath(),
        user == null ? "an unknown user" : user);
    String text = (user == null
        ? "No user came with this request (the ResourceManager's proxy sends the user it "
            + "authenticated as the proxy-user cookie); weft.acls.enable is on, so it is refused.\n"
        : "User " + user + " may not view this application: not in weft.ui.view.acls or "
            + "weft.ui.view.acls.groups (" + acls.describeView() + ").\n");
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(403, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    exchange.close();
  }

  @Override
  public String description() {
    return "refuses users outside weft.ui.view.acls";
  }
}
