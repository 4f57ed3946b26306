package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
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
    assertEquals(List.of("core-site.xml", "hdfs-site.xml", "log4j.properties", "weft.properties", "yarn-site.xml"),
        entries.keySet().stream().sorted().toList());
    Configuration shipped = new Configuration(false);
    shipped.addResource(new ByteArrayInputStream(entries.get("core-site.xml")));
    assertEquals("rm.example:8032", shipped.get("yarn.resourcemanager.address"));
    assertNull(shipped.get("net.topology.node.switch.mapping.impl"), "StaticMapping is only in the test jar");
    Properties props = new Properties();
    props.load(new ByteArrayInputStream(entries.get("weft.properties")));
    assertEquals("com.example.Main", props.getProperty("launch.mainClass"));
    assertTrue(new String(entries.get("yarn-site.xml")).contains("<configuration>"));
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
