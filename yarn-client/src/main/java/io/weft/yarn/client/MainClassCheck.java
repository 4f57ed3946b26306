package io.weft.yarn.client;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds an application's {@code public static void main(String[])} in its jars without running
 * anything of it (the class is loaded, not initialized). Local mode uses it to run main; a YARN
 * submission uses it to fail in a second, naming the class and the jars, instead of after the
 * application started on the cluster.
 *
 * <p>Threading: any. Failure: {@link IllegalArgumentException} naming the class and the jars.
 */
final class MainClassCheck {
  private MainClassCheck() {}

  /** Checks {@code className} in the local {@code appJar} and {@code jars} (other URIs are skipped). */
  static void check(String className, String appJar, List<String> jars) throws IOException {
    List<String> local = new ArrayList<>();
    if (ApplicationResources.localPath(appJar) == null) {
      return; // the jar is on the cluster's file system: the ApplicationMaster will tell
    }
    local.add(appJar);
    for (String j : jars) {
      if (ApplicationResources.localPath(j) != null) {
        local.add(j);
      }
    }
    try (URLClassLoader loader = new URLClassLoader("weft-app-check", urls(local), MainClassCheck.class.getClassLoader())) {
      findMain(loader, className, String.join(", ", local));
    } catch (MissingDependencyException e) {
      if (local.size() == 1 + jars.size()) {
        throw e;
      }
      // what it needs may be in a --jars entry on the cluster's file system, which we did not load
    }
  }

  /** The names of the top-level classes a class loader's jars hold (for a "did you mean"). */
  static List<String> classesIn(ClassLoader loader) {
    List<String> names = new ArrayList<>();
    if (!(loader instanceof URLClassLoader urls)) {
      return names;
    }
    for (URL jar : urls.getURLs()) {
      try (java.util.jar.JarFile f = new java.util.jar.JarFile(new File(jar.toURI()))) {
        f.stream().map(java.util.zip.ZipEntry::getName)
            .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.endsWith("module-info.class"))
            .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
            .forEach(names::add);
      } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
        // no suggestion from this jar
      }
    }
    return names;
  }

  /** The main class was found but needs a class none of the jars has. */
  static final class MissingDependencyException extends IllegalArgumentException {
    MissingDependencyException(String message) {
      super(message);
    }
  }

  /** The URLs of local jar paths; each must exist. */
  static URL[] urls(List<String> paths) throws MalformedURLException {
    List<URL> urls = new ArrayList<>();
    for (String path : paths) {
      java.nio.file.Path local = ApplicationResources.localPath(path);
      if (local == null) {
        throw new IllegalArgumentException("application jar " + path + " is not on this machine (local mode "
            + "loads jars from local paths; --master yarn also takes jars on the cluster's file system)");
      }
      File f = local.toFile();
      if (!f.isFile()) {
        throw new IllegalArgumentException("application jar " + path + " does not exist");
      }
      urls.add(f.toURI().toURL());
    }
    return urls.toArray(new URL[0]);
  }

  /** {@code className}'s public static main(String[]), loaded but not initialized by {@code loader}. */
  static Method findMain(ClassLoader loader, String className, String jars) {
    Class<?> cls;
    try {
      cls = Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      String guess = Suggestions.didYouMean(className, classesIn(loader));
      throw new IllegalArgumentException("class " + className + " not found in " + jars
          + (guess.isEmpty() ? " (--class names the main class with its package, e.g. com.example.MyJob)" : guess));
    } catch (NoClassDefFoundError e) {
      // found, but its superclass or an interface is missing: name that one
      throw new MissingDependencyException("class " + className + " in " + jars + " cannot be loaded: it needs "
          + String.valueOf(e.getMessage()).replace('/', '.') + ", which none of them holds (add its jar with --jars)");
    }
    Method m;
    try {
      m = cls.getMethod("main", String[].class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("class " + className + " in " + jars + " has no public static main(String[])");
    } catch (NoClassDefFoundError e) {
      throw new MissingDependencyException("class " + className + " in " + jars + " cannot be loaded: it needs "
          + String.valueOf(e.getMessage()).replace('/', '.') + ", which none of them holds (add its jar with --jars)");
    }
    if (!Modifier.isStatic(m.getModifiers())) {
      throw new IllegalArgumentException("main method of " + className + " in " + jars + " is not static");
    }
    return m;
  }
}
