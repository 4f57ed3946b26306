package io.weft.yarn.am;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weft.ui.UiHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The ApplicationMaster's tracking URL: the JDK's HTTP server on an ephemeral port, serving the
 * web UI ({@link UiHandler}: jobs, DAG, stages, executors, environment and their JSON) at
 * {@code /}, the one-line progress the submitting client shows at {@code /progress}, and the
 * plain status page of {@link AmStatus} at {@code /status}. The ResourceManager's proxy links to
 * it ({@code /proxy/<appId>/}); the pages use relative URLs so they work behind it.
 *
 * <p>Threading: one daemon thread serves requests. Failure: {@link #start} throws when no port
 * can be bound; the AM then fails before registering.
 */
final class StatusServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;

  private StatusServer(HttpServer server, ExecutorService executor, String host) {
    this.server = server;
    this.executor = executor;
    this.url = "http://" + host + ":" + server.getAddress().getPort() + "/";
  }

  /** Serves {@code status} on all interfaces; {@code host} is the name put into the URL. */
  static StatusServer start(AmStatus status, String host) throws IOException {
    return start(status, host, null);
  }

  /**
   * As {@link #start(AmStatus, String)}, with the web UI's requests that do not come through the
   * ResourceManager's proxy sent there ({@code ipFilter}; null for none).
   */
  static StatusServer start(AmStatus status, String host, AmIpFilter ipFilter) throws IOException {
    return start(status, host, ipFilter, null);
  }

  /**
   * As {@link #start(AmStatus, String, AmIpFilter)}, with the web UI and the status page refused
   * to users outside the view ACL ({@code aclFilter}, after the proxy filter; null for none).
   * {@code /progress} is not checked: the submitting client reads it directly, and it says only
   * how far the application is.
   */
  static StatusServer start(AmStatus status, String host, AmIpFilter ipFilter, AclFilter aclFilter)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
    UiHandler ui = new UiHandler(status.store(), status::logUrl);
    com.sun.net.httpserver.HttpContext root = server.createContext("/", exchange -> {
      try {
        if (!ui.handle(exchange, exchange.getRequestURI().getPath().replaceFirst("^/+", ""))) {
          UiHandler.send(exchange, 404, "text/plain", "not found: " + exchange.getRequestURI().getPath());
        }
      } finally {
        exchange.close();
      }
    });
    com.sun.net.httpserver.HttpContext page = server.createContext("/status",
        exchange -> respond(exchange, status.html(), "text/html"));
    if (ipFilter != null) {
      root.getFilters().add(ipFilter);
      page.getFilters().add(ipFilter);
    }
    if (aclFilter != null) {
      root.getFilters().add(aclFilter);
      page.getFilters().add(aclFilter);
    }
    // one line the submitting client shows as live progress
    server.createContext("/progress", exchange -> respond(exchange, status.progressText(), "text/plain"));
    // two threads: a slow page never holds up the client's progress line
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "weft-am-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new StatusServer(server, executor, host);
  }

  String url() {
    return url;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, String text, String type) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
