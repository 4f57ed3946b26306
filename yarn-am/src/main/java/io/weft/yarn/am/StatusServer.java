package io.weft.yarn.am;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The ApplicationMaster's tracking URL: a tiny HTTP server (the JDK's, on an ephemeral port) that
 * serves {@link AmStatus} as a plain page. The ResourceManager's proxy links to it. A full web UI
 * replaces the page later; the URL stays.
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
    HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
    server.createContext("/", exchange -> respond(exchange, status.html(), "text/html"));
    // one line the submitting client shows as live progress
    server.createContext("/progress", exchange -> respond(exchange, status.progressText(), "text/plain"));
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
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
