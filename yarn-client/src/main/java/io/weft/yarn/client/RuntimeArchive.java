package io.weft.yarn.client;

import io.weft.WeftConf;
import io.weft.yarn.JvmStart;
import io.weft.yarn.YarnOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's runtime (the launcher jar and its {@code lib/}) published once per build as one zip in a
 * shared directory ({@code weft.yarn.archive.dir}), so that a submission uploads only the user's
 * jar and configuration, and NodeManagers localize the runtime once and cache it.
 *
 * <p>The archive is named by its content, {@code weft-runtime-<hash>.zip}, where the hash is the
 * SHA-256 of every jar's name, size and bytes in class-path order (names, sizes and times would
 * not do: two machines building the same version get different times, and one rebuilt jar with
 * the same size must not reuse a stale archive). Its entries are the jars but Hadoop's, flat, as
 * {@code weft.yarn.archive} expects, then the class path order of all of them
 * ({@link JvmStart#CLASSPATH_FILE}, Hadoop's as {@code __weft_hadoop__/<jar>}) and, when
 * {@code weft.yarn.cds.enabled}, a class-data sharing archive of them ({@link CdsArchive}). The hash
 * is computed once per set of files, not per submission ({@link RuntimeDigest}).
 *
 * <p>Hadoop's jars ({@link WeftJars#isHadoop}) go into an archive of their own,
 * {@code weft-hadoop-<hash of them>.zip} ({@link #publishHadoop}), which a new Weft build finds
 * already published, and which is not shipped where the cluster's class path has Hadoop.
 *
 * <p>Publishing is safe against concurrent first submissions: the zip is written under a unique
 * temporary name in the same directory, made readable by everyone (644), and renamed to its final
 * name without overwrite; the loser of a race deletes its copy and uses the winner's. A reader
 * therefore never sees a partial archive, and the final file never changes (its size and time are
 * what YARN checks before localizing it). Directories this class creates get 755, so the file is
 * PUBLIC to YARN when the existing ancestors let others through too ({@link StagingArea#isPublic}).
 *
 * <p>Public for the integration tests and tools that pre-publish a runtime; submissions use it
 * through {@link ApplicationResources}.
 *
 * <p>Threading: any; no shared state but the hash cache. Failure: I/O errors propagate (the
 * caller may fall back to uploading the jars per application); the temporary file is removed.
 */
public final class RuntimeArchive {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeArchive.class);

  static final String PREFIX = "weft-runtime-";
  /** The Hadoop archive's prefix ({@link #publishHadoop}). */
  static final String HADOOP_PREFIX = "weft-hadoop-";
  static final String SUFFIX = ".zip";
  /** Hex digits of the hash in the name: 64 bits, ample to tell builds apart. */
  static final int HASH_CHARS = 16;
  private static final String TEMP_SUFFIX = ".tmp";
  /** Left-over temporary files older than this (a client that died mid-upload) are removed. */
  private static final long STALE_TEMP_MS = 24L * 3600 * 1000;
  /** An archive neither written nor read for this long may be pruned ({@link #prune}). */
  static final long UNUSED_MS = 24L * 3600 * 1000;
  private static final FsPermission WORLD_READABLE_FILE = new FsPermission((short) 0644);
  private static final FsPermission WORLD_TRAVERSABLE_DIR = new FsPermission((short) 0755);
  /**
   * A fixed entry time, so the zip's bytes depend only on the jars; the NodeManager gives the
   * unpacked jars this modification time, which the CDS archive checks ({@link CdsArchive}). Noon
   * UTC on 2000-01-01: a DOS time (local, 2-second steps) in every time zone.
   */
  static final long ENTRY_TIME = 946_728_000_000L;

  private RuntimeArchive() {}

  /**
   * The archive in the shared directory.
   *
   * @param uploaded whether this call uploaded it (false: it was there, or a concurrent
   *     submission published it first)
   */
  public record Published(Path path, boolean uploaded, long bytes) {}

  /** {@code weft.yarn.archive.dir}, or {@code <home>/.weft/archives} on the default file system; qualified. */
  static Path directory(WeftConf conf, Configuration hadoopConf) throws IOException {
    String configured = conf.get(YarnOptions.ARCHIVE_DIR);
    if (configured != null && !configured.isBlank()) {
      Path dir = new Path(configured.trim());
      return dir.getFileSystem(hadoopConf).makeQualified(dir);
    }
    FileSystem fs = FileSystem.get(hadoopConf);
    return fs.makeQualified(new Path(fs.getHomeDirectory(), ".weft/archives"));
  }

  /** {@code weft-runtime-<first 16 hex digits of the content hash>.zip} ({@link RuntimeDigest}). */
  public static String fileName(List<java.nio.file.Path> jars) throws IOException {
    return PREFIX + RuntimeDigest.of(jars).hash().substring(0, HASH_CHARS) + SUFFIX;
  }

  /** SHA-256, in hex, over each jar's file name, size and bytes, in order ({@link RuntimeDigest}). */
  static String contentHash(List<java.nio.file.Path> jars) throws IOException {
    return RuntimeDigest.contentHash(jars);
  }

  /**
   * Whether the archive of {@code jars} records their order ({@link JvmStart#CLASSPATH_FILE}), so
   * containers list them first on their class path: when none holds a configuration file.
   */
  static boolean recordsOrder(List<java.nio.file.Path> jars) throws IOException {
    return RuntimeDigest.of(jars).jarsBeforeConf();
  }

  /**
   * Finds the archive of {@code jars} in {@code dir}, or uploads it there (see the class doc).
   * Creates {@code dir} (and missing parents) with mode 755.
   */
  public static Published publish(FileSystem fs, Path dir, List<java.nio.file.Path> jars) throws IOException {
    return publish(fs, dir, jars, 0);
  }

  /**
   * {@link #publish(FileSystem, Path, List)}, and when this call uploaded a new archive, removes
   * old ones ({@link #prune}) keeping the newest {@code keep}; 0 removes nothing.
   */
  static Published publish(FileSystem fs, Path dir, List<java.nio.file.Path> jars, int keep) throws IOException {
    return publish(fs, dir, jars, keep, false);
  }

  /**
   * {@link #publish(FileSystem, Path, List, int)}; with {@code cds}, a newly uploaded archive also
   * holds a class-data sharing archive of its classes ({@link CdsArchive}), when one can be made.
   */
  static Published publish(FileSystem fs, Path dir, List<java.nio.file.Path> jars, int keep, boolean cds)
      throws IOException {
    Published p = publishOnly(fs, dir, jars, cds);
    if (p.uploaded() && keep > 0) {
      prune(fs, dir, keep, System.currentTimeMillis());
    }
    return p;
  }

  /**
   * Weft's archive: the jars but Hadoop's ({@link WeftJars#isHadoop}), and, when ordered, the
   * class path of all of them ({@link #classPathLines}) and a CDS archive trained on it.
   */
  private static Published publishOnly(FileSystem fs, Path dir, List<java.nio.file.Path> jars, boolean cds)
      throws IOException {
    boolean ordered = recordsOrder(jars);
    List<java.nio.file.Path> entries = jars.stream().filter(j -> !WeftJars.isHadoop(j)).toList();
    return publishZip(fs, new Path(dir, fileName(jars)), entries, ordered ? classPathLines(jars) : null,
        cds && ordered ? jars : null);
  }

  /**
   * Finds or uploads the Hadoop archive of {@code hadoopJars} in {@code dir}: the jars flat, named
   * {@code weft-hadoop-<hash of them>.zip}, so that it changes only with Hadoop's jars, never with
   * a Weft upgrade. Published like Weft's (temporary name, 644, rename); when this call uploaded it,
   * the user's older Hadoop archives beyond {@code keep} are pruned likewise.
   */
  static Published publishHadoop(FileSystem fs, Path dir, List<java.nio.file.Path> hadoopJars, int keep)
      throws IOException {
    Path target = new Path(dir, HADOOP_PREFIX + RuntimeDigest.of(hadoopJars).hash().substring(0, HASH_CHARS) + SUFFIX);
    Published p = publishZip(fs, target, hadoopJars, null, null);
    if (p.uploaded() && keep > 0) {
      prune(fs, dir, HADOOP_PREFIX, keep, System.currentTimeMillis());
    }
    return p;
  }

  /**
   * The class path a container with every one of {@code jars} lists first, one a line: Weft's jars
   * by name (they are the runtime archive's entries), Hadoop's as {@code __weft_hadoop__/<jar>}.
   */
  static List<String> classPathLines(List<java.nio.file.Path> jars) {
    List<String> lines = new ArrayList<>();
    for (java.nio.file.Path jar : jars) {
      if (!WeftJars.isHadoop(jar)) {
        lines.add(jar.getFileName().toString());
      }
    }
    for (java.nio.file.Path jar : jars) {
      if (WeftJars.isHadoop(jar)) {
        lines.add(io.weft.yarn.YarnConstants.HADOOP_DIR + "/" + jar.getFileName());
      }
    }
    return lines;
  }

  /**
   * Finds {@code target}, or uploads a zip of {@code entries} (with {@code classPath}, when not
   * null, and a CDS archive trained on {@code cdsJars}, when not null) under that name.
   */
  private static Published publishZip(FileSystem fs, Path target, List<java.nio.file.Path> entries,
      List<String> classPath, List<java.nio.file.Path> cdsJars) throws IOException {
    if (fs.exists(target)) {
      return new Published(target, false, fs.getFileStatus(target).getLen());
    }
    Path dir = target.getParent();
    mkdirsTraversable(fs, dir);
    removeStaleTemporaries(fs, dir);
    Path temp = new Path(dir, target.getName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    // the training run goes on while the jars are uploaded; its archive is the zip's last entry
    java.util.concurrent.CompletableFuture<CdsArchive.Made> training = cdsJars != null
        ? java.util.concurrent.CompletableFuture.supplyAsync(() -> CdsArchive.build(cdsJars, ENTRY_TIME))
        : java.util.concurrent.CompletableFuture.completedFuture(null);
    try {
      writeZip(fs, temp, entries, classPath, () -> {
        CdsArchive.Made made = training.join();
        return made == null ? null : made.jsa();
      });
      fs.setPermission(temp, WORLD_READABLE_FILE); // before it has its final name: never published private
      return install(fs, temp, target);
    } finally {
      if (fs.exists(temp)) {
        fs.delete(temp, false);
      }
      CdsArchive.Made made = training.join(); // also after a failed upload: never leave its scratch behind
      if (made != null) {
        made.close();
      }
    }
  }

  /**
   * Renames {@code temp} to {@code target} unless {@code target} exists (atomically on HDFS); when
   * it does, a concurrent submission won: {@code temp} is deleted and {@code target} used.
   */
  static Published install(FileSystem fs, Path temp, Path target) throws IOException {
    try {
      FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(temp, target, Options.Rename.NONE);
      return new Published(target, true, fs.getFileStatus(target).getLen());
    } catch (FileAlreadyExistsException e) {
      LOG.debug("{} was published concurrently; using it", target);
      fs.delete(temp, false);
      return new Published(target, false, fs.getFileStatus(target).getLen());
    }
  }

  /**
   * The jars as entries of a zip at {@code path}, stored uncompressed (jars are compressed
   * already), then, when {@code classPath} is not null, {@link JvmStart#CLASSPATH_FILE} (its
   * lines) and the CDS archive {@code jsa} supplies (asked for after the jars) when there is one, compressed.
   */
  private static void writeZip(FileSystem fs, Path path, List<java.nio.file.Path> jars, List<String> classPath,
      java.util.function.Supplier<java.nio.file.Path> cdsArchive) throws IOException {
    try (OutputStream file = new BufferedOutputStream(fs.create(path, false), 1 << 16);
         ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.setLevel(0);
      for (java.nio.file.Path jar : jars) {
        putEntry(zip, jar.getFileName().toString());
        Files.copy(jar, zip);
        zip.closeEntry();
      }
      if (classPath != null) {
        putEntry(zip, JvmStart.CLASSPATH_FILE);
        zip.write((String.join("\n", classPath) + "\n").getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
      java.nio.file.Path jsa = classPath != null ? cdsArchive.get() : null;
      if (jsa != null) {
        zip.setLevel(1); // unlike the jars, a CDS archive shrinks to about a third (43 -> 12 MB)
        putEntry(zip, JvmStart.CDS_FILE);
        Files.copy(jsa, zip);
        zip.closeEntry();
      }
    }
  }

  private static void putEntry(ZipOutputStream zip, String name) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTime(ENTRY_TIME);
    zip.putNextEntry(entry);
  }

  /** mkdirs, then mode 755 on each directory it created (mkdirs applies the umask). */
  private static void mkdirsTraversable(FileSystem fs, Path dir) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = dir; p != null && !fs.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create " + dir);
    }
    for (Path p : missing) {
      fs.setPermission(p, WORLD_TRAVERSABLE_DIR);
    }
  }

  /**
   * Removes old runtime archives from {@code dir}, best effort: of the archives the current user
   * owns, those beyond the newest {@code keep} (by the later of modification and access time) that
   * were neither written nor read for {@link #UNUSED_MS}. Called after a new build's archive was
   * published, so a directory holds a few builds, not every build ever submitted.
   *
   * <p>Why these limits: an application still running may start a container on a node that has
   * not cached its archive yet, and that node then reads it; a day without a write or a read (HDFS
   * records reads to {@code dfs.namenode.accesstime.precision}, an hour by default) and being
   * outside the newest few is the sign no such application is left. Another user's archives in a
   * shared directory are theirs to manage. A submission that finds its archive gone uploads it
   * again. Returns the paths removed.
   */
  static List<Path> prune(FileSystem fs, Path dir, int keep, long nowMs) {
    return prune(fs, dir, PREFIX, keep, nowMs);
  }

  /** {@link #prune(FileSystem, Path, int, long)} of the archives named {@code prefix*.zip}. */
  static List<Path> prune(FileSystem fs, Path dir, String prefix, int keep, long nowMs) {
    List<Path> removed = new ArrayList<>();
    try {
      String me = org.apache.hadoop.security.UserGroupInformation.getCurrentUser().getShortUserName();
      List<FileStatus> archives = new ArrayList<>();
      for (FileStatus st : fs.listStatus(dir)) {
        String name = st.getPath().getName();
        if (st.isFile() && name.startsWith(prefix) && name.endsWith(SUFFIX) && me.equals(st.getOwner())) {
          archives.add(st);
        }
      }
      archives.sort(java.util.Comparator.comparingLong(RuntimeArchive::lastUse).reversed());
      for (FileStatus st : archives.subList(Math.min(keep, archives.size()), archives.size())) {
        if (nowMs - lastUse(st) > UNUSED_MS && fs.delete(st.getPath(), false)) {
          LOG.info("Removed the old runtime archive {} (unused for a day; {} newer kept)", st.getPath(), keep);
          removed.add(st.getPath());
        }
      }
    } catch (IOException e) {
      LOG.debug("Could not prune old runtime archives in {}: {}", dir, e.toString());
    }
    return removed;
  }

  /** When an archive was last written or (to the file system's precision) read. */
  private static long lastUse(FileStatus st) {
    return Math.max(st.getModificationTime(), st.getAccessTime());
  }

  /** Best effort: in a shared directory another user's left-over may not be ours to delete. */
  private static void removeStaleTemporaries(FileSystem fs, Path dir) {
    long now = System.currentTimeMillis();
    try {
      for (FileStatus st : fs.listStatus(dir)) {
        String name = st.getPath().getName();
        boolean ours = name.startsWith(PREFIX) || name.startsWith(HADOOP_PREFIX);
        if (ours && name.endsWith(TEMP_SUFFIX) && now - st.getModificationTime() > STALE_TEMP_MS) {
          LOG.info("Removing {}, left behind by an interrupted upload", st.getPath());
          fs.delete(st.getPath(), false);
        }
      }
    } catch (IOException e) {
      LOG.debug("Could not remove stale temporary archives in {}: {}", dir, e.toString());
    }
  }

  /**
   * The line a submission prints: whether it uploaded the archive (and how much) or reused it,
   * and whether NodeManagers share it across users ({@code notPublicAt} null) or why not.
   */
  static String note(Published p, Path notPublicAt) {
    String what = p.uploaded()
        ? String.format(Locale.ROOT, "uploaded %s (%.1f MB) into %s, once for this Weft build",
            p.path().getName(), p.bytes() / 1e6, p.path().getParent())
        : String.format(Locale.ROOT, "reused %s (%.1f MB), nothing of Weft uploaded", p.path(), p.bytes() / 1e6);
    String cache = notPublicAt == null
        ? "NodeManagers cache it for every application (PUBLIC)"
        : "NodeManagers cache it per user (PRIVATE: " + notPublicAt + " is closed to other users; "
            + YarnOptions.ARCHIVE_DIR.key() + " may name a world-readable directory)";
    return "Weft runtime: " + what + "; " + cache;
  }

  /** The line on the Hadoop archive: uploaded (how much) or reused. */
  static String hadoopNote(Published p) {
    return p.uploaded()
        ? String.format(Locale.ROOT, "Hadoop's jars: uploaded %s (%.1f MB), once for this Hadoop version",
            p.path().getName(), p.bytes() / 1e6)
        : String.format(Locale.ROOT, "Hadoop's jars: reused %s (%.1f MB)", p.path().getName(), p.bytes() / 1e6);
  }

  /**
   * The line when the archive could not be published and the jars went into the application's
   * staging directory instead: how much, why, and the settings that avoid it.
   */
  static String perApplicationNote(List<java.nio.file.Path> jars, Path dir, IOException cause) {
    long bytes = 0;
    for (java.nio.file.Path jar : jars) {
      try {
        bytes += Files.size(jar);
      } catch (IOException e) {
        // it was just uploaded; a size we cannot read only makes the note smaller
      }
    }
    return String.format(Locale.ROOT, "Weft runtime: uploaded Weft's %d jars (%.1f MB) for this application only, "
        + "since the shared runtime archive cannot be published into %s (%s); set %s to a directory you "
        + "may write, or %s to a pre-uploaded archive of them",
        jars.size(), bytes / 1e6, dir, firstLine(cause), YarnOptions.ARCHIVE_DIR.key(), YarnOptions.ARCHIVE.key());
  }

  /** A remote exception's message may carry the server's stack: one line is enough here. */
  private static String firstLine(IOException e) {
    String m = String.valueOf(e.getMessage() != null ? e.getMessage() : e.toString()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }
}
