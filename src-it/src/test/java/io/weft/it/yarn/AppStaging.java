package io.weft.it.yarn;

import io.weft.minicluster.EmbeddedCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;

/**
 * What a submission ships to its containers, the way a real one does it: files uploaded to an
 * HDFS staging directory and named as YARN {@link LocalResource}s, which the NodeManager
 * downloads into each container's working directory under their link names. Nothing from the
 * test JVM's classpath reaches a container by any other route, so a class or setting that
 * exists only in the test JVM fails here as it would on a real cluster.
 *
 * <p>The configuration goes as an ARCHIVE (a zip of the shipped site files plus a
 * log4j.properties that logs to stderr) linked as {@link #CONF_LINK}, meant to be first on the
 * container classpath (see {@link LaunchContexts}); jars go as FILEs under their own names.
 *
 * <p>Threading: not thread-safe; one per submission on the test thread. Failure: I/O errors
 * propagate.
 */
public final class AppStaging {
  /** The link name of the configuration directory in the container's working directory. */
  public static final String CONF_LINK = "__weft_conf__";

  private final FileSystem fs;
  private final org.apache.hadoop.fs.Path stagingDir;
  private final Path localDir;
  private final Map<String, LocalResource> resources = new LinkedHashMap<>();

  /**
   * @param stagingDir HDFS directory for this application's files (created)
   * @param localDir local scratch directory for archives and jars built here (created)
   */
  public AppStaging(FileSystem fs, org.apache.hadoop.fs.Path stagingDir, Path localDir) throws IOException {
    this.fs = fs;
    this.stagingDir = fs.makeQualified(stagingDir);
    this.localDir = Files.createDirectories(localDir);
    fs.mkdirs(this.stagingDir);
  }

  /** Ships the cluster's shippable configuration as the {@link #CONF_LINK} archive. */
  public AppStaging addConf(EmbeddedCluster cluster) throws IOException {
    Path confDir = localDir.resolve("conf");
    cluster.writeConfDir(confDir);
    Files.writeString(confDir.resolve("log4j.properties"), String.join("\n",
        "log4j.rootLogger=INFO, stderr",
        "log4j.appender.stderr=org.apache.log4j.ConsoleAppender",
        "log4j.appender.stderr.target=System.err",
        "log4j.appender.stderr.layout=org.apache.log4j.PatternLayout",
        "log4j.appender.stderr.layout.ConversionPattern=%d{HH:mm:ss,SSS} %-5p [%t] %c{1}: %m%n", ""),
        StandardCharsets.UTF_8);
    Path zip = zip(confDir, localDir.resolve("conf.zip"));
    return add(CONF_LINK, zip, LocalResourceType.ARCHIVE);
  }

  /** Ships a local jar under its own file name. */
  public AppStaging addJar(Path jar) throws IOException {
    return add(jar.getFileName().toString(), jar, LocalResourceType.FILE);
  }

  /**
   * Builds a jar of the given classes (with their nested classes) from the directory they were
   * compiled into, and ships it as {@code name}. For test code that must run in a container.
   */
  public AppStaging addClassesJar(String name, Class<?>... classes) throws IOException {
    Path jar = localDir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> c : classes) {
        addClassFiles(out, c);
      }
    }
    return addJar(jar);
  }

  /** Uploads {@code file} to the staging dir and names it {@code link} in the containers. */
  public AppStaging add(String link, Path file, LocalResourceType type) throws IOException {
    org.apache.hadoop.fs.Path dest = new org.apache.hadoop.fs.Path(stagingDir, link);
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()), dest);
    FileStatus st = fs.getFileStatus(dest);
    // Size and timestamp must match what the NodeManager finds, or localization fails.
    resources.put(link, LocalResource.newInstance(URL.fromPath(st.getPath()), type,
        LocalResourceVisibility.APPLICATION, st.getLen(), st.getModificationTime()));
    return this;
  }

  /** The resources in the order they were added (the launch context's classpath order). */
  public Map<String, LocalResource> resources() {
    return Collections.unmodifiableMap(resources);
  }

  public org.apache.hadoop.fs.Path stagingDir() {
    return stagingDir;
  }

  private static void addClassFiles(JarOutputStream out, Class<?> c) throws IOException {
    Path root;
    try {
      root = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    String pkg = c.getPackageName().replace('.', '/');
    String simple = c.getName().substring(c.getName().lastIndexOf('.') + 1);
    try (Stream<Path> files = Files.list(root.resolve(pkg))) {
      for (Path f : files.filter(f -> isClassFileOf(f, simple)).sorted().toList()) {
        out.putNextEntry(new JarEntry(pkg + "/" + f.getFileName()));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  private static boolean isClassFileOf(Path f, String simpleName) {
    String n = f.getFileName().toString();
    return n.equals(simpleName + ".class") || (n.startsWith(simpleName + "$") && n.endsWith(".class"));
  }

  private static Path zip(Path dir, Path zip) throws IOException {
    try (OutputStream os = Files.newOutputStream(zip);
        JarOutputStream out = new JarOutputStream(os);
        Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        out.putNextEntry(new JarEntry(f.getFileName().toString()));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return zip;
  }
}
