package io.weft.it.yarn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;

/**
 * Builds the {@link ContainerLaunchContext} of a Java main in a container: the shipped
 * configuration directory first on the classpath (so {@code new YarnConfiguration()} inside
 * finds the RM and HDFS), then the shipped jars in order, and {@code {{JAVA_HOME}}/bin/java}
 * with stdout and stderr in the container's log directory.
 *
 * <p>Also finds the client jars (hadoop-client-api, -runtime, SLF4J, reload4j) in the test
 * JVM's classpath so that they can be <em>shipped</em> like any other jar: a container's
 * classpath is only what {@link AppStaging} shipped.
 *
 * <p>Threading: stateless.
 */
public final class LaunchContexts {
  /** The jars a YARN client or AM needs: Hadoop's shaded client and a logging binding. */
  public static final List<String> HADOOP_CLIENT_ARTIFACTS = List.of(
      "hadoop-client-api", "hadoop-client-runtime", "slf4j-api", "slf4j-reload4j", "reload4j",
      "commons-logging");

  private LaunchContexts() {}

  /**
   * A launch context running {@code mainClass} with a {@code heapMb} heap.
   *
   * @param resources the shipped files, {@link AppStaging#CONF_LINK} among them; jars are put on
   *     the classpath in this map's order
   */
  public static ContainerLaunchContext javaMain(Map<String, LocalResource> resources, String mainClass,
      int heapMb, String... args) {
    StringBuilder cp = new StringBuilder(Environment.PWD.$$()).append('/').append(AppStaging.CONF_LINK);
    for (String link : resources.keySet()) {
      if (link.endsWith(".jar")) {
        cp.append(ApplicationConstants.CLASS_PATH_SEPARATOR).append(Environment.PWD.$$()).append('/').append(link);
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Environment.JAVA_HOME.$$() + "/bin/java");
    command.add("-Xmx" + heapMb + "m");
    command.add(mainClass);
    command.addAll(Arrays.asList(args));
    command.add("1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout");
    command.add("2>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr");
    return ContainerLaunchContext.newInstance(resources, Map.of(Environment.CLASSPATH.name(), cp.toString()),
        List.of(String.join(" ", command)), null, null, null);
  }

  /**
   * The jars of the given artifacts on this JVM's classpath ({@code name-<version>.jar}), in
   * the given order; fails when one is missing, since the container would then fail obscurely.
   */
  public static List<Path> jarsOnClasspath(List<String> artifacts) {
    String[] entries = System.getProperty("java.class.path").split(java.io.File.pathSeparator);
    List<Path> jars = new ArrayList<>();
    for (String artifact : artifacts) {
      Path found = null;
      for (String e : entries) {
        String name = Path.of(e).getFileName().toString();
        if (name.endsWith(".jar") && name.startsWith(artifact + "-")
            && Character.isDigit(name.charAt(artifact.length() + 1))) {
          found = Path.of(e);
          break;
        }
      }
      if (found == null) {
        throw new IllegalStateException("no " + artifact + "-<version>.jar on the test classpath");
      }
      jars.add(found);
    }
    return jars;
  }
}
