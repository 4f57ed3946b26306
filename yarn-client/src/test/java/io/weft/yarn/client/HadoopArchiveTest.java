package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.yarn.JvmStart;
import io.weft.yarn.YarnConstants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hadoop's client jars travel in an archive of their own ({@code weft-hadoop-<hash>.zip},
 * {@code __weft_hadoop__}), which a Weft upgrade leaves as it is, and not at all when the
 * cluster's class path has them; the runtime layout beside the launcher jar
 * ({@link WeftJars#beside}); and the containers' class path with and without the Hadoop archive.
 * On the local file system; {@code YarnRuntimeArchiveIT} runs the same on the embedded YARN.
 */
class HadoopArchiveTest {
  @TempDir
  Path tmp;

  private FileSystem fs;

  @BeforeEach
  void localFileSystem() throws IOException {
    fs = FileSystem.newInstanceLocal(new Configuration());
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  @Test
  void hadoopsJarsGoIntoTheirOwnArchiveWhichAWeftUpgradeDoesNotShipAgain() throws IOException {
    Path hadoopApi = zipJar("v1/hadoop", "hadoop-client-api-3.5.0.jar", "org/apache/hadoop/A.class");
    Path slf4j = zipJar("v1/hadoop", "slf4j-api-2.0.17.jar", "org/slf4j/L.class");
    Path weft1 = zipJar("v1", "weft-runtime-1.jar", "io/weft/A.class");
    Path weft2 = zipJar("v2", "weft-runtime-2.jar", "io/weft/A.class", "io/weft/B.class");
    Path appJar = Files.writeString(tmp.resolve("app.jar"), "app");
    Map<String, String> settings = Map.of("weft.yarn.archive.dir", tmp.resolve("archives").toUri().toString(),
        "weft.yarn.cds.enabled", "false");

    ApplicationResources.Staged v1 = stage(appJar, settings, List.of(weft1, hadoopApi, slf4j), new Configuration());
    List<String> classPath = List.of("weft-runtime-1.jar", "__weft_hadoop__/hadoop-client-api-3.5.0.jar",
        "__weft_hadoop__/slf4j-api-2.0.17.jar");
    assertEquals(classPath, v1.runtimeJars(), "Weft's jar, then Hadoop's from their own archive");
    assertTrue(v1.cds(), "every jar the CDS archive would be trained with is shipped");
    try (ZipFile zip = new ZipFile(local(v1.resources().get(YarnConstants.LIBS_DIR)))) {
      assertEquals(List.of("weft-runtime-1.jar", JvmStart.CLASSPATH_FILE), names(zip),
          "no Hadoop jar in Weft's archive");
      assertEquals(String.join("\n", classPath) + "\n",
          new String(zip.getInputStream(zip.getEntry(JvmStart.CLASSPATH_FILE)).readAllBytes(), StandardCharsets.UTF_8));
    }
    LocalResource hadoop = v1.resources().get(YarnConstants.HADOOP_DIR);
    String hadoopName = new org.apache.hadoop.fs.Path(hadoop.getResource().getFile()).getName();
    assertTrue(hadoopName.matches("weft-hadoop-[0-9a-f]{16}\\.zip"), hadoopName);
    try (ZipFile zip = new ZipFile(local(hadoop))) {
      assertEquals(List.of("hadoop-client-api-3.5.0.jar", "slf4j-api-2.0.17.jar"), names(zip));
      assertEquals(RuntimeArchive.ENTRY_TIME, zip.getEntry("slf4j-api-2.0.17.jar").getTime(),
          "the time the unpacked jar gets, which the CDS archive checks");
    }
    assertTrue(v1.runtimeNote().contains("Hadoop's jars: uploaded " + hadoopName), v1.runtimeNote());

    ApplicationResources.Staged v2 = stage(appJar, settings, List.of(weft2, hadoopApi, slf4j), new Configuration());
    assertNotEquals(v1.resources().get(YarnConstants.LIBS_DIR), v2.resources().get(YarnConstants.LIBS_DIR),
        "a new Weft build is a new runtime archive");
    assertEquals(hadoop, v2.resources().get(YarnConstants.HADOOP_DIR), "the same Hadoop archive: file, size and time");
    assertTrue(v2.runtimeNote().startsWith("Weft runtime: uploaded weft-runtime-"), v2.runtimeNote());
    assertTrue(v2.runtimeNote().contains("Hadoop's jars: reused " + hadoopName), v2.runtimeNote());
  }

  @Test
  void aClusterWhoseClassPathHasHadoopGetsNoHadoopArchiveAndNoCds() throws IOException {
    Path hadoopApi = zipJar("lib", "hadoop-client-api-3.5.0.jar", "org/apache/hadoop/A.class");
    Path weft = zipJar("lib", "weft-runtime-1.jar", "io/weft/A.class");
    Path appJar = Files.writeString(tmp.resolve("app.jar"), "app");
    Configuration real = new Configuration();
    real.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH,
        "$HADOOP_CONF_DIR, /usr/lib/hadoop/share/hadoop/common/*, /usr/lib/hadoop/share/hadoop/yarn/*");

    ApplicationResources.Staged staged = stage(appJar,
        Map.of("weft.yarn.archive.dir", tmp.resolve("archives").toUri().toString(), "weft.yarn.cds.enabled", "false"),
        List.of(weft, hadoopApi), real);

    assertNull(staged.resources().get(YarnConstants.HADOOP_DIR));
    assertEquals(List.of("weft-runtime-1.jar"), staged.runtimeJars());
    assertFalse(staged.cds(), "a CDS archive trained with Hadoop's jars does not fit the cluster's");
    assertTrue(staged.runtimeNote().contains("Hadoop's jars: not shipped"), staged.runtimeNote());
  }

  @Test
  void whetherHadoopIsShippedFollowsTheSettingThenTheClustersClassPath() {
    Configuration embedded = new Configuration(false); // YARN's default class path: nothing set
    Configuration real = new Configuration(false);
    real.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH, "/etc/hadoop/conf, /opt/hadoop/share/hadoop/common/*");
    WeftConf auto = new WeftConf(false);
    assertTrue(ApplicationResources.shipsHadoop(auto, embedded));
    assertFalse(ApplicationResources.shipsHadoop(auto, real));
    assertTrue(ApplicationResources.shipsHadoop(new WeftConf(false).set("weft.yarn.hadoopJars", "ship"), real));
    assertFalse(ApplicationResources.shipsHadoop(new WeftConf(false).set("weft.yarn.hadoopJars", "cluster"), embedded));
  }

  @Test
  void theRuntimeDirectoryBesideTheLauncherIsPreferredToItsLib() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("target"));
    Path launcher = Files.writeString(target.resolve("weft-yarn-client-1.jar"), "launcher");
    Files.createDirectories(target.resolve("lib"));
    Path guava = Files.writeString(target.resolve("lib/guava-33.jar"), "guava");
    Path api = Files.writeString(target.resolve("lib/hadoop-client-api-3.5.0.jar"), "api");
    assertEquals(List.of(launcher, guava, api), WeftJars.beside(launcher), "a build without runtime/");

    Files.createDirectories(target.resolve("runtime/hadoop"));
    Path shaded = Files.writeString(target.resolve("runtime/weft-runtime-1.jar"), "shaded");
    Path runtimeApi = Files.writeString(target.resolve("runtime/hadoop/hadoop-client-api-3.5.0.jar"), "api");
    Path reload4j = Files.writeString(target.resolve("runtime/hadoop/reload4j-1.2.26.jar"), "log");
    assertEquals(List.of(shaded, runtimeApi, reload4j), WeftJars.beside(launcher));
    assertEquals(List.of(shaded, runtimeApi, reload4j), WeftJars.beside(shaded),
        "a client run from the relocated jar (which holds the launcher) ships the same");
    assertTrue(WeftJars.isHadoop(reload4j));
    assertFalse(WeftJars.isHadoop(shaded));
    assertFalse(WeftJars.isHadoop(guava), "Guava goes with Weft (relocated), not with Hadoop");
  }

  @Test
  void containersListHadoopsJarsOnlyWhenTheyWereShipped() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("container"));
    Path libs = Files.createDirectories(work.resolve(YarnConstants.LIBS_DIR));
    Files.writeString(libs.resolve(JvmStart.CLASSPATH_FILE),
        "weft-runtime-1.jar\n__weft_hadoop__/hadoop-client-api.jar\n");
    Files.writeString(libs.resolve(JvmStart.CDS_FILE), "jsa");
    assertEquals(List.of("weft-runtime-1.jar"), JvmStart.recordedJars(libs), "no Hadoop archive: the cluster's");
    assertFalse(JvmStart.hasCds(libs), "trained with a Hadoop jar the class path does not have");

    Files.createDirectories(work.resolve(YarnConstants.HADOOP_DIR));
    Files.writeString(work.resolve("__weft_hadoop__/hadoop-client-api.jar"), "api");
    List<String> recorded = JvmStart.recordedJars(libs);
    assertEquals(List.of("weft-runtime-1.jar", "__weft_hadoop__/hadoop-client-api.jar"), recorded);
    assertTrue(JvmStart.hasCds(libs));
    Configuration conf = new Configuration(false);
    conf.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH, "/opt/hadoop/etc");
    assertEquals(List.of("__weft_libs__/weft-runtime-1.jar", "__weft_hadoop__/hadoop-client-api.jar",
            "{{PWD}}/__weft_conf__", "/opt/hadoop/etc"),
        List.of(JvmStart.containerClassPath(recorded, List.of(), conf)
            .split(ApplicationConstants.CLASS_PATH_SEPARATOR)));
    assertEquals(List.of("{{PWD}}/__weft_conf__", "{{PWD}}/__weft_libs__/*", "{{PWD}}/__weft_hadoop__/*",
            "/opt/hadoop/etc"),
        List.of(JvmStart.containerClassPath(List.of(), List.of(), conf)
            .split(ApplicationConstants.CLASS_PATH_SEPARATOR)),
        "without a recorded order, the Hadoop archive's jars by wildcard");
  }

  private ApplicationResources.Staged stage(Path appJar, Map<String, String> settings, List<Path> jars,
      Configuration hadoopConf) throws IOException {
    YarnSubmission s = new YarnSubmission("com.example.Main", appJar.toString(), List.of(), List.of(), List.of(),
        settings, jars);
    StagingArea area = StagingArea.at(fs, new org.apache.hadoop.fs.Path(
        Files.createTempDirectory(tmp, "staging").toUri()));
    return ApplicationResources.stage(s, s.conf(), area, hadoopConf);
  }

  private static java.io.File local(LocalResource r) {
    return new java.io.File(r.getResource().getFile());
  }

  private static List<String> names(ZipFile zip) {
    List<String> names = new ArrayList<>();
    Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
    return names;
  }

  private Path zipJar(String dir, String name, String... entries) throws IOException {
    return TestJars.zipJar(tmp, dir, name, entries);
  }
}
