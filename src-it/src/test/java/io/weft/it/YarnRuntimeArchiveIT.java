package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.SumsAndPrints;
import io.weft.it.yarn.WeftOnYarn;
import io.weft.yarn.JvmStart;
import io.weft.yarn.StagedResources;
import io.weft.yarn.client.RuntimeArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft's runtime is uploaded once per build and shared: on the embedded cluster, the first
 * submission publishes {@code weft-runtime-<hash>.zip} into {@code weft.yarn.archive.dir}, the
 * second uploads nothing of Weft (its staging directory holds only the application's jar and
 * configuration, the archive directory is unchanged), the launch contexts name the archive
 * PUBLIC, and the one NodeManager holds a single localized copy in its public
 * cache after both applications, whose executors ran their tasks from it. Concurrent first
 * publications on HDFS leave one complete archive.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class YarnRuntimeArchiveIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static Path tmp;

  private static final String ARCHIVE_DIR = "/shared/weft/archives";

  @Test
  void theSecondSubmissionUploadsNoWeftJarAndTheRuntimeIsLocalizedPublicOnce() throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    org.apache.hadoop.fs.Path dir = fs.makeQualified(new org.apache.hadoop.fs.Path(ARCHIVE_DIR));
    Path jar = WeftOnYarn.appJar(SumsAndPrints.class, tmp);

    WeftOnYarn.Run first = run(jar, "first");
    assertSucceededWithItsTasks(first);
    assertTrue(first.output().contains("Weft runtime: uploaded weft-runtime-"), first.output());
    assertTrue(first.output().contains("Hadoop's jars: uploaded weft-hadoop-"), first.output());
    List<FileStatus> published = new ArrayList<>(List.of(fs.listStatus(dir)));
    published.sort(java.util.Comparator.comparing(st -> st.getPath().getName()));
    assertEquals(2, published.size(), "Hadoop's archive and Weft's: " + published);
    FileStatus hadoop = published.get(0);
    FileStatus archive = published.get(1);
    assertTrue(hadoop.getPath().getName().startsWith("weft-hadoop-"), hadoop.toString());
    assertEquals(RuntimeArchive.fileName(WeftOnYarn.weftJars()), archive.getPath().getName());
    assertEquals(new FsPermission((short) 0644), archive.getPermission());
    assertEquals(new FsPermission((short) 0644), hadoop.getPermission());
    assertHoldsNoHadoopJar(fs, archive.getPath());
    for (org.apache.hadoop.fs.Path p = dir; !p.isRoot(); p = p.getParent()) {
      assertEquals(new FsPermission((short) 0755), fs.getFileStatus(p).getPermission(), p.toString());
    }

    WeftOnYarn.Run second = run(jar, "second");
    assertSucceededWithItsTasks(second);
    assertTrue(second.output().contains("Weft runtime: reused " + archive.getPath()), second.output());
    FileStatus after = fs.getFileStatus(archive.getPath());
    assertTrue(second.output().contains("Hadoop's jars: reused " + hadoop.getPath().getName()), second.output());
    assertEquals(List.of(hadoop.getPath(), archive.getPath()),
        Stream.of(fs.listStatus(dir)).map(FileStatus::getPath).sorted().toList());
    assertEquals(archive.getModificationTime(), after.getModificationTime(), "not uploaded again");
    assertEquals(archive.getLen(), after.getLen());
    assertEquals(hadoop.getModificationTime(), fs.getFileStatus(hadoop.getPath()).getModificationTime(),
        "Hadoop's archive not uploaded again either");
    assertEquals(List.of("__app__.jar", "__weft_conf__.zip"), stagedFiles(fs, second.appId()),
        "the second application's staging directory holds nothing of Weft");

    LocalResource runtime = launchResources(fs, second.appId()).get("__weft_libs__");
    assertEquals(LocalResourceVisibility.PUBLIC, runtime.getVisibility());
    assertEquals(archive.getPath(), fs.makeQualified(runtime.getResource().toPath()));
    LocalResource hadoopJars = launchResources(fs, second.appId()).get("__weft_hadoop__");
    assertEquals(LocalResourceVisibility.PUBLIC, hadoopJars.getVisibility());
    assertEquals(hadoop.getPath(), fs.makeQualified(hadoopJars.getResource().toPath()));
    assertEquals(List.of(hadoop.getPath().getName(), archive.getPath().getName()),
        localizedRuntimes("filecache").stream().sorted().toList(),
        "one PUBLIC copy of each on the NodeManager, shared by both applications");
    assertEquals(List.of(), localizedRuntimes("usercache"), "never localized per user or application");
  }

  /**
   * The published archive holds a class-data sharing archive and the jar order it was made with,
   * and the AM's and the executor's JVMs map it: both run with {@code -Xshare:on} (the user's
   * options come last and win over Weft's {@code -Xshare:auto}), which makes a JVM that cannot use
   * its {@code -XX:SharedArchiveFile} (another class path, a jar of another time or size, another
   * JDK build) exit at start with "Unable to use shared archive"; the application would then fail.
   */
  @Test
  void containersStartWithTheRuntimesClassDataSharingArchive() throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    Path jar = WeftOnYarn.appJar(SumsAndPrints.class, tmp);
    Map<String, String> settings = WeftOnYarn.settings("cds", 1);
    settings.put("weft.yarn.archive.dir", "/cds/archives");
    settings.put("weft.am.extraJavaOptions", "-Xshare:on");
    settings.put("weft.executor.extraJavaOptions", "-Xshare:on");
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, SumsAndPrints.class.getName(), jar, List.of("100"), settings);
    assertSucceededWithItsTasks(run);

    org.apache.hadoop.fs.Path archive = fs.makeQualified(
        new org.apache.hadoop.fs.Path("/cds/archives/" + RuntimeArchive.fileName(WeftOnYarn.weftJars())));
    List<String> entries = new ArrayList<>();
    String order = null;
    try (ZipInputStream zip = new ZipInputStream(fs.open(archive))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.add(e.getName());
        if (e.getName().equals(JvmStart.CLASSPATH_FILE)) {
          order = new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    assertTrue(entries.contains(JvmStart.CDS_FILE), entries.toString());
    List<String> runtime = WeftOnYarn.weftJars().stream().map(p -> p.getFileName().toString())
        .filter(n -> n.startsWith("weft-runtime-")).toList();
    assertEquals(1, runtime.size(), "one relocated runtime jar: " + WeftOnYarn.weftJars());
    List<String> lines = List.of(order.split("\n"));
    assertEquals(runtime.get(0), lines.get(0), "Weft's jar first, then Hadoop's from their own archive");
    assertTrue(lines.size() > 1
        && lines.subList(1, lines.size()).stream().allMatch(l -> l.startsWith("__weft_hadoop__/")), lines.toString());
    assertTrue(lines.contains("__weft_hadoop__/hadoop-client-api-3.5.0.jar"), lines.toString());
  }

  @Test
  void concurrentFirstPublicationsLeaveOneCompleteArchive() throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    org.apache.hadoop.fs.Path dir = fs.makeQualified(new org.apache.hadoop.fs.Path("/race/archives"));
    List<Path> jars = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] bytes = new byte[200_000 + i];
      new java.util.Random(i).nextBytes(bytes);
      jars.add(Files.write(Files.createDirectories(tmp.resolve("race")).resolve("lib-" + i + ".jar"), bytes));
    }
    int racers = 4;
    CyclicBarrier start = new CyclicBarrier(racers);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<RuntimeArchive.Published> results = new ArrayList<>();
    try {
      List<Future<RuntimeArchive.Published>> futures = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        futures.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          return RuntimeArchive.publish(fs, dir, jars);
        }));
      }
      for (Future<RuntimeArchive.Published> f : futures) {
        results.add(f.get(2, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(1, results.stream().filter(RuntimeArchive.Published::uploaded).count(), results.toString());
    org.apache.hadoop.fs.Path path = results.get(0).path();
    results.forEach(r -> assertEquals(path, r.path()));
    assertEquals(List.of(path), Stream.of(fs.listStatus(dir)).map(FileStatus::getPath).toList(),
        "one archive, no temporary file left");
    try (ZipInputStream zip = new ZipInputStream(fs.open(path))) {
      for (Path jar : jars) {
        assertEquals(jar.getFileName().toString(), zip.getNextEntry().getName());
        assertArrayEquals(Files.readAllBytes(jar), zip.readAllBytes());
      }
      assertEquals(null, zip.getNextEntry(), "these jars are not zips: no class-path order, no CDS archive");
    }
  }

  /** The runtime archive holds Weft's relocated jar, its class path and CDS archive: no Hadoop jar. */
  private static void assertHoldsNoHadoopJar(FileSystem fs, org.apache.hadoop.fs.Path archive) throws IOException {
    List<String> entries = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(fs.open(archive))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.add(e.getName());
      }
    }
    assertTrue(entries.stream().noneMatch(n -> n.startsWith("hadoop-")), entries.toString());
    assertTrue(entries.stream().anyMatch(n -> n.startsWith("weft-runtime-") && n.endsWith(".jar")), entries.toString());
  }

  private static WeftOnYarn.Run run(Path jar, String name) throws IOException {
    Map<String, String> settings = WeftOnYarn.settings(name, 1);
    settings.put("weft.yarn.archive.dir", ARCHIVE_DIR);
    settings.put("weft.yarn.preserveStagingFiles", "true");
    return WeftOnYarn.run(CLUSTER, SumsAndPrints.class.getName(), jar, List.of("100"), settings);
  }

  /** FINISHED/SUCCEEDED, and its executor ran the job's 8 tasks (from the shipped runtime). */
  private static void assertSucceededWithItsTasks(WeftOnYarn.Run run) throws Exception {
    try {
      assertEquals(0, run.exitCode(), run.output());
      ApplicationReport report = WeftOnYarn.report(CLUSTER, run.appId());
      assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
      long tasks = WeftOnYarn.executorSummaries(CLUSTER, run.appId()).stream()
          .mapToLong(WeftOnYarn.ExecutorSummary::tasks).sum();
      assertEquals(8, tasks, "tasks run by the executors");
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  private static List<String> stagedFiles(FileSystem fs, ApplicationId appId) throws IOException {
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".weftStaging/" + appId);
    // what the client uploaded: not the journal and driver address the ApplicationMaster writes there
    List<String> names = new ArrayList<>(Stream.of(fs.listStatus(staging)).map(s -> s.getPath().getName())
        .filter(name -> !name.equals(io.weft.yarn.YarnConstants.JOURNAL_DIR)
            && !name.equals(io.weft.yarn.YarnConstants.DRIVER_ADDRESS_DIR)).toList());
    Collections.sort(names);
    return names;
  }

  /**
   * The resources the client gave the ApplicationMaster's launch context, which the AM launches
   * its executors with too, as the client wrote them into the staged weft.properties (the
   * ResourceManager forgets a finished application's launch context).
   */
  private static Map<String, LocalResource> launchResources(FileSystem fs, ApplicationId appId) throws IOException {
    org.apache.hadoop.fs.Path conf = new org.apache.hadoop.fs.Path(fs.getHomeDirectory(),
        ".weftStaging/" + appId + "/__weft_conf__.zip");
    try (ZipInputStream zip = new ZipInputStream(fs.open(conf))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals("weft.properties")) {
          Properties props = new Properties();
          props.load(new ByteArrayInputStream(zip.readAllBytes()));
          return StagedResources.read(props);
        }
      }
    }
    throw new AssertionError("no weft.properties in " + conf);
  }

  /**
   * Names of localized runtime archives under {@code <local-dir>/<area>} of the NodeManager:
   * {@code filecache} holds PUBLIC resources, {@code usercache} PRIVATE and APPLICATION ones.
   */
  private static List<String> localizedRuntimes(String area) throws IOException {
    MiniYARNCluster yarn = CLUSTER.cluster().yarnCluster();
    List<String> found = new ArrayList<>();
    for (String localDir : yarn.getNodeManager(0).getNMContext().getLocalDirsHandler().getLocalDirs()) {
      Path root = Path.of(localDir).resolve(area);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(p -> (p.getFileName().toString().startsWith("weft-runtime-")
            || p.getFileName().toString().startsWith("weft-hadoop-")) && Files.isDirectory(p))
            .forEach(p -> found.add(p.getFileName().toString()));
      }
    }
    return found;
  }
}
