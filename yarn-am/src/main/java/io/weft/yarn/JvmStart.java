package io.weft.yarn;

import io.weft.WeftConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * <p>The words returned here go before the user's {@code weft.am.extraJavaOptions} /
 * {@code weft.executor.extraJavaOptions}, so the user's options win (the JVM takes the last of
 * repeated flags; {@code -Xshare:off} turns CDS off).
 *
 * <p>Stateless; threading: any.
 */
public final class JvmStart {
  private JvmStart() {}

  /** The CDS archive inside the runtime archive. */
  public static final String CDS_FILE = "weft-runtime.jsa";

  /** The runtime jars' names, one a line, in the order the CDS archive was made with. */
  public static final String CLASSPATH_FILE = "weft-runtime.classpath";

  /**
   * The JVM flags of a container, before the user's extra options.
   *
   * @param cds whether the runtime archive holds a CDS archive to use
   */
  public static List<String> flags(WeftConf conf, boolean cds) {
    List<String> flags = new ArrayList<>();
    if (cds && conf.get(YarnOptions.CDS_ENABLED)) {
      flags.add("-XX:SharedArchiveFile=" + YarnConstants.LIBS_DIR + "/" + CDS_FILE);
      flags.add("-Xshare:auto");
    }
    return flags;
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
      entries.add(YarnConstants.LIBS_DIR + "/" + jar);
    }
    entries.add(Environment.PWD.$$() + "/" + YarnConstants.CONF_DIR);
    if (runtimeJars.isEmpty()) {
      entries.add(Environment.PWD.$$() + "/" + YarnConstants.LIBS_DIR + "/*");
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
   * (a {@code weft.yarn.archive} made by hand, or jars shipped per application).
   */
  public static List<String> recordedJars(Path libsDir) {
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

  /** Whether {@code libsDir} holds a CDS archive. */
  public static boolean hasCds(Path libsDir) {
    return Files.isRegularFile(libsDir.resolve(CDS_FILE));
  }
}
