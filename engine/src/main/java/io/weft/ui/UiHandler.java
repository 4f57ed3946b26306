package io.weft.ui;

import com.sun.net.httpserver.HttpExchange;
import io.weft.status.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Serves one application's web UI under a path prefix: the static pages ({@code index.html},
 * {@code ui.js}, {@code ui.css} from this jar) and the JSON of {@link AppStatusStore}:
 *
 * <pre>
 *   api/v1/applications                       [the application]
 *   api/v1/applications/ID                    the application
 *   api/v1/applications/ID/jobs               every job
 *   api/v1/applications/ID/jobs/J             one job with its DAG
 *   api/v1/applications/ID/stages             every stage
 *   api/v1/applications/ID/stages/S           one stage: summary quantiles, diagnosis
 *   api/v1/applications/ID/stages/S/tasks?offset=O&amp;length=L   a page of its task attempts
 *   api/v1/applications/ID/executors          executors with totals, memory and log links
 *   api/v1/applications/ID/storage            cached datasets: level, partitions, bytes in memory / on disk
 *   api/v1/applications/ID/environment        versions and configuration (redacted)
 * </pre>
 *
 * The pages use only relative URLs, so they work at the AM's own address, behind the
 * ResourceManager's proxy ({@code /proxy/<appId>/}) and in the history server
 * ({@code /history/<appId>/}).
 *
 * <p>Threading: called on the HTTP server's threads; the store is thread-safe.
 */
public final class UiHandler {
  /** Largest page of tasks one request may ask for: a page, not the stage. */
  public static final int MAX_TASK_PAGE = 1000;
  private static final Map<String, String> TYPES = Map.of("html", "text/html", "js", "application/javascript",
      "css", "text/css", "json", "application/json");

  private final AppStatusStore store;
  private final Function<String, String> logLinks;

  /** @param logLinks an executor id's container log URL, or null (none known) */
  public UiHandler(AppStatusStore store, Function<String, String> logLinks) {
    this.store = store;
    this.logLinks = logLinks;
  }

  /** Answers {@code path} (relative to the mount, no leading slash); false if it is not the UI's. */
  public boolean handle(HttpExchange exchange, String path) throws IOException {
    if (path.isEmpty() || path.equals("index.html")) {
      return serveResource(exchange, "index.html");
    }
    if (path.equals("ui.js") || path.equals("ui.css")) {
      return serveResource(exchange, path);
    }
    if (!path.startsWith("api/v1/applications")) {
      return false;
    }
    Object body = api(path.substring("api/v1/applications".length()), query(exchange.getRequestURI()));
    if (body == null) {
      send(exchange, 404, "application/json", "{\"error\":\"not found: " + path.replace("\"", "") + "\"}");
    } else {
      send(exchange, 200, "application/json", Json.write(body));
    }
    return true;
  }

  /** The JSON answer for {@code rest} (after {@code api/v1/applications}), or null for 404. */
  Object api(String rest, Map<String, String> query) {
    String[] parts = rest.replaceAll("^/+|/+$", "").split("/");
    if (parts.length == 1 && parts[0].isEmpty()) {
      return List.of(store.application());
    }
    if (!parts[0].equals(store.appId())) {
      return null;
    }
    try {
      if (parts.length == 1) {
        return store.application();
      }
      switch (parts[1]) {
        case "jobs":
          return parts.length == 2 ? store.jobs() : store.job(Integer.parseInt(parts[2]));
        case "stages":
          if (parts.length == 2) {
            return store.stages();
          }
          int stageId = Integer.parseInt(parts[2]);
          if (parts.length == 3) {
            return store.stageDetail(stageId);
          }
          int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
          int length = Math.min(MAX_TASK_PAGE, Integer.parseInt(query.getOrDefault("length", "100")));
          return parts[3].equals("tasks") ? store.tasks(stageId, offset, length) : null;
        case "executors":
          List<Map<String, Object>> executors = store.executors();
          for (Map<String, Object> e : executors) {
            e.put("logs", logLinks.apply((String) e.get("id")));
          }
          return executors;
        case "storage":
          return store.storage();
        case "environment":
          return store.environment();
        default:
          return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> q = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          q.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  /** Sends a static file of the UI from the classpath; false if there is none of that name. */
  public static boolean serveResource(HttpExchange exchange, String name) throws IOException {
    try (InputStream in = UiHandler.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        return false;
      }
      String ext = name.substring(name.lastIndexOf('.') + 1);
      send(exchange, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
      return true;
    }
  }

  public static void send(HttpExchange exchange, int code, String type, String text) throws IOException {
    send(exchange, code, type, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
