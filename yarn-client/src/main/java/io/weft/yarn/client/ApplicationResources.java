package io.weft.yarn.client;

import io.weft.WeftConf;
import io.weft.yarn.YarnConstants;
import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * Decides what a submission ships to its containers and under which link name, and stages it:
 *
 * <ul>
 *   <li>the application jar as {@value YarnConstants#APP_JAR}, each {@code --jars} entry and each
 *       {@code --files} entry under its own file name (the application's class path is the app
 *       jar, then the extra jars, in order);
 *   <li>each {@code --archives} entry as an ARCHIVE (unpacked by the NodeManager) under its file
 *       name, or under the name after its {@code #};
 *   <li>Weft's runtime as the archive {@code __weft_libs__}: {@code weft.yarn.archive} when set,
 *       else the shared {@link RuntimeArchive} in {@code weft.yarn.archive.dir} (uploaded by the
 *       first submission of a Weft build, reused by later ones), both used in place; only when
 *       that cannot be published, Weft's jars uploaded as {@code __weft_libs__/<jar>}.
 * </ul>
 *
 * Local files are uploaded into the {@link StagingArea}; a URI on another file system (say
 * {@code hdfs://…/app.jar}) is used in place. The configuration archive is added separately,
 * since it describes these resources.
 *
 * <p>Threading: the submitting thread. Failure: {@link #checkInputs} throws an
 * {@link IllegalArgumentException} naming a missing input before anything is staged; I/O errors
 * while staging propagate.
 */
final class ApplicationResources {
  private ApplicationResources() {}

  /**
   * The staged resources by link name, the link names of the application's class path, one line
   * for the user on how Weft's runtime was shipped (uploaded, reused, or configured; null when the
   * submission named no runtime jars), and the runtime jars' names in the order the shared runtime
   * archive records ({@link io.weft.yarn.JvmStart}; empty for any other way of shipping them).
   */
  record Staged(Map<String, LocalResource> resources, List<String> appClassPath, String runtimeNote,
      List<String> runtimeJars, boolean cds) {}

  /** Checks that every input exists and that no two share a link name. */
  static void checkInputs(YarnSubmission s, WeftConf conf, Configuration hadoopConf) throws IOException {
    checkExists(s.appJar(), "application jar", hadoopConf);
    List<String> names = new ArrayList<>(List.of(YarnConstants.APP_JAR));
    for (String j : s.jars()) {
      checkExists(j, "--jars entry", hadoopConf);
      checkUniqueName(names, j);
    }
    for (String f : s.files()) {
      checkExists(f, "--files entry", hadoopConf);
      checkUniqueName(names, f);
    }
    for (String a : s.archives()) {
      checkExists(withoutAlias(a), "--archives entry", hadoopConf);
      checkUniqueName(names, linkName(a));
    }
    String archive = conf.get(YarnOptions.ARCHIVE);
    if (archive != null) {
      Path p = new Path(archive);
      if (!p.getFileSystem(hadoopConf).exists(p)) {
        throw new IllegalArgumentException(YarnOptions.ARCHIVE.key() + " " + archive + " does not exist");
      }
    } else {
      for (java.nio.file.Path jar : s.weftJars()) {
        if (!Files.isRegularFile(jar)) {
          throw new IllegalArgumentException("Weft runtime jar " + jar + " does not exist");
        }
      }
    }
  }

  /** Uploads or references every resource; see the class doc for the link names. */
  static Staged stage(YarnSubmission s, WeftConf conf, StagingArea area, Configuration hadoopConf)
      throws IOException {
    Map<String, LocalResource> resources = new LinkedHashMap<>();
    List<String> classPath = new ArrayList<>();
    resources.put(YarnConstants.APP_JAR, ship(s.appJar(), YarnConstants.APP_JAR, area, hadoopConf));
    classPath.add(YarnConstants.APP_JAR);
    for (String j : s.jars()) {
      String name = fileName(j);
      resources.put(name, ship(j, name, area, hadoopConf));
      classPath.add(name);
    }
    for (String f : s.files()) {
      String name = fileName(f);
      resources.put(name, ship(f, name, area, hadoopConf));
    }
    for (String a : s.archives()) {
      String name = linkName(a);
      String source = withoutAlias(a);
      java.nio.file.Path local = localPath(source);
      resources.put(name, local != null
          ? area.upload(local, name + "-" + fileName(source), LocalResourceType.ARCHIVE)
          : StagingArea.inPlace(new Path(source), LocalResourceType.ARCHIVE, hadoopConf));
    }
    String archive = conf.get(YarnOptions.ARCHIVE);
    String runtimeNote;
    List<String> runtimeJars = List.of();
    boolean cds = false;
    if (archive != null) {
      LocalResource r = StagingArea.inPlace(new Path(archive), LocalResourceType.ARCHIVE, hadoopConf);
      resources.put(YarnConstants.LIBS_DIR, r);
      runtimeNote = "Weft runtime: " + YarnOptions.ARCHIVE.key() + " " + archive + " (" + r.getVisibility() + ")";
    } else if (!s.weftJars().isEmpty()) {
      boolean shipHadoop = shipsHadoop(conf, hadoopConf);
      List<java.nio.file.Path> shipped = s.weftJars().stream()
          .filter(j -> shipHadoop || !WeftJars.isHadoop(j)).toList();
      runtimeNote = shipRuntime(s.weftJars(), shipHadoop, conf, area, hadoopConf, resources);
      if (resources.containsKey(YarnConstants.LIBS_DIR) && RuntimeArchive.recordsOrder(s.weftJars())) {
        runtimeJars = RuntimeArchive.classPathLines(shipped);
        // the CDS archive was trained with Hadoop's jars on the class path: not of use without them
        cds = shipped.size() == s.weftJars().size();
      }
    } else {
      runtimeNote = null; // a caller that ships Weft by other means (tests)
    }
    return new Staged(resources, classPath, runtimeNote, runtimeJars, cds);
  }

  /**
   * Weft's jars as the shared {@link RuntimeArchive}, or, when it cannot be published (the
   * directory is not writable, say), uploaded into this application's staging directory as
   * before. Returns the line telling the user which happened.
   */
  private static String shipRuntime(List<java.nio.file.Path> jars, boolean shipHadoop, WeftConf conf,
      StagingArea area, Configuration hadoopConf, Map<String, LocalResource> resources) throws IOException {
    Path dir = RuntimeArchive.directory(conf, hadoopConf);
    FileSystem fs = dir.getFileSystem(hadoopConf);
    List<java.nio.file.Path> hadoopJars = jars.stream().filter(WeftJars::isHadoop).toList();
    RuntimeArchive.Published published;
    RuntimeArchive.Published hadoop = null;
    try {
      published = RuntimeArchive.publish(fs, dir, jars, conf.get(YarnOptions.ARCHIVE_KEEP),
          conf.get(YarnOptions.CDS_ENABLED));
      if (shipHadoop && !hadoopJars.isEmpty()) {
        hadoop = RuntimeArchive.publishHadoop(fs, dir, hadoopJars, conf.get(YarnOptions.ARCHIVE_KEEP));
      }
    } catch (IOException e) {
      for (java.nio.file.Path jar : jars) {
        if (!shipHadoop && WeftJars.isHadoop(jar)) {
          continue;
        }
        String name = YarnConstants.LIBS_DIR + "/" + jar.getFileName();
        // staged flat: a slash in an HDFS name would create a directory for nothing
        resources.put(name, area.upload(jar, YarnConstants.LIBS_DIR + "-" + jar.getFileName(), LocalResourceType.FILE));
      }
      return RuntimeArchive.perApplicationNote(jars, dir, e);
    }
    LocalResource r = StagingArea.inPlace(published.path(), LocalResourceType.ARCHIVE, hadoopConf);
    resources.put(YarnConstants.LIBS_DIR, r);
    String note = RuntimeArchive.note(published, StagingArea.notPublicAt(fs, published.path()));
    if (hadoop != null) {
      resources.put(YarnConstants.HADOOP_DIR,
          StagingArea.inPlace(hadoop.path(), LocalResourceType.ARCHIVE, hadoopConf));
      return note + "\n" + RuntimeArchive.hadoopNote(hadoop);
    }
    return hadoopJars.isEmpty() ? note : note + "\nHadoop's jars: not shipped, the containers take them from the "
        + "cluster's yarn.application.classpath (" + YarnOptions.HADOOP_JARS.key() + "="
        + conf.get(YarnOptions.HADOOP_JARS) + ")";
  }

  /**
   * Whether Hadoop's client jars go with the application ({@code weft.yarn.hadoopJars}): on auto,
   * unless the client's configuration sets {@code yarn.application.classpath} with an entry under
   * {@code share/hadoop}, as a real cluster's does (YARN's default names the same directories
   * through environment variables a NodeManager may not set: the embedded cluster's do not).
   */
  static boolean shipsHadoop(WeftConf conf, Configuration hadoopConf) {
    switch (conf.get(YarnOptions.HADOOP_JARS)) {
      case "ship":
        return true;
      case "cluster":
        return false;
      default:
        for (String entry : hadoopConf.getTrimmedStrings(YarnConfiguration.YARN_APPLICATION_CLASSPATH)) {
          if (entry.contains("share/hadoop")) {
            return false;
          }
        }
        return true;
    }
  }

  private static LocalResource ship(String source, String name, StagingArea area, Configuration hadoopConf)
      throws IOException {
    java.nio.file.Path local = localPath(source);
    return local != null
        ? area.upload(local, name, LocalResourceType.FILE)
        : StagingArea.inPlace(new Path(source), LocalResourceType.FILE, hadoopConf);
  }

  /** The local path {@code source} names, or null when it is a URI on another file system. */
  static java.nio.file.Path localPath(String source) {
    URI uri = URI.create(source.replace(" ", "%20"));
    String scheme = uri.getScheme();
    if (scheme == null || scheme.length() == 1) { // a plain path (or a Windows drive letter)
      return java.nio.file.Path.of(source);
    }
    return scheme.equals("file") ? java.nio.file.Path.of(uri) : null;
  }

  private static void checkExists(String source, String what, Configuration hadoopConf) throws IOException {
    java.nio.file.Path local = localPath(source);
    boolean exists;
    if (local != null) {
      exists = Files.isRegularFile(local);
    } else {
      Path p = new Path(source);
      FileSystem fs = p.getFileSystem(hadoopConf);
      exists = fs.isFile(p);
    }
    if (!exists) {
      throw new IllegalArgumentException(what + " " + source + " does not exist");
    }
  }

  private static void checkUniqueName(List<String> names, String source) {
    String name = fileName(source);
    if (names.contains(name)) {
      throw new IllegalArgumentException("two shipped files would both be named " + name
          + " in the containers' working directory (" + source + ")");
    }
    names.add(name);
  }

  /** {@code deps.zip#deps} → {@code deps}; {@code /x/deps.zip} → {@code deps.zip}. */
  static String linkName(String archive) {
    int hash = archive.lastIndexOf('#');
    return hash >= 0 ? archive.substring(hash + 1) : fileName(archive);
  }

  static String withoutAlias(String archive) {
    int hash = archive.lastIndexOf('#');
    return hash >= 0 ? archive.substring(0, hash) : archive;
  }

  static String fileName(String source) {
    return new Path(source).getName();
  }
}
