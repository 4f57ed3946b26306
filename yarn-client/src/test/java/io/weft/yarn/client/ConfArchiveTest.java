package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

class ConfArchiveTest {
  @Test
  void archiveHoldsTheEffectiveConfWithoutStaticMappingAndTheWeftProperties() throws IOException {
    Configuration conf = new Configuration(false);
    conf.set("yarn.resourcemanager.address", "rm.example:8032");
    conf.set("net.topology.node.switch.mapping.impl", "org.apache.hadoop.net.StaticMapping");
    Properties weft = new Properties();
    weft.setProperty("launch.mainClass", "com.example.Main");

    Map<String, byte[]> entries = unzip(ConfArchive.build(conf, weft));
    assertEquals(List.of("core-site.xml", "hdfs-site.xml", "log4j.properties", "mapred-site.xml", "weft.properties",
        "yarn-site.xml"),
        entries.keySet().stream().sorted().toList());
    Configuration shipped = new Configuration(false);
    shipped.addResource(new ByteArrayInputStream(entries.get("core-site.xml")));
    assertEquals("rm.example:8032", shipped.get("yarn.resourcemanager.address"));
    assertNull(shipped.get("net.topology.node.switch.mapping.impl"), "StaticMapping is only in the test jar");
    Properties props = new Properties();
    props.load(new ByteArrayInputStream(entries.get("weft.properties")));
    assertEquals("com.example.Main", props.getProperty("launch.mainClass"));
    for (String site : ConfArchive.SITE_FILES) {
      assertEquals(new String(entries.get("core-site.xml")), new String(entries.get(site)), site);
    }
  }

  /**
   * The regression that hung the first end-to-end run: with the client's values only in
   * core-site.xml, yarn-default.xml (loaded after it) reset the scheduler address, and the
   * ApplicationMaster retried registering at 0.0.0.0:8030 forever.
   */
  @Test
  void aContainersYarnConfigurationSeesTheClientsYarnAndHdfsValues(@TempDir Path dir) throws IOException {
    Configuration client = new Configuration(false);
    client.set(YarnConfiguration.RM_SCHEDULER_ADDRESS, "localhost:45678");
    client.set("dfs.replication", "1");
    for (Map.Entry<String, byte[]> e : unzip(ConfArchive.build(client, new Properties())).entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    try (URLClassLoader containerClassPath = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      Configuration inContainer = new YarnConfiguration(new HdfsConfiguration());
      inContainer.setClassLoader(containerClassPath);
      assertEquals("localhost:45678", inContainer.get(YarnConfiguration.RM_SCHEDULER_ADDRESS));
      assertEquals("1", inContainer.get("dfs.replication"));
    }
  }

  @Test
  void anotherMappingIsKept() {
    Configuration conf = new Configuration(false);
    conf.set("net.topology.node.switch.mapping.impl", "org.apache.hadoop.net.TableMapping");
    assertEquals("org.apache.hadoop.net.TableMapping",
        ConfArchive.shippable(conf).get("net.topology.node.switch.mapping.impl"));
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }
}
