package io.weft.storage;

import io.weft.WeftConf;
import io.weft.config.CoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scratch directory of one application on this machine, in local and local-cluster modes:
 * {@code <weft.local.dir>/app-<pid>-<random>/}, readable by its owner only (700). Everything the
 * application writes locally (its executors' shuffle files, spills, cached blocks, executor
 * logs) lives under it, so removing it removes all of it.
 *
 * <p>Removed when the application stops ({@link #close}, also reached from the context's
 * shutdown hook on SIGTERM). A process killed outright cannot clean up, so each start also
 * removes the directories of applications that are no longer alive. Liveness is a lock, not a
 * pid (pids are reused): next to each directory sits {@code app-<pid>-<random>.lock}, which its
 * process locks ({@link FileChannel#lock}) before it creates the directory and holds until the
 * directory is gone. The operating system releases the lock when the process dies however it
 * dies, so a directory whose lock can be taken belongs to nobody.
 *
 * <p>On YARN the NodeManager's directories are used instead and YARN removes them.
 *
 * <p>Threading: created and closed by the thread that starts and stops the backend.
 */
public final class AppScratchDir implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AppScratchDir.class);
  private static final String PREFIX = "app-";
  private static final String LOCK_SUFFIX = ".lock";
  /** Only names this class makes are ever removed: {@code weft.local.dir} may be shared with others. */
  private static final Pattern NAME = Pattern.compile("app-[0-9]+-[0-9a-f]{8}");

  private final Path dir;
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;

  private AppScratchDir(Path dir, Path lockFile, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /** The parent of applications' scratch directories: {@code weft.local.dir}, or {@code <tmp>/weft-<user>}. */
  public static Path parent(WeftConf conf) {
    String localDir = conf.get(CoreOptions.LOCAL_DIR);
    return localDir != null ? Path.of(localDir)
        : Path.of(System.getProperty("java.io.tmpdir"), "weft-" + System.getProperty("user.name"));
  }

  /** Creates this application's directory under {@link #parent}, after removing dead applications' ones. */
  public static AppScratchDir create(WeftConf conf) {
    return create(parent(conf));
  }

  public static AppScratchDir create(Path parent) {
    try {
      if (!Files.isDirectory(parent)) {
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      removeDeadApplications(parent);
      return createOwn(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the application's scratch directory under " + parent
          + " (weft.local.dir): " + e.getMessage(), e);
    }
  }

  private static AppScratchDir createOwn(Path parent) throws IOException {
    SecureRandom random = new SecureRandom();
    while (true) {
      String name = PREFIX + ProcessHandle.current().pid() + "-" + HexFormat.of().toHexDigits(random.nextInt());
      Path lockFile = parent.resolve(name + LOCK_SUFFIX);
      FileChannel channel;
      try {
        channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      try {
        // locked before the directory exists, so no other start can take it for a dead one
        FileLock lock = channel.lock();
        if (!Files.exists(lockFile)) {
          // another start took it for a dead application's between our create and lock (it
          // deletes only while holding the lock, so this cannot happen once we hold it)
          channel.close();
          continue;
        }
        Path dir = parent.resolve(name);
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // the umask may have taken bits away, never added: make the mode exact
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return new AppScratchDir(dir, lockFile, channel, lock);
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(lockFile);
        throw e;
      }
    }
  }

  /**
   * Removes every {@code app-<pid>-<random>} directory under {@code parent} whose lock nobody holds, and
   * lock files left without a directory. Directories of live applications, in this JVM or any
   * other, are kept. Best effort: what cannot be removed is logged and left.
   */
  static void removeDeadApplications(Path parent) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String base = name.endsWith(LOCK_SUFFIX) ? name.substring(0, name.length() - LOCK_SUFFIX.length()) : name;
        if (!NAME.matcher(base).matches()) {
          continue;
        }
        if (name.endsWith(LOCK_SUFFIX)) {
          Path dir = parent.resolve(base);
          if (!Files.exists(dir)) {
            removeIfDead(dir, entry);
          }
        } else if (Files.isDirectory(entry)) {
          removeIfDead(entry, parent.resolve(name + LOCK_SUFFIX));
        }
      }
    }
  }

  private static void removeIfDead(Path dir, Path lockFile) {
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        return; // another application in this JVM
      }
      if (lock == null) {
        return; // a live process holds it
      }
      try {
        if (Files.exists(dir)) {
          LOG.info("Removing the scratch directory of an application that is no longer running: {}", dir);
          deleteTree(dir);
        }
        Files.deleteIfExists(lockFile);
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      LOG.warn("Could not remove the scratch directory {} of a dead application: {}", dir, e.toString());
    }
  }

  /** This application's directory. */
  public Path dir() {
    return dir;
  }

  /** Deletes the directory with everything in it, then the lock file, then lets the lock go. Idempotent. */
  @Override
  public void close() {
    if (!channel.isOpen()) {
      return;
    }
    try {
      deleteTree(dir);
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      LOG.warn("Could not delete the scratch directory {}: {}; the next application removes it", dir, e.toString());
    } finally {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing the lock of {}", dir, e);
      }
    }
  }

  /**
   * Deletes {@code root} and everything under it. A few passes, because an executor that is
   * still stopping may delete (or, rarely, write) files under it meanwhile.
   */
  static void deleteTree(Path root) throws IOException {
    for (int pass = 0; pass < 3 && Files.exists(root, LinkOption.NOFOLLOW_LINKS); pass++) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (NoSuchFileException | UncheckedIOException vanished) {
        // a file went away while we walked: walk again
      }
    }
    if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("files remain under " + root);
    }
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
