package io.weft.minicluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;

/**
 * Turns the embedded cluster's configuration into what can leave this JVM: a
 * {@linkplain #shippable shippable} copy without classes that exist only in the minicluster
 * jar, and {@code core-site.xml}, {@code hdfs-site.xml}, {@code yarn-site.xml} in a directory
 * that works as {@code HADOOP_CONF_DIR} for clients and as a container's conf dir.
 *
 * <p>Threading: stateless. Failure: I/O errors propagate; a half-written file is never visible
 * because each file is written to a temporary name and moved into place.
 */
final class SiteFiles {
  /**
   * Keys dropped from the shippable configuration because they name classes that exist only in
   * the minicluster jar. MiniDFSCluster sets the topology mapping to {@code StaticMapping}: an AM
   * given it dies with ClassNotFoundException inside AMRMClient init (MINICLUSTER.md). The
   * ResourceManager adds its {@code RMAuthenticationFilterInitializer} to the HTTP filter
   * initializers, which would break any Hadoop {@code HttpServer2} started from this conf.
   */
  static final Set<String> UNSHIPPABLE_KEYS = Set.of(
      CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY,
      "hadoop.http.filter.initializers");

  private SiteFiles() {}

  /** A copy of {@code conf} that processes without the minicluster jar can use. */
  static Configuration shippable(Configuration conf) {
    Configuration c = new Configuration(conf);
    UNSHIPPABLE_KEYS.forEach(c::unset);
    return c;
  }

  /**
   * Writes the keys of {@code conf} that are not Hadoop defaults into three site files in
   * {@code dir} (created if needed): {@code dfs.*} into hdfs-site.xml, {@code yarn.*} into
   * yarn-site.xml, the rest into core-site.xml. Defaults are left out so the files stay
   * readable and a client's own defaults still apply.
   */
  static void write(Configuration conf, Path dir) throws IOException {
    Files.createDirectories(dir);
    Configuration core = new Configuration(false);
    Configuration hdfs = new Configuration(false);
    Configuration yarn = new Configuration(false);
    Configuration shippable = shippable(conf);
    for (Map.Entry<String, String> e : shippable) {
      String key = e.getKey();
      if (isDefault(shippable, key)) {
        continue;
      }
      // Raw value: variables like ${hadoop.tmp.dir} are resolved by the reader, as usual.
      String value = shippable.getRaw(key);
      Configuration target = key.startsWith("dfs.") ? hdfs : key.startsWith("yarn.") ? yarn : core;
      target.set(key, value, "weft-minicluster");
    }
    writeAtomically(core, dir.resolve("core-site.xml"));
    writeAtomically(hdfs, dir.resolve("hdfs-site.xml"));
    writeAtomically(yarn, dir.resolve("yarn-site.xml"));
  }

  /** A key whose every source is one of Hadoop's bundled {@code *-default.xml} files. */
  private static boolean isDefault(Configuration conf, String key) {
    String[] sources = conf.getPropertySources(key);
    if (sources == null || sources.length == 0) {
      return false;
    }
    for (String s : sources) {
      if (!s.endsWith("-default.xml")) {
        return false;
      }
    }
    return true;
  }

  private static void writeAtomically(Configuration conf, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      conf.writeXml(out);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
