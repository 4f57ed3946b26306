package io.weft.yarn.am;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends browsers that reach the AM's web UI directly to the ResourceManager's proxy instead, as
 * Hadoop's {@code AmIpFilter} (and Spark's {@code YarnAMIpFilter}) do: only the proxy's own
 * addresses are served, so the proxy's checks (and, on a secure cluster, its authentication)
 * cannot be bypassed. {@code /progress}, the one line the submitting client reads, is exempt.
 *
 * <p>The proxy is {@code yarn.web-proxy.address}, else the ResourceManager's web address. When
 * neither resolves, no filter is installed ({@link #fromConf} returns null) and says so.
 *
 * <p>Threading: immutable; called on the HTTP server's threads.
 */
final class AmIpFilter extends Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AmIpFilter.class);

  private final Set<String> proxyIps;
  private final String proxyBase;

  /** @param proxyBase {@code http://<proxy>/proxy/<appId>}, where direct requests are sent */
  AmIpFilter(Set<String> proxyIps, String proxyBase) {
    this.proxyIps = Set.copyOf(proxyIps);
    this.proxyBase = proxyBase.replaceAll("/+$", "");
  }

  /** The filter for application {@code appId}, or null when the proxy's address is unknown. */
  static AmIpFilter fromConf(Configuration conf, String appId) {
    String address = conf.getTrimmed(YarnConfiguration.PROXY_ADDRESS);
    if (address == null || address.isEmpty()) {
      address = conf.getTrimmed(YarnConfiguration.RM_WEBAPP_ADDRESS, "");
    }
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    if (host.isEmpty() || address.endsWith(":0") || host.equals("0.0.0.0")) {
      LOG.warn("No proxy IP filter on the web UI: the ResourceManager's proxy address is '{}'", address);
      return null;
    }
    Set<String> ips = new HashSet<>();
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        ips.add(a.getHostAddress());
        if (a.isLoopbackAddress()) {
          // a proxy on this machine connects from whichever local address routes to ours
          ips.addAll(localAddresses());
        }
      }
    } catch (UnknownHostException e) {
      LOG.warn("No proxy IP filter on the web UI: cannot resolve the proxy host {}", host);
      return null;
    }
    return new AmIpFilter(ips, "http://" + address + "/proxy/" + appId);
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
    exchange.getResponseHeaders().set("Location", redirectFor(path, exchange.getRequestURI().getRawQuery()));
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  @Override
  public String description() {
    return "sends requests that do not come through the ResourceManager's proxy to it";
  }
}
