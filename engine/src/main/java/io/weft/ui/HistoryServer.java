package io.weft.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weft.WeftConf;
import io.weft.config.UiOptions;
import io.weft.status.EventLogWriter;
import io.weft.status.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI of finished (and still running) applications, from their event logs
 * ({@code bin/weft history [--port P] [--dir D]}): {@code /} lists the applications (name, user,
 * start, duration, status), {@code /history/<appId>/} serves the same pages and JSON as the
 * ApplicationMaster did. A log that changed is read on from where the last read stopped
 * ({@link LogFollower}), so an application still running shows its progress up to its last flush
 * at the cost of what it wrote since.
 *
 * <p>Threading: a small pool serves requests; the cache is a concurrent map. Failure: a log
 * that cannot be read is left out of the list and logged.
 */
public final class HistoryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryServer.class);
  public static final int DEFAULT_PORT = 18080;

  private final Configuration conf;
  private final Path dir;
  private final HttpServer server;
  private final ExecutorService pool;
  /** The followed logs by file name without {@code .inprogress}: a log renamed at the end is followed on. */
  private final Map<String, LogFollower> cache = new ConcurrentHashMap<>();

  private HistoryServer(Configuration conf, Path dir, HttpServer server, ExecutorService pool) {
    this.conf = conf;
    this.dir = dir;
    this.server = server;
    this.pool = pool;
  }

  /** Serves the logs in {@code dir} on {@code port} (0: any free port). */
  public static HistoryServer start(Configuration conf, String dir, int port) throws IOException {
    Path base = new Path(dir);
    base = base.getFileSystem(conf).makeQualified(base);
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "weft-history-http");
      t.setDaemon(true);
      return t;
    });
    HistoryServer history = new HistoryServer(conf, base, server, pool);
    server.createContext("/", history::serve);
    server.setExecutor(pool);
    server.start();
    LOG.info("History server on port {} reading event logs in {}", history.port(), base);
    return history;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public Path dir() {
    return dir;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath().replaceFirst("^/+", "");
      if (path.isEmpty() || path.equals("index.html")) {
        UiHandler.serveResource(exchange, "history.html");
      } else if (path.equals("ui.css")) {
        UiHandler.serveResource(exchange, path);
      } else if (path.equals("api/v1/applications") || path.equals("api/v1/applications/")) {
        UiHandler.send(exchange, 200, "application/json", Json.write(applications()));
      } else if (path.startsWith("history/")) {
        serveApp(exchange, path.substring("history/".length()));
      } else {
        UiHandler.send(exchange, 404, "text/plain", "not found: " + path);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} failed: {}", exchange.getRequestURI(), e.toString());
      UiHandler.send(exchange, 500, "text/plain", e.toString());
    } finally {
      exchange.close();
    }
  }

  private void serveApp(HttpExchange exchange, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String appId = slash < 0 ? rest : rest.substring(0, slash);
    if (slash < 0) { // the pages' relative URLs need the trailing slash
      exchange.getResponseHeaders().set("Location", "/history/" + appId + "/");
      exchange.sendResponseHeaders(302, -1);
      return;
    }
    AppStatusStore store = load().get(appId);
    if (store == null) {
      UiHandler.send(exchange, 404, "text/plain", "no event log for " + appId + " in " + dir);
    } else if (!new UiHandler(store, id -> null).handle(exchange, rest.substring(slash + 1))) {
      UiHandler.send(exchange, 404, "text/plain", "not found: " + rest);
    }
  }

  /** Every application with a log, newest first, each with the link to its pages. */
  List<Map<String, Object>> applications() throws IOException {
    List<Map<String, Object>> apps = new ArrayList<>();
    for (AppStatusStore store : load().values()) {
      Map<String, Object> app = store.application();
      app.put("link", "history/" + app.get("id") + "/");
      apps.add(app);
    }
    apps.sort(Comparator.comparing((Map<String, Object> a) -> (Long) a.get("startTime")).reversed());
    return apps;
  }

  /** The applications by id, each log read on only if it changed. */
  private Map<String, AppStatusStore> load() throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Map<String, AppStatusStore> apps = new ConcurrentHashMap<>();
    if (!fs.exists(dir)) {
      return apps;
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (!st.isFile() || name.startsWith(".") || name.endsWith(".crc")) {
        continue;
      }
      String key = name.replace(EventLogWriter.IN_PROGRESS, "");
      seen.add(key);
      AppStatusStore store;
      try {
        store = cache.computeIfAbsent(key, k -> new LogFollower(conf)).update(st);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Skipping event log {}: {}", st.getPath(), e.toString());
        continue;
      }
      String id = store.appId();
      if (id != null) {
        // an application restarted by YARN has a log per attempt: the latest attempt's is shown
        apps.merge(id, store, (a, b) -> startTime(b) >= startTime(a) ? b : a);
      }
    }
    cache.keySet().retainAll(seen); // logs deleted since
    return apps;
  }

  private static long startTime(AppStatusStore store) {
    return (Long) store.application().get("startTime");
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  /** {@code bin/weft history [--port P] [--dir D]}: runs until the process is stopped. */
  public static void main(String[] args) throws Exception {
    int port = DEFAULT_PORT;
    String dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--dir" -> dir = args[++i];
        case "--help", "-h" -> {
          System.out.println("Usage: weft history [--port P] [--dir D]\n  serves the web UI of the applications "
              + "whose event logs are in D (default: weft.eventLog.dir, " + UiOptions.EVENT_LOG_DIR.defaultValue()
              + " under your home directory on the default file system) on port P (default " + DEFAULT_PORT + ")");
          return;
        }
        default -> throw new IllegalArgumentException("weft history: unknown argument " + args[i]
            + " (usage: weft history [--port P] [--dir D])");
      }
    }
    if (dir == null) {
      dir = new WeftConf().get(UiOptions.EVENT_LOG_DIR);
    }
    HistoryServer history = start(new Configuration(), dir, port);
    System.out.println("Weft history server: http://" + java.net.InetAddress.getLocalHost().getCanonicalHostName()
        + ":" + history.port() + "/ (event logs in " + history.dir() + ")");
    Thread.currentThread().join();
  }
}
