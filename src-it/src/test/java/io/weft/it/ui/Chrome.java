package io.weft.it.ui;

import io.weft.status.Json;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver API (JSON over HTTP, with the
 * JDK's client: no Selenium). {@link #available()} says whether the Debian packages
 * {@code chromium} and {@code chromium-driver} are there, trying the project's
 * {@code .ci/install-browser} once when they are not.
 *
 * <p>Threading: one test thread. Failure: WebDriver errors throw {@link IOException} with
 * chromedriver's message.
 */
final class Chrome implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static String unavailable;

  private final Process driver;
  private final String base;
  private final String session;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Null when the browser is there (installed now if need be), else why it is not. */
  static synchronized String whyUnavailable() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)) {
      return null;
    }
    if (unavailable == null) {
      Path script = Path.of(System.getProperty("user.dir")).getParent().resolve(".ci/install-browser");
      String result;
      try {
        Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean ended = p.waitFor(10, TimeUnit.MINUTES);
        result = ended && p.exitValue() == 0 ? null : script + " failed: " + out.trim();
      } catch (IOException | InterruptedException e) {
        result = "cannot run " + script + ": " + e;
      }
      unavailable = result != null ? result
          : Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER) ? "" : "chromium still missing after " + script;
    }
    return unavailable.isEmpty() ? null : "no headless Chromium (" + CHROMIUM + ", " + DRIVER + "): " + unavailable;
  }

  private Chrome(Process driver, String base, String session) {
    this.driver = driver;
    this.base = base;
    this.session = session;
  }

  /** Starts chromedriver and a headless Chromium session with a fresh profile under {@code profileParent}. */
  @SuppressWarnings("unchecked")
  static Chrome start(Path profileParent) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process driver = new ProcessBuilder(DRIVER.toString(), "--port=" + port)
        .redirectErrorStream(true).redirectOutput(new File(profileParent.toFile(), "chromedriver.log")).start();
    String base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) { // ready when /status says so
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.body().contains("\"ready\":true")) {
          break;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline || !driver.isAlive()) {
        driver.destroyForcibly();
        throw new IOException("chromedriver did not start on port " + port);
      }
      Thread.sleep(100);
    }
    Path profile = Files.createTempDirectory(profileParent, "chromium-profile");
    Map<String, Object> caps = Map.of("capabilities", Map.of("alwaysMatch", Map.of("browserName", "chrome",
        "goog:chromeOptions", Map.of("binary", CHROMIUM.toString(), "args", List.of("--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
            "--user-data-dir=" + profile)))));
    Chrome chrome = null;
    try {
      Map<String, Object> value = (Map<String, Object>) call(http, "POST", base + "/session", caps);
      chrome = new Chrome(driver, base, (String) value.get("sessionId"));
      return chrome;
    } finally {
      if (chrome == null) {
        driver.destroyForcibly();
      }
    }
  }

  void open(String url) throws IOException, InterruptedException {
    call(http, "POST", base + "/session/" + session + "/url", Map.of("url", url));
  }

  /** Runs {@code script} (a function body that returns a value) in the page. */
  Object eval(String script) throws IOException, InterruptedException {
    return call(http, "POST", base + "/session/" + session + "/execute/sync", Map.of("script", script, "args", List.of()));
  }

  /** Polls {@code script} until it returns true (bounded): waits for the page to show something. */
  void await(String script, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!Boolean.TRUE.equals(eval(script))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the page never satisfied: " + script + "\npage text: "
            + eval("return document.body.innerText.slice(0, 2000);"));
      }
      Thread.sleep(100);
    }
  }

  void screenshot(Path png) throws IOException, InterruptedException {
    String b64 = (String) call(http, "GET", base + "/session/" + session + "/screenshot", null);
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(b64));
  }

  @SuppressWarnings("unchecked")
  private static Object call(HttpClient http, String method, String url, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json");
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Object> json = (Map<String, Object>) Json.parse(r.body());
    if (r.statusCode() != 200) {
      throw new IOException("WebDriver " + method + " " + url + ": HTTP " + r.statusCode() + " " + json.get("value"));
    }
    return json.get("value");
  }

  @Override
  public void close() {
    try {
      call(http, "DELETE", base + "/session/" + session, null);
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the driver goes anyway
    } finally {
      driver.destroy();
      try {
        if (!driver.waitFor(10, TimeUnit.SECONDS)) {
          driver.destroyForcibly();
        }
      } catch (InterruptedException e) {
        driver.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
