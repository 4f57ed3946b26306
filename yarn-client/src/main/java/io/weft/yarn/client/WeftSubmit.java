package io.weft.yarn.client;

import io.weft.yarn.Diagnostics;
import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;

/**
 * Submits an application: resolves its configuration (defaults file &lt; {@code --conf} &lt;
 * what the program sets), then runs it. In local mode the application's {@code main} runs in
 * this JVM with the application jar on its own class loader; with {@code --master yarn} it is
 * submitted to YARN by a {@link YarnSubmitter} and this waits for its outcome.
 *
 * <p>This is the Java API behind {@code weft submit}: it never calls {@code System.exit}, so a
 * scheduler (an Oozie java action) can run it in-process. {@link #run} returns the exit code and
 * reports failures as one clear message on {@code err}.
 */
public final class WeftSubmit {
  private final PrintStream out;
  private final PrintStream err;
  private final Supplier<Configuration> hadoopConf;

  /** Submits with the Hadoop configuration of the class path (HADOOP_CONF_DIR, YARN_CONF_DIR). */
  public WeftSubmit(PrintStream out, PrintStream err) {
    this(out, err, HadoopConfs::load);
  }

  /**
   * Submits to the cluster {@code hadoopConf} describes (with {@code -D}/{@code -conf} options
   * applied); it is asked for only when the master is yarn.
   */
  public WeftSubmit(PrintStream out, PrintStream err, Supplier<Configuration> hadoopConf) {
    this.out = out;
    this.err = err;
    this.hadoopConf = hadoopConf;
  }

  /** Runs {@code weft submit ARGS}; returns 0 only if the application succeeded. */
  public int run(List<String> args) {
    SubmitArguments parsed;
    try {
      parsed = SubmitArguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("weft submit: " + e.getMessage());
      return 2;
    }
    if (parsed.help()) {
      out.println(SubmitArguments.USAGE);
      return 0;
    }
    return run(parsed);
  }

  public int run(SubmitArguments a) {
    try {
      Map<String, String> settings = resolveSettings(a);
      for (String warning : Suggestions.ignoredSettings(settings.keySet(), Suggestions.knownKeys())) {
        err.println("weft submit: warning: " + warning);
      }
      // weft submit's own default; WeftContext has none (a program run directly must not guess)
      String master = settings.computeIfAbsent("weft.master", k -> "local[*]");
      if (master.equals("yarn")) {
        return submitToYarn(a, settings);
      }
      if (!a.files().isEmpty() || !a.archives().isEmpty()) {
        throw new IllegalArgumentException("--files and --archives need --master yarn (local mode reads files where they are)");
      }
      runInProcess(a, settings);
      return 0;
    } catch (ApplicationFailedException e) {
      err.println("Application failed: " + describe(e.getCause()));
      if (a.verbose()) {
        e.getCause().printStackTrace(err);
      }
      return 1;
    } catch (IllegalArgumentException | IOException e) {
      err.println("weft submit: " + e.getMessage());
      return 2;
    }
  }

  private int submitToYarn(SubmitArguments a, Map<String, String> settings) throws IOException {
    boolean archive = settings.containsKey(YarnOptions.ARCHIVE.key());
    List<Path> weftJars;
    try {
      weftJars = archive ? List.of() : WeftJars.ofLauncher();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    YarnSubmission submission = new YarnSubmission(a.mainClass(), a.appJar(), a.jars(), a.files(),
        a.appArgs(), settings, weftJars, a.archives());
    try (YarnSubmitter submitter = new YarnSubmitter(hadoopConf.get(), out, err).verbose(a.verbose())) {
      return submitter.run(submission);
    } catch (IOException e) {
      // the request was fine but the cluster refused or failed it (unknown queue, RM down):
      // an application failure, not a bad command line
      err.println("weft submit: " + e.getMessage());
      return 1;
    }
  }

  /** Defaults file, then {@code --conf}, then the dedicated options: later wins. */
  Map<String, String> resolveSettings(SubmitArguments a) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    Path defaults = a.propertiesFile() != null ? Path.of(a.propertiesFile()) : defaultPropertiesFile();
    if (defaults != null) {
      if (!Files.isRegularFile(defaults)) {
        if (a.propertiesFile() != null) {
          throw new IllegalArgumentException("properties file " + defaults + " does not exist");
        }
      } else {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(defaults)) {
          p.load(in);
        }
        p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k).trim()));
      }
    }
    settings.putAll(a.conf());
    if (a.master() != null) {
      settings.put("weft.master", a.master());
    }
    if (a.name() != null) {
      settings.put("weft.app.name", a.name());
    } else if (!settings.containsKey("weft.app.name")) {
      // not "weft-app" for everything; a name the program sets (setAppName) still wins in its driver
      String main = a.mainClass();
      settings.put("weft.app.name", main.substring(Math.max(main.lastIndexOf('.'), main.lastIndexOf('$')) + 1));
    }
    return settings;
  }

  /** {@code $WEFT_CONF_DIR/weft-defaults.conf} (bin/weft sets it to {@code conf/} by default). */
  private static Path defaultPropertiesFile() {
    String dir = System.getenv("WEFT_CONF_DIR");
    return dir == null ? null : Path.of(dir, "weft-defaults.conf");
  }

  private void runInProcess(SubmitArguments a, Map<String, String> settings) throws IOException {
    List<String> jars = new ArrayList<>(List.of(a.appJar()));
    jars.addAll(a.jars());
    URL[] urls = MainClassCheck.urls(jars);
    ClassLoader parent = WeftSubmit.class.getClassLoader();
    Map<String, String> previous = new LinkedHashMap<>();
    settings.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader("weft-app", urls, parent)) {
      Method main = MainClassCheck.findMain(loader, a.mainClass(), String.join(", ", jars));
      thread.setContextClassLoader(loader);
      main.invoke(null, (Object) a.appArgs().toArray(new String[0]));
    } catch (InvocationTargetException e) {
      throw new ApplicationFailedException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot call main of " + a.mainClass() + ": " + e.getMessage());
    } finally {
      thread.setContextClassLoader(before);
      previous.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  /** The exception's own message, then each cause's, without stack traces. */
  static String describe(Throwable t) {
    return Diagnostics.describe(t);
  }

  /** The application's main threw; the cause is what it threw. */
  static final class ApplicationFailedException extends RuntimeException {
    ApplicationFailedException(Throwable cause) {
      super(cause);
    }
  }
}
