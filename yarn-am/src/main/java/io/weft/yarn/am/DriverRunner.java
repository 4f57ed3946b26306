package io.weft.yarn.am;

import io.weft.cluster.ClusterBackendFactory;
import io.weft.cluster.HostedBackend;
import io.weft.config.CoreOptions;
import io.weft.yarn.Diagnostics;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the application's {@code main} on a thread of its own ("weft-driver"), with the
 * application's jars on their own class loader (also the thread's context class loader) and the
 * resolved settings, {@code weft.master=yarn} among them, as system properties, so that
 * {@code new WeftConf()} in the user's code sees what was submitted; and with the AM's backend
 * factory bound for the run of main ({@link HostedBackend}, JVM-wide), so the context main
 * creates, on whichever of its threads, runs on the AM's YARN clients.
 *
 * <p>Threading: {@link #start} once, from the AM's main thread; the outcome completes on the
 * driver thread. {@link #interrupt} may be called from any thread. Failure: everything the
 * application does wrong (missing class, no static main, an exception or error from main)
 * becomes a failed {@link Outcome} whose diagnostic names the cause; nothing is thrown.
 */
final class DriverRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DriverRunner.class);

  /** How the driver ended: succeeded, or failed with a one-message diagnostic. */
  record Outcome(boolean succeeded, String diagnostic) {
    static Outcome success() {
      return new Outcome(true, "");
    }

    static Outcome failure(String diagnostic) {
      return new Outcome(false, diagnostic);
    }
  }

  private final LaunchDetails launch;
  private final Path workDir;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private volatile Thread thread;

  /** Settings the AM adds to the driver's (weft.app.id). */
  private final Map<String, String> amSettings;
  /** The backend factory of the contexts main creates. */
  private final ClusterBackendFactory backends;

  DriverRunner(LaunchDetails launch, Path workDir, Map<String, String> amSettings, ClusterBackendFactory backends) {
    this.launch = launch;
    this.workDir = workDir;
    this.amSettings = Map.copyOf(amSettings);
    this.backends = backends;
  }

  CompletableFuture<Outcome> start() {
    Thread t = new Thread(() -> outcome.complete(runMain()), "weft-driver");
    thread = t;
    t.start();
    return outcome;
  }

  /** Interrupts the driver thread (the application is being shut down). */
  void interrupt() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private Outcome runMain() {
    String mainClass = launch.mainClass();
    Map<String, String> previous = setSystemProperties();
    Thread self = Thread.currentThread();
    ClassLoader before = self.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader("weft-app", classPath(), DriverRunner.class.getClassLoader());
        HostedBackend.Binding bound = HostedBackend.bind(backends)) {
      Method main = findMain(loader, mainClass);
      self.setContextClassLoader(loader);
      LOG.info("Running {}.main with {} argument(s)", mainClass, launch.args().size());
      main.invoke(null, (Object) launch.args().toArray(new String[0]));
      LOG.info("{}.main returned", mainClass);
      return Outcome.success();
    } catch (InvocationTargetException e) {
      LOG.error("{}.main threw", mainClass, e.getCause());
      // the stack trace travels with the diagnostic: weft submit --verbose prints it
      return Outcome.failure(Diagnostics.withTrace(
          "Application " + mainClass + " failed: " + Diagnostics.describe(e.getCause()), e.getCause()));
    } catch (ApplicationError e) {
      LOG.error(e.getMessage());
      return Outcome.failure(e.getMessage());
    } catch (IllegalAccessException | IOException | RuntimeException | LinkageError e) {
      LOG.error("Cannot run {}", mainClass, e);
      return Outcome.failure(Diagnostics.withTrace("Cannot run " + mainClass + ": " + Diagnostics.describe(e), e));
    } finally {
      self.setContextClassLoader(before);
      restoreSystemProperties(previous);
    }
  }

  private URL[] classPath() throws MalformedURLException {
    List<URL> urls = new ArrayList<>();
    for (String name : launch.appClassPath()) {
      Path jar = workDir.resolve(name);
      if (!Files.exists(jar)) {
        LOG.warn("Application class path entry {} is missing from the container", jar);
      }
      urls.add(jar.toUri().toURL());
    }
    return urls.toArray(new URL[0]);
  }

  private Method findMain(ClassLoader loader, String className) {
    Class<?> cls;
    try {
      cls = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      throw new ApplicationError("Main class " + className + " not found in the application's jars "
          + launch.appClassPath() + " (ClassNotFoundException)");
    }
    try {
      Method m = cls.getMethod("main", String[].class);
      if (!Modifier.isStatic(m.getModifiers())) {
        throw new ApplicationError("main method of " + className + " is not static");
      }
      return m;
    } catch (NoSuchMethodException e) {
      throw new ApplicationError("Class " + className + " has no public static main(String[])");
    }
  }

  private Map<String, String> setSystemProperties() {
    Map<String, String> settings = new HashMap<>(launch.conf().getAll());
    settings.put(CoreOptions.MASTER.key(), "yarn");
    settings.putAll(amSettings);
    Map<String, String> previous = new HashMap<>();
    settings.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
    return previous;
  }

  /** Puts back what was there: in the AM this hardly matters, in an in-process test it does. */
  private static void restoreSystemProperties(Map<String, String> previous) {
    previous.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
  }

  /** A problem with the application itself, reported as the diagnostic. */
  private static final class ApplicationError extends RuntimeException {
    ApplicationError(String message) {
      super(message);
    }
  }
}
