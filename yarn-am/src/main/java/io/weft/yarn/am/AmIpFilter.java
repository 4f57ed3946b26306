package io.weft.yarn.am;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.webapp.util.WebAppUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends browsers that reach the AM's web UI directly to the ResourceManager's proxy instead, as
 * Hadoop's {@code AmIpFilter} (and Spark's {@code YarnAMIpFilter}) do: only the proxy's own
 * addresses are served, so the proxy's checks (and, on a secure cluster, its authentication)
 * cannot be bypassed. {@code /progress}, the one line the submitting client reads, is exempt.
 *
 * <p>The proxy is {@code yarn.web-proxy.address}, else the ResourceManagers' web addresses. When
 * none resolves, the filter fails closed: everything but {@code /progress} gets a 403 naming the
 * settings.
 *
 * <p>Threading: immutable; called on the HTTP server's threads.
 */
final class AmIpFilter extends Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AmIpFilter.class);

  private final Set<String> proxyIps;
  private final String proxyBase;

  /** @param proxyBase {@code http://<proxy>/proxy/<appId>}, where direct requests are sent; null: refused */
  AmIpFilter(Set<String> proxyIps, String proxyBase) {
    this.proxyIps = Set.copyOf(proxyIps);
    this.proxyBase = proxyBase == null ? null : proxyBase.replaceAll("/+$", "");
  }

  /**
   * The filter for application {@code appId}: the proxies are those Hadoop's own AM filter uses
   * ({@code yarn.web-proxy.address}, else every ResourceManager's web address, HA included). When
   * none resolves the filter fails closed: only {@code /progress} is served.
   */
  static AmIpFilter fromConf(Configuration conf, String appId) {
    Set<String> ips = new HashSet<>();
    String first = null;
    for (String address : WebAppUtils.getProxyHostsAndPortsForAmFilter(conf)) {
      int colon = address.lastIndexOf(':');
      String host = colon < 0 ? address : address.substring(0, colon);
      if (host.isEmpty() || address.endsWith(":0") || host.equals("0.0.0.0")) {
        continue;
      }
      try {
        for (InetAddress a : InetAddress.getAllByName(host)) {
          ips.add(a.getHostAddress());
          if (a.isLoopbackAddress()) {
            // a proxy on this machine connects from whichever local address routes to ours
            ips.addAll(localAddresses());
          }
        }
        first = first == null ? address : first;
      } catch (UnknownHostException e) {
        LOG.warn("Cannot resolve the ResourceManager proxy host {}", host);
      }
    }
    if (first == null) {
      LOG.warn("The ResourceManager's proxy address is unknown (yarn.web-proxy.address, "
          + "yarn.resourcemanager.webapp.address): the web UI serves only /progress");
      return new AmIpFilter(Set.of(), null);
    }
    return new AmIpFilter(ips, "http://" + first + "/proxy/" + appId);
  }

  private static Set<String> localAddresses() {
    Set<String> ips = new HashSet<>();
    try {
      for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
          ips.add(a.getHostAddress());
        }
      }
    } catch (java.net.SocketException e) {
      LOG.warn("Cannot list this host's addresses: {}", e.toString());
    }
    return ips;
  }

  /** Whether a request from {@code remoteIp} for {@code path} is served here (else redirected). */
  boolean serves(String remoteIp, String path) {
    return proxyIps.contains(remoteIp) || path.equals("/progress");
  }

  /** Where a direct request for {@code path} and {@code query} (may be null) is sent. */
  String redirectFor(String path, String query) {
    return proxyBase + path + (query == null ? "" : "?" + query);
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    String ip = exchange.getRemoteAddress().getAddress().getHostAddress();
    String path = exchange.getRequestURI().getRawPath();
    if (serves(ip, path)) {
      chain.doFilter(exchange);
      return;
    }
    if (proxyBase == null) {
      byte[] body = ("The web UI is served only through the ResourceManager's proxy, and its address "
          + "(yarn.web-proxy.address, yarn.resourcemanager.webapp.address) is unknown to this "
          + "ApplicationMaster\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(403, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("Location", redirectFor(path, exchange.getRequestURI().getRawQuery()));
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  @Override
  public String description() {
    return "sends requests that do not come through the ResourceManager's proxy to it";
  }
}
