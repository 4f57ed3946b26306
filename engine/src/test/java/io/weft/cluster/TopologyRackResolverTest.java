package io.weft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.net.DNSToSwitchMapping;
import org.apache.hadoop.net.TableMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyRackResolverTest {
  @TempDir Path tmp;

  /** Records every batch it is asked to resolve; racks from the host's last octet (odd /r1, even /r2). */
  public static final class CountingMapping implements DNSToSwitchMapping {
    static final List<List<String>> CALLS = new CopyOnWriteArrayList<>();

    @Override
    public List<String> resolve(List<String> names) {
      CALLS.add(List.copyOf(names));
      List<String> racks = new ArrayList<>();
      for (String n : names) {
        int last = Integer.parseInt(n.substring(n.lastIndexOf('.') + 1));
        racks.add(last % 2 == 1 ? "/r1" : "/r2");
      }
      return racks;
    }

    @Override
    public void reloadCachedMappings() {}

    @Override
    public void reloadCachedMappings(List<String> names) {}
  }

  private Configuration tableConf(String table) throws Exception {
    Path file = tmp.resolve("topology.table");
    Files.writeString(file, table);
    Configuration conf = new Configuration(false);
    conf.setClass(CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY,
        TableMapping.class, DNSToSwitchMapping.class);
    conf.set(CommonConfigurationKeysPublic.NET_TOPOLOGY_TABLE_MAPPING_FILE_KEY, file.toString());
    return conf;
  }

  @Test
  void tableMappingGivesEachHostItsRackAndUnlistedHostsTheDefault() throws Exception {
    RackResolver racks = TopologyRackResolver.from(tableConf("10.1.0.1 /dc1/r1\n10.1.0.2 /dc1/r1\n10.1.0.3 /dc1/r2\n"));

    assertEquals("/dc1/r1", racks.rackOf("10.1.0.1"));
    assertEquals("/dc1/r1", racks.rackOf("10.1.0.2"));
    assertEquals("/dc1/r2", racks.rackOf("10.1.0.3"));
    assertEquals("/default-rack", racks.rackOf("10.1.0.99"));
  }

  @Test
  void noTopologyConfiguredPutsEveryHostOnTheDefaultRack() {
    // Hadoop's default: a script mapping with no script, i.e. one switch
    RackResolver racks = TopologyRackResolver.from(new Configuration(false));

    assertEquals("/default-rack", racks.rackOf("10.1.0.1"));
    assertEquals("/default-rack", racks.rackOf("some-host"));
  }

  @Test
  void prefetchResolvesMissingHostsInOneBatchAndRackOfThenAsksNothing() {
    CountingMapping.CALLS.clear();
    Configuration conf = new Configuration(false);
    conf.setClass(CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY,
        CountingMapping.class, DNSToSwitchMapping.class);
    RackResolver racks = TopologyRackResolver.from(conf);

    racks.prefetch(List.of("10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3"));
    racks.prefetch(List.of("10.0.0.2", "10.0.0.4"));
    assertEquals(List.of(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), List.of("10.0.0.4")), CountingMapping.CALLS);

    assertEquals("/r1", racks.rackOf("10.0.0.1"));
    assertEquals("/r2", racks.rackOf("10.0.0.2"));
    assertEquals("/r2", racks.rackOf("10.0.0.4"));
    assertEquals(2, CountingMapping.CALLS.size(), "answers come from the cache");

    assertEquals("/r1", racks.rackOf("10.0.0.5"));
    assertEquals(List.of("10.0.0.5"), CountingMapping.CALLS.get(2), "a miss resolves just that host");
  }

  @Test
  void anUnloadableMappingClassIsNamedWithItsSetting() {
    Configuration conf = new Configuration(false);
    conf.set(CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY, "org.example.NoSuchMapping");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopologyRackResolver.from(conf));
    assertTrue(e.getMessage().contains("net.topology.node.switch.mapping.impl=org.example.NoSuchMapping"), e.getMessage());
  }
}
