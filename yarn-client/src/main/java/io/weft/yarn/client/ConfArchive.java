package io.weft.yarn.client;

import io.weft.yarn.YarnConstants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;

/**
 * Builds {@code __weft_conf__.zip}, the archive placed first on every container's class path:
 *
 * <ul>
 *   <li>{@code core-site.xml}, {@code hdfs-site.xml}, {@code yarn-site.xml} and
 *       {@code mapred-site.xml}, each holding the submitter's whole effective Hadoop
 *       configuration (site files from HADOOP_CONF_DIR / YARN_CONF_DIR, {@code -D} and
 *       {@code -conf} options), so the ApplicationMaster reaches the same ResourceManager and file
 *       system the client did. Each copy is needed: Hadoop loads its default files in turn
 *       (core-default, core-site, yarn-default, yarn-site, hdfs-default, ...), so a value kept only
 *       in core-site.xml is overridden by yarn-default.xml, loaded after it; every default file is
 *       followed by its site file, so a full copy in each keeps the client's values on top. They
 *       also shadow a node's own site files further down the class path;
 *   <li>{@code weft.properties} (settings and launch details) and a container {@code log4j.properties}.
 * </ul>
 *
 * <p>The topology mapping {@code StaticMapping} is dropped: MiniDFSCluster sets it and it exists
 * only in the test jar, so a container given it dies in {@code AMRMClient}'s init. Stateless.
 */
final class ConfArchive {
  private ConfArchive() {}

  static final java.util.List<String> SITE_FILES =
      java.util.List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml", "mapred-site.xml");

  /** A copy of {@code conf} without settings that only make sense in the submitting JVM. */
  static Configuration shippable(Configuration conf) {
    Configuration copy = new Configuration(conf);
    String mapping = copy.get(CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY);
    if (mapping != null && mapping.contains("StaticMapping")) {
      copy.unset(CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY);
    }
    return copy;
  }

  /** The zip's bytes. */
  static byte[] build(Configuration hadoopConf, Properties weftProperties) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      ByteArrayOutputStream xml = new ByteArrayOutputStream();
      shippable(hadoopConf).writeXml(xml);
      for (String site : SITE_FILES) {
        entry(zip, site, out -> out.write(xml.toByteArray()));
      }
      entry(zip, YarnConstants.WEFT_PROPERTIES, out -> weftProperties.store(out, "Weft settings and launch details"));
      entry(zip, "log4j.properties", out -> {
        try (InputStream in = ConfArchive.class.getResourceAsStream("container-log4j.properties")) {
          in.transferTo(out);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory: cannot happen
    }
    return bytes.toByteArray();
  }

  /**
   * Whether the application whose configuration archive is {@code archive} asked to keep its
   * staging directory ({@code weft.yarn.preserveStagingFiles} in its weft.properties); false
   * when the archive cannot be read.
   */
  static boolean preservesStaging(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path archive) {
    try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(fs.open(archive))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(YarnConstants.WEFT_PROPERTIES)) {
          Properties p = new Properties();
          p.load(zip);
          return Boolean.parseBoolean(p.getProperty(io.weft.yarn.YarnOptions.PRESERVE_STAGING_FILES.key(), "false"));
        }
      }
    } catch (IOException e) {
      // no readable archive: nothing says keep it
    }
    return false;
  }

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void entry(ZipOutputStream zip, String name, Writer writer) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    // shields the zip from a writer that closes its stream, which would end the whole archive
    writer.write(new java.io.FilterOutputStream(zip) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    });
    zip.closeEntry();
  }
}
