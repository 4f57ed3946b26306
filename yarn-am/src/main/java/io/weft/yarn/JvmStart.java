package io.weft.yarn;

import io.weft.WeftConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * How Weft's container JVMs (the ApplicationMaster and the executors) start: the one place that
 * chooses their JVM flags and the class path of Weft's runtime. Both are made for short-lived
 * batch processes that spend most of their first seconds loading classes.
 *
 * <p><b>Class-data sharing (AppCDS).</b> The shared runtime archive ({@code weft-runtime-<hash>.zip},
 * unpacked as {@value YarnConstants#LIBS_DIR}) may hold {@value #CDS_FILE}, a JDK 17 dynamic CDS
 * archive of the classes the AM and an executor load, made by a training run when the archive was
 * published, and {@value #CLASSPATH_FILE}, the runtime jars in the order of that run. A CDS archive
 * is only used by a JVM whose class path starts with exactly the training run's entries (same
 * relative paths, same jar sizes and modification times) and that is the same JDK build; so when
 * the class-path file is there, the jars are listed one by one, relative to the container's working
 * directory, before the configuration directory, instead of {@code __weft_libs__/*} (whose order is
 * the file system's; {@link #containerClassPath}). {@code -Xshare:auto} makes any mismatch harmless: the JVM prints a
 * {@code [cds]} warning on the container's stderr and loads the classes from the jars.
 *
 * <p>The flags ({@link #flags}) go before the user's {@code weft.am.extraJavaOptions} /
 * {@code weft.executor.extraJavaOptions} ({@link #javaOptions}), so the user's options win (the
 * JVM takes the last of repeated flags; {@code -Xshare:off} turns CDS off).
 *
 * <p>Stateless; threading: any.
 */
public final class JvmStart {
  private JvmStart() {}

  /** The CDS archive inside the runtime archive. */
  public static final String CDS_FILE = "weft-runtime.jsa";

  /** The runtime jars' names, one a line, in the order the CDS archive was made with. */
  public static final String CLASSPATH_FILE = "weft-runtime.classpath";

  /** Which container a JVM is. */
  public enum Role { APPLICATION_MASTER, EXECUTOR }

  /** Executors with at most this heap use the serial collector ({@link #flags}). */
  public static final long SERIAL_GC_MAX_HEAP_MB = 1024;

  private static final Pattern CHOOSES_GC = Pattern.compile("-XX:\\+Use\\w*GC\\b");

  /**
   * The words after {@code -Xmx} and {@code -Djava.io.tmpdir} on a container's command line: Weft's
   * {@link #flags}, then the user's extra options for that role, each quoted for the shell.
   */
  public static List<String> javaOptions(WeftConf conf, Role role, boolean cds) {
    List<String> options = new ArrayList<>(flags(conf, role, cds));
    options.addAll(YarnOptions.javaOptions(conf, extraOptions(role)));
    return List.copyOf(options);
  }

  /**
   * Weft's JVM flags for a container, chosen for short-lived batch JVMs (measured with
   * {@code bin/weft bench --yarn}, docs/BENCHMARKS.md):
   *
   * <ul>
   *   <li>with {@code cds} (the runtime archive holds a CDS archive) and {@code weft.yarn.cds.enabled}:
   *       {@code -XX:SharedArchiveFile=__weft_libs__/weft-runtime.jsa -Xshare:auto};
   *   <li>the ApplicationMaster, unless the tasks run inside it: {@code -XX:TieredStopAtLevel=1}.
   *       The driver schedules and computes little, so the quick C1 compiler alone serves it and
   *       leaves the cores to the executors starting beside it; an AM that runs the tasks keeps C2;
   *   <li>an executor of at most {@value #SERIAL_GC_MAX_HEAP_MB} MiB heap: {@code -XX:+UseSerialGC},
   *       which starts no GC worker threads and pauses briefly on such heaps; not when the user's
   *       options choose a collector (two would stop the JVM from starting).
   * </ul>
   *
   * Any of them is undone by the user's options, which come after ({@code -XX:TieredStopAtLevel=4},
   * {@code -Xshare:off}).
   */
  public static List<String> flags(WeftConf conf, Role role, boolean cds) {
    List<String> flags = new ArrayList<>();
    if (cds && conf.get(YarnOptions.CDS_ENABLED)) {
      flags.add("-XX:SharedArchiveFile=" + YarnConstants.LIBS_DIR + "/" + CDS_FILE);
      flags.add("-Xshare:auto");
    }
    if (role == Role.APPLICATION_MASTER && !YarnOptions.runsInAm(conf)) {
      flags.add("-XX:TieredStopAtLevel=1");
    }
    String user = conf.get(extraOptions(role));
    boolean userChoosesGc = user != null && CHOOSES_GC.matcher(user).find();
    if (role == Role.EXECUTOR && !userChoosesGc
        && YarnOptions.toMb(conf.get(YarnOptions.EXECUTOR_MEMORY)) <= SERIAL_GC_MAX_HEAP_MB) {
      flags.add("-XX:+UseSerialGC");
    }
    return flags;
  }

  private static io.weft.config.ConfigEntry<String> extraOptions(Role role) {
    return role == Role.APPLICATION_MASTER ? YarnOptions.AM_EXTRA_JAVA_OPTIONS : YarnOptions.EXECUTOR_EXTRA_JAVA_OPTIONS;
  }

  /**
   * A container's class path (AM and executors alike). Without a recorded jar order
   * ({@code runtimeJars} empty): {@code __weft_conf__} first (so its site files win), then
   * {@code __weft_libs__/*}, the application's jars and the cluster's
   * {@code yarn.application.classpath}. With one: each runtime jar first, relative and in order (the
   * class path the CDS archive was made with), then the same entries. Moving the configuration
   * directory behind the jars changes nothing as long as no runtime jar holds a file of it
   * ({@link #CONF_FILES}), which the client checks before it records an order.
   */
  public static String containerClassPath(List<String> runtimeJars, List<String> appClassPath, Configuration conf) {
    List<String> entries = new ArrayList<>();
    for (String jar : runtimeJars) {
      entries.add(jar.contains("/") ? jar : YarnConstants.LIBS_DIR + "/" + jar);
    }
    entries.add(Environment.PWD.$$() + "/" + YarnConstants.CONF_DIR);
    if (runtimeJars.isEmpty()) {
      entries.add(Environment.PWD.$$() + "/" + YarnConstants.LIBS_DIR + "/*");
      // the Hadoop archive when it was shipped; a missing directory is no class path entry at all
      entries.add(Environment.PWD.$$() + "/" + YarnConstants.HADOOP_DIR + "/*");
    }
    for (String jar : appClassPath) {
      entries.add(Environment.PWD.$$() + "/" + jar);
    }
    for (String c : conf.getTrimmedStrings(YarnConfiguration.YARN_APPLICATION_CLASSPATH,
        YarnConfiguration.DEFAULT_YARN_CROSS_PLATFORM_APPLICATION_CLASSPATH)) {
      entries.add(c);
    }
    return String.join(ApplicationConstants.CLASS_PATH_SEPARATOR, entries);
  }

  /** What {@code __weft_conf__} may hold that a jar must not, for the jars to come first. */
  public static final List<String> CONF_FILES = List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml",
      "mapred-site.xml", "log4j.properties", YarnConstants.WEFT_PROPERTIES);

  /**
   * The jar order recorded in {@code libsDir}'s {@value #CLASSPATH_FILE}; empty when there is none
   * (a {@code weft.yarn.archive} made by hand, or jars shipped per application). A line is a jar
   * of {@code libsDir} by name, or, with a slash, a path relative to {@code libsDir}'s parent (the
   * container's working directory): {@code __weft_hadoop__/<jar>}, Hadoop's jars, which are left
   * out when the application did not ship them (the cluster's class path has Hadoop).
   */
  public static List<String> recordedJars(Path libsDir) {
    return recorded(libsDir).stream().filter(jar -> present(libsDir, jar)).toList();
  }

  private static List<String> recorded(Path libsDir) {
    Path file = libsDir.resolve(CLASSPATH_FILE);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
          .filter(l -> !l.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static boolean present(Path libsDir, String jar) {
    if (!jar.contains("/")) {
      return true;
    }
    Path workDir = libsDir.toAbsolutePath().getParent();
    return Files.isRegularFile(workDir.resolve(jar));
  }

  /**
   * Whether {@code libsDir} holds a CDS archive that a JVM with {@link #recordedJars} first on its
   * class path can use: every recorded jar was shipped (an archive trained with Hadoop's jars does
   * not fit a class path that takes Hadoop from the cluster).
   */
  public static boolean hasCds(Path libsDir) {
    return Files.isRegularFile(libsDir.resolve(CDS_FILE))
        && recorded(libsDir).stream().allMatch(jar -> present(libsDir, jar));
  }
}
