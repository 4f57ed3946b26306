package io.weft.yarn.client;

import io.weft.yarn.YarnConstants;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application's staging directory on the default file system,
 * {@code /user/<user>/.weftStaging/<appId>} (mode 700: it holds the user's code and the
 * configuration), and the {@link LocalResource} descriptors of what is put there or referenced.
 *
 * <p>Staged files are {@code APPLICATION}-visible: they are unique to this application, so
 * caching them across applications would only waste NodeManager disk. Files used in place
 * (an {@code hdfs://} jar, {@code weft.yarn.archive}, the shared {@link RuntimeArchive}) are
 * {@code PUBLIC} when everyone may read
 * them, so NodeManagers share one copy across applications and users, else {@code PRIVATE}.
 *
 * <p>Threading: one submitting thread. Failure: I/O errors propagate; {@link #delete} only logs.
 */
final class StagingArea {
  private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);
  private static final FsPermission OWNER_ONLY = new FsPermission((short) 0700);

  private final FileSystem fs;
  private final Path dir;

  private StagingArea(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /** Where {@code appId}'s staging directory is (whether or not it exists). */
  static Path pathFor(FileSystem fs, ApplicationId appId) {
    return fs.makeQualified(new Path(new Path(fs.getHomeDirectory(), YarnConstants.STAGING_PARENT), appId.toString()));
  }

  /** Creates the directory, owner-only whatever the umask says. */
  static StagingArea create(FileSystem fs, ApplicationId appId) throws IOException {
    return at(fs, pathFor(fs, appId));
  }

  /**
   * A staging area at {@code dir}, created owner-only (tests stage into a local directory).
   * Missing parents (a new home directory, {@code .weftStaging}) get the file system's default
   * permissions, as Spark's staging does: a home directory made 700 as a side effect would keep
   * the shared runtime archive under it from ever being PUBLIC.
   */
  static StagingArea at(FileSystem fs, Path dir) throws IOException {
    fs.mkdirs(dir);
    fs.setPermission(dir, OWNER_ONLY); // the contents are private
    return new StagingArea(fs, fs.makeQualified(dir));
  }

  static StagingArea existing(FileSystem fs, ApplicationId appId) {
    return new StagingArea(fs, pathFor(fs, appId));
  }

  Path dir() {
    return dir;
  }

  /** Copies the local file {@code source} into the directory as {@code name}. */
  LocalResource upload(java.nio.file.Path source, String name, LocalResourceType type) throws IOException {
    Path target = new Path(dir, name);
    fs.copyFromLocalFile(false, true, new Path(source.toAbsolutePath().toUri()), target);
    return descriptor(fs, target, type, LocalResourceVisibility.APPLICATION);
  }

  /** Writes {@code bytes} into the directory as {@code name}. */
  LocalResource write(String name, byte[] bytes, LocalResourceType type) throws IOException {
    Path target = new Path(dir, name);
    try (OutputStream out = fs.create(target, true)) {
      out.write(bytes);
    }
    return descriptor(fs, target, type, LocalResourceVisibility.APPLICATION);
  }

  /** Removes the directory; a failure is logged, never thrown (the application's outcome stands). */
  boolean delete() {
    try {
      boolean existed = fs.delete(dir, true);
      if (existed) {
        LOG.info("Deleted staging directory {}", dir);
      }
      return existed;
    } catch (IOException e) {
      LOG.warn("Could not delete staging directory {}: {}", dir, e.toString());
      return false;
    }
  }

  /** A descriptor of an existing file used in place, PUBLIC when world-readable. */
  static LocalResource inPlace(Path path, LocalResourceType type, org.apache.hadoop.conf.Configuration conf)
      throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    Path qualified = fs.makeQualified(path);
    LocalResourceVisibility visibility = isPublic(fs, qualified)
        ? LocalResourceVisibility.PUBLIC : LocalResourceVisibility.PRIVATE;
    return descriptor(fs, qualified, type, visibility);
  }

  static LocalResource descriptor(FileSystem fs, Path path, LocalResourceType type,
      LocalResourceVisibility visibility) throws IOException {
    FileStatus st = fs.getFileStatus(path);
    return LocalResource.newInstance(URL.fromPath(fs.makeQualified(path)), type, visibility,
        st.getLen(), st.getModificationTime());
  }

  /**
   * The NodeManager's own rule for PUBLIC: the file is readable by others and every ancestor
   * directory is executable by others (otherwise its public localizer could not read it).
   */
  static boolean isPublic(FileSystem fs, Path path) throws IOException {
    return notPublicAt(fs, path) == null;
  }

  /**
   * Why {@code path} is not PUBLIC: the file itself when others cannot read it, else the first
   * ancestor directory others cannot traverse; null when it is PUBLIC.
   */
  static Path notPublicAt(FileSystem fs, Path path) throws IOException {
    if (!fs.getFileStatus(path).getPermission().getOtherAction().implies(FsAction.READ)) {
      return path;
    }
    for (Path p = path.getParent(); p != null; p = p.getParent()) {
      if (!fs.getFileStatus(p).getPermission().getOtherAction().implies(FsAction.EXECUTE)) {
        return p;
      }
    }
    return null;
  }
}
