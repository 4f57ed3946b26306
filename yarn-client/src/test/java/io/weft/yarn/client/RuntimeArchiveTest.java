package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.yarn.JvmStart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared runtime archive on the local file system: its name follows the jars' bytes, the
 * first publication uploads a world-readable zip of the jars, later ones (and a submission that
 * loses the race to publish) use the existing file untouched, and a submission whose archive
 * directory cannot be written still ships the jars. The HDFS side (atomic rename under
 * concurrency, PUBLIC localization by NodeManagers) is {@code YarnRuntimeArchiveIT}.
 */
class RuntimeArchiveTest {
  @TempDir
  Path tmp;

  private FileSystem fs;

  @BeforeEach
  void localFileSystemWithAPrivateUmask() throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs.permissions.umask-mode", "077"); // what publish must override for PUBLIC
    fs = FileSystem.newInstanceLocal(conf);
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  @Test
  void theNameFollowsTheJarsBytesAndNamesNotTheirTimesOrPlaces() throws IOException {
    Path a = jar("a", "weft-engine.jar", 1000, 7);
    Path sameBytesLater = jar("b", "weft-engine.jar", 1000, 7);
    Files.setLastModifiedTime(sameBytesLater, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 86_400_000));
    Path oneByteOff = jar("c", "weft-engine.jar", 1000, 7);
    byte[] bytes = Files.readAllBytes(oneByteOff);
    bytes[500] ^= 1;
    Files.write(oneByteOff, bytes);
    Files.setLastModifiedTime(oneByteOff, Files.getLastModifiedTime(a)); // same name, size and time
    Path renamed = jar("d", "weft-engine-2.jar", 1000, 7);

    String hash = RuntimeArchive.contentHash(List.of(a));
    assertTrue(hash.matches("[0-9a-f]{64}"), hash);
    assertEquals(hash, RuntimeArchive.contentHash(List.of(sameBytesLater)));
    assertNotEquals(hash, RuntimeArchive.contentHash(List.of(oneByteOff)));
    assertNotEquals(hash, RuntimeArchive.contentHash(List.of(renamed)));
    Path other = jar("a", "weft-am.jar", 10, 8);
    assertNotEquals(RuntimeArchive.contentHash(List.of(a, other)), RuntimeArchive.contentHash(List.of(other, a)),
        "class-path order is part of the content");
    assertEquals("weft-runtime-" + hash.substring(0, 16) + ".zip", RuntimeArchive.fileName(List.of(a)));
  }

  @Test
  void theFirstPublicationUploadsAWorldReadableZipOfTheJarsAndLaterOnesReuseIt() throws IOException {
    List<Path> jars = List.of(jar("lib", "weft-yarn-client.jar", 3000, 1), jar("lib", "weft-engine.jar", 70_000, 2));
    org.apache.hadoop.fs.Path shared = hpath(tmp.resolve("shared"));
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(shared, "archives");

    RuntimeArchive.Published first = RuntimeArchive.publish(fs, dir, jars);
    assertTrue(first.uploaded());
    assertTrue(first.path().getName().matches("weft-runtime-[0-9a-f]{16}\\.zip"), first.path().toString());
    assertEquals(Files.size(local(first.path())), first.bytes());
    assertEquals(new FsPermission((short) 0644), fs.getFileStatus(first.path()).getPermission());
    assertEquals(new FsPermission((short) 0755), fs.getFileStatus(dir).getPermission(), "created traversable");
    assertEquals(new FsPermission((short) 0755), fs.getFileStatus(shared).getPermission(), "created traversable");
    try (ZipFile zip = new ZipFile(local(first.path()).toFile())) {
      List<String> names = new ArrayList<>();
      Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
      assertEquals(List.of("weft-yarn-client.jar", "weft-engine.jar"), names,
          "the jars, flat, in order (these are not zips: no class-path order is recorded)");
      for (Path jar : jars) {
        ZipEntry e = zip.getEntry(jar.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(jar), zip.getInputStream(e).readAllBytes());
      }
    }

    fs.setTimes(first.path(), 1_000_000_000_000L, -1); // a rewrite would move it
    RuntimeArchive.Published second = RuntimeArchive.publish(fs, dir, jars);
    assertFalse(second.uploaded());
    assertEquals(first.path(), second.path());
    assertEquals(first.bytes(), second.bytes());
    assertEquals(1_000_000_000_000L, fs.getFileStatus(first.path()).getModificationTime(), "left untouched");
    assertEquals(List.of(first.path().getName()), visibleFiles(dir), "no temporary file left");
  }

  @Test
  void aSubmissionThatLosesTheRaceToPublishUsesTheWinnersArchiveAndDeletesItsCopy() throws IOException {
    org.apache.hadoop.fs.Path dir = hpath(Files.createDirectories(tmp.resolve("archives")));
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir, "weft-runtime-0123456789abcdef.zip");
    org.apache.hadoop.fs.Path temp = new org.apache.hadoop.fs.Path(dir, "weft-runtime-0123456789abcdef.zip.x.tmp");
    Files.writeString(local(target), "the winner's archive");
    Files.writeString(local(temp), "the loser's");

    RuntimeArchive.Published p = RuntimeArchive.install(fs, temp, target);
    assertFalse(p.uploaded());
    assertEquals(target, p.path());
    assertEquals("the winner's archive", Files.readString(local(target)));
    assertEquals(List.of(target.getName()), visibleFiles(dir));

    org.apache.hadoop.fs.Path free = new org.apache.hadoop.fs.Path(dir, "weft-runtime-fedcba9876543210.zip");
    Files.writeString(local(temp), "a first publication");
    assertTrue(RuntimeArchive.install(fs, temp, free).uploaded());
    assertEquals("a first publication", Files.readString(local(free)));
  }

  @Test
  void aSecondSubmissionStagesNoWeftJar() throws IOException {
    Path engine = jar("lib", "weft-engine.jar", 5000, 3);
    Path appJar = Files.writeString(tmp.resolve("app.jar"), "app");
    YarnSubmission s = new YarnSubmission("com.example.Main", appJar.toString(), List.of(), List.of(), List.of(),
        Map.of("weft.yarn.archive.dir", tmp.resolve("archives").toUri().toString()), List.of(engine));
    // not fs.getConf(): its umask would stick to the JVM's cached local file system, used by other tests
    Configuration hadoopConf = new Configuration();

    StagingArea firstArea = StagingArea.at(fs, hpath(tmp.resolve("staging-1")));
    ApplicationResources.Staged first = ApplicationResources.stage(s, s.conf(), firstArea, hadoopConf);
    StagingArea secondArea = StagingArea.at(fs, hpath(tmp.resolve("staging-2")));
    ApplicationResources.Staged second = ApplicationResources.stage(s, s.conf(), secondArea, hadoopConf);

    assertTrue(first.runtimeNote().startsWith("Weft runtime: uploaded weft-runtime-"), first.runtimeNote());
    assertTrue(second.runtimeNote().startsWith("Weft runtime: reused "), second.runtimeNote());
    assertEquals(List.of("__app__.jar"), visibleFiles(secondArea.dir()), "only the application's own files");
    LocalResource runtime = second.resources().get("__weft_libs__");
    assertEquals(first.resources().get("__weft_libs__"), runtime, "the same file, size and time");
    assertEquals(LocalResourceType.ARCHIVE, runtime.getType());
    // the @TempDir itself is owner-only, so others cannot reach the archive: PRIVATE, and said so
    assertEquals(LocalResourceVisibility.PRIVATE, runtime.getVisibility());
    assertTrue(second.runtimeNote().contains("PRIVATE: file:" + tmp + " is closed to other users"), second.runtimeNote());
  }

  @Test
  void anArchiveDirectoryThatCannotBeCreatedFallsBackToStagingTheJars() throws IOException {
    Path engine = jar("lib", "weft-engine.jar", 2_000_000, 4);
    Path appJar = Files.writeString(tmp.resolve("app.jar"), "app");
    Path aFile = Files.writeString(tmp.resolve("not-a-directory"), "x");
    YarnSubmission s = new YarnSubmission("com.example.Main", appJar.toString(), List.of(), List.of(), List.of(),
        Map.of("weft.yarn.archive.dir", aFile.resolve("archives").toUri().toString()), List.of(engine));
    StagingArea area = StagingArea.at(fs, hpath(tmp.resolve("staging")));

    ApplicationResources.Staged staged = ApplicationResources.stage(s, s.conf(), area, new Configuration());

    LocalResource jar = staged.resources().get("__weft_libs__/weft-engine.jar");
    assertEquals(LocalResourceVisibility.APPLICATION, jar.getVisibility());
    assertEquals(List.of("__app__.jar", "__weft_libs__-weft-engine.jar"), visibleFiles(area.dir()));
    String note = staged.runtimeNote();
    assertTrue(note.startsWith("Weft runtime: uploaded Weft's 1 jars (2.0 MB) for this application only"), note);
    assertTrue(note.contains(aFile.getFileName() + "/archives") && note.contains("weft.yarn.archive.dir")
        && note.contains("weft.yarn.archive "), note);
  }

  @Test
  void pruningKeepsTheNewestAndAnythingUsedWithinADay() throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.resolve("archives").toUri());
    fs.mkdirs(dir);
    long now = System.currentTimeMillis();
    long hour = 3_600_000L;
    org.apache.hadoop.fs.Path newest = archive(dir, "weft-runtime-eeee.zip", now, now);
    org.apache.hadoop.fs.Path second = archive(dir, "weft-runtime-dddd.zip", now - hour, now - hour);
    org.apache.hadoop.fs.Path readToday = archive(dir, "weft-runtime-cccc.zip", now - 48 * hour, now - 2 * hour);
    org.apache.hadoop.fs.Path old = archive(dir, "weft-runtime-bbbb.zip", now - 48 * hour, now - 48 * hour);
    org.apache.hadoop.fs.Path older = archive(dir, "weft-runtime-aaaa.zip", now - 72 * hour, now - 72 * hour);
    org.apache.hadoop.fs.Path temp = archive(dir, "weft-runtime-ffff.zip.123.tmp", now - 2 * hour, now - 2 * hour);
    org.apache.hadoop.fs.Path other = archive(dir, "notes.zip", now - 72 * hour, now - 72 * hour);

    List<org.apache.hadoop.fs.Path> removed = RuntimeArchive.prune(fs, dir, 2, now);

    assertEquals(java.util.Set.of(fs.makeQualified(old), fs.makeQualified(older)),
        java.util.Set.copyOf(removed.stream().map(fs::makeQualified).toList()));
    for (org.apache.hadoop.fs.Path kept : List.of(newest, second, readToday, temp, other)) {
      assertTrue(fs.exists(kept), kept + " kept");
    }
    assertFalse(fs.exists(old));
    assertFalse(fs.exists(older));
    assertEquals(List.of(), RuntimeArchive.prune(fs, dir, 1, now), "what is left was used within a day");
  }

  private org.apache.hadoop.fs.Path archive(org.apache.hadoop.fs.Path dir, String name, long modified, long accessed)
      throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir, name);
    try (var out = fs.create(p)) {
      out.write(1);
    }
    fs.setTimes(p, modified, accessed);
    return p;
  }

  @Test
  void theNotesAreOneLineSayingWhatHappened() {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path("hdfs://nn:8020/apps/weft/weft-runtime-0123456789abcdef.zip");
    String up = RuntimeArchive.note(new RuntimeArchive.Published(p, true, 62_100_000), null);
    assertEquals("Weft runtime: uploaded weft-runtime-0123456789abcdef.zip (62.1 MB) into hdfs://nn:8020/apps/weft, "
        + "once for this Weft build; NodeManagers cache it for every application (PUBLIC)", up);
    String reused = RuntimeArchive.note(new RuntimeArchive.Published(p, false, 62_100_000),
        new org.apache.hadoop.fs.Path("hdfs://nn:8020/apps"));
    assertTrue(reused.startsWith("Weft runtime: reused " + p + " (62.1 MB), nothing of Weft uploaded; "), reused);
    assertTrue(reused.contains("PRIVATE: hdfs://nn:8020/apps is closed to other users"), reused);
    String fallback = RuntimeArchive.perApplicationNote(List.of(), p.getParent(),
        new IOException("Permission denied: user=u, access=WRITE\n\tat org.apache.hadoop.Server"));
    assertFalse(fallback.contains("\n"), fallback);
    assertTrue(fallback.contains("(Permission denied: user=u, access=WRITE)"), fallback);
  }

  /** A jar-like file of {@code size} pseudo-random bytes from {@code seed} in {@code tmp/dir}. */
  @Test
  void theJarOrderIsRecordedWhenNoJarHoldsAConfigurationFile() throws IOException {
    List<Path> jars = List.of(zipJar("ok", "weft-yarn-client.jar", "io/weft/A.class"),
        zipJar("ok", "weft-engine.jar", "io/weft/B.class", "core-default.xml"));
    org.apache.hadoop.fs.Path dir = hpath(tmp.resolve("archives"));
    RuntimeArchive.Published p = RuntimeArchive.publish(fs, dir, jars);
    assertTrue(RuntimeArchive.recordsOrder(jars));
    try (ZipFile zip = new ZipFile(local(p.path()).toFile())) {
      List<String> names = new ArrayList<>();
      Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
      assertEquals(List.of("weft-yarn-client.jar", "weft-engine.jar", JvmStart.CLASSPATH_FILE), names,
          "the jars, then their order for the containers' class path (no CDS archive asked for)");
      assertEquals("weft-yarn-client.jar\nweft-engine.jar\n",
          new String(zip.getInputStream(zip.getEntry(JvmStart.CLASSPATH_FILE)).readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(RuntimeArchive.ENTRY_TIME, zip.getEntry("weft-engine.jar").getTime(),
          "the time the NodeManager gives the unpacked jar, which a CDS archive checks");
    }

    List<Path> shadowing = List.of(zipJar("bad", "weft-yarn-client.jar", "io/weft/A.class"),
        zipJar("bad", "some-lib.jar", "log4j.properties"));
    assertFalse(RuntimeArchive.recordsOrder(shadowing),
        "a jar's log4j.properties would win over the shipped one if the jars came first");
    RuntimeArchive.Published q = RuntimeArchive.publish(fs, dir, shadowing);
    try (ZipFile zip = new ZipFile(local(q.path()).toFile())) {
      assertEquals(null, zip.getEntry(JvmStart.CLASSPATH_FILE));
    }
  }

  @Test
  void theDigestIsKeptInAFileKeyedByTheJarsPathsSizesAndTimes() throws IOException {
    Path a = zipJar("d", "weft-engine.jar", "io/weft/A.class");
    Path cache = tmp.resolve("cache/runtime-digests.properties");
    RuntimeDigest.Facts facts = RuntimeDigest.of(List.of(a), cache);
    assertEquals(RuntimeDigest.contentHash(List.of(a)), facts.hash());
    assertTrue(facts.jarsBeforeConf());
    java.util.Properties stored = new java.util.Properties();
    try (var in = Files.newInputStream(cache)) {
      stored.load(in);
    }
    assertEquals(List.of(facts.encode()), List.copyOf(stored.values().stream().map(String::valueOf).toList()));

    FileTime before = Files.getLastModifiedTime(a);
    Path b = zipJar("d", "weft-engine.jar", "io/weft/B.class"); // a rebuild: same path and size, new bytes
    Files.setLastModifiedTime(b, FileTime.fromMillis(before.toMillis() + 2000));
    assertEquals(Files.size(a), Files.size(b));
    RuntimeDigest.Facts rebuilt = RuntimeDigest.of(List.of(b), cache);
    assertNotEquals(facts.hash(), rebuilt.hash(), "a new modification time misses the cache");
    assertEquals(RuntimeDigest.contentHash(List.of(b)), rebuilt.hash());
  }

  private Path zipJar(String dir, String name, String... entries) throws IOException {
    return TestJars.zipJar(tmp, dir, name, entries);
  }

  private Path jar(String dir, String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new java.util.Random(seed).nextBytes(bytes);
    return Files.write(Files.createDirectories(tmp.resolve(dir)).resolve(name), bytes);
  }

  private List<String> visibleFiles(org.apache.hadoop.fs.Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      if (!st.getPath().getName().startsWith(".")) { // the local file system's .crc files
        names.add(st.getPath().getName());
      }
    }
    Collections.sort(names);
    return names;
  }

  private static org.apache.hadoop.fs.Path hpath(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private static Path local(org.apache.hadoop.fs.Path p) {
    return Path.of(p.toUri().getPath());
  }
}
