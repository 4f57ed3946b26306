package io.weft.yarn.client;

import io.weft.yarn.JvmStart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a submission needs to know about Weft's runtime jars before it can find their shared
 * archive, computed once per set of files rather than once per submission:
 *
 * <ul>
 *   <li>the content hash that names the archive: SHA-256 over each jar's file name, size and bytes,
 *       in class-path order (names, sizes and times would not do: two machines building the same
 *       version get different times, and one rebuilt jar of the same size must not reuse a stale
 *       archive);
 *   <li>whether the jars may come before the configuration directory on a container's class path
 *       (none holds a file of {@link JvmStart#CONF_FILES}), which the CDS archive needs.
 * </ul>
 *
 * <p>Reading 65+ MB of jars costs about 0.2 s, each time {@code weft submit} starts. So the result
 * is kept in this JVM and in a small file, {@code ~/.cache/weft/runtime-digests.properties}, keyed by
 * a hash of the jars' absolute paths, sizes and modification times (a rebuilt jar changes its time
 * or size, and so misses the cache). The file is rewritten through a temporary file and a rename,
 * so concurrent clients never read half of it; any problem with it means computing afresh.
 *
 * <p>Threading: any.
 */
final class RuntimeDigest {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeDigest.class);
  /** Entries kept in the file: a few builds' worth; beyond it the file starts again. */
  private static final int MAX_ENTRIES = 16;
  private static final Map<String, Facts> IN_JVM = new ConcurrentHashMap<>();

  private RuntimeDigest() {}

  /**
   * @param hash the content hash, in hex
   * @param jarsBeforeConf whether no jar holds a file the configuration directory may hold
   */
  record Facts(String hash, boolean jarsBeforeConf) {
    String encode() {
      return hash + "," + jarsBeforeConf;
    }

    static Facts decode(String s) {
      int comma = s.indexOf(',');
      if (comma != 64) {
        return null;
      }
      return new Facts(s.substring(0, comma), Boolean.parseBoolean(s.substring(comma + 1)));
    }
  }

  /** The facts of {@code jars}, from this JVM's memory, the cache file in the home directory, or the jars. */
  static Facts of(List<Path> jars) throws IOException {
    return of(jars, cacheFile());
  }

  /** {@link #of(List)} with the cache in {@code cache} (null: none). */
  static Facts of(List<Path> jars, Path cache) throws IOException {
    String key = stampKey(jars);
    Facts facts = IN_JVM.get(key);
    if (facts != null) {
      return facts;
    }
    Properties stored = load(cache);
    facts = stored.containsKey(key) ? Facts.decode(stored.getProperty(key)) : null;
    if (facts == null) {
      facts = new Facts(contentHash(jars), jarsBeforeConf(jars));
      store(cache, stored, key, facts);
    }
    IN_JVM.put(key, facts);
    return facts;
  }

  /** SHA-256 of the jars' absolute paths, sizes and modification times. */
  private static String stampKey(List<Path> jars) throws IOException {
    MessageDigest sha = sha256();
    for (Path jar : jars) {
      sha.update((jar.toAbsolutePath() + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** SHA-256, in hex, over each jar's file name, size and bytes, in order (never cached). */
  static String contentHash(List<Path> jars) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[1 << 16];
    for (Path jar : jars) {
      sha.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(ByteBuffer.allocate(Long.BYTES).putLong(Files.size(jar)).array());
      try (InputStream in = Files.newInputStream(jar)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Whether no jar holds one of {@link JvmStart#CONF_FILES} at its root, and each is a zip (logs the
   * first that is not).
   */
  static boolean jarsBeforeConf(List<Path> jars) throws IOException {
    for (Path jar : jars) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (String name : JvmStart.CONF_FILES) {
          if (zip.getEntry(name) != null) {
            LOG.info("{} holds {}: Weft's configuration directory stays first on the containers' class path, "
                + "and they start without class-data sharing", jar, name);
            return false;
          }
        }
      } catch (java.util.zip.ZipException e) {
        LOG.info("{} is not a jar ({}): the containers start without class-data sharing", jar, e.getMessage());
        return false;
      }
    }
    return true;
  }

  private static Path cacheFile() {
    String home = System.getProperty("user.home");
    return home == null || home.isBlank() ? null : Path.of(home, ".cache", "weft", "runtime-digests.properties");
  }

  private static Properties load(Path cache) {
    Properties p = new Properties();
    if (cache != null && Files.isRegularFile(cache)) {
      try (InputStream in = Files.newInputStream(cache)) {
        p.load(in);
      } catch (IOException | IllegalArgumentException e) {
        LOG.debug("Ignoring the unreadable {}: {}", cache, e.toString());
        p.clear();
      }
    }
    return p;
  }

  /** Best effort: a cache that cannot be written only costs the next submission the hashing. */
  private static void store(Path cache, Properties stored, String key, Facts facts) {
    if (cache == null) {
      return;
    }
    if (stored.size() >= MAX_ENTRIES) {
      stored.clear();
    }
    stored.setProperty(key, facts.encode());
    try {
      Files.createDirectories(cache.getParent());
      Path temp = Files.createTempFile(cache.getParent(), cache.getFileName().toString(), ".tmp");
      try (OutputStream out = Files.newOutputStream(temp)) {
        stored.store(out, "Weft runtime jar digests, by a hash of their paths, sizes and times (safe to delete)");
      }
      try {
        Files.move(temp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, cache, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.debug("Could not write {}: {}", cache, e.toString());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
    }
  }
}
