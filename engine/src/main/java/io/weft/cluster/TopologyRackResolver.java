package io.weft.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.net.AbstractDNSToSwitchMapping;
import org.apache.hadoop.net.DNSToSwitchMapping;
import org.apache.hadoop.net.NetworkTopology;
import org.apache.hadoop.net.ScriptBasedMapping;
import org.apache.hadoop.util.ReflectionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Racks from Hadoop's topology mapping, as the cluster's own daemons see them: the class named by
 * {@code net.topology.node.switch.mapping.impl} (default {@link ScriptBasedMapping}, which runs
 * {@code net.topology.script.file.name}; {@code org.apache.hadoop.net.TableMapping} reads
 * {@code net.topology.table.file.name}), made with {@link ReflectionUtils} so it gets the
 * configuration. A cluster with no topology (a script mapping without a script) puts every host
 * on {@code /default-rack}, as Hadoop does, and the mapping is then never called.
 *
 * <p>Answers are cached for the resolver's life (Hadoop's daemons cache them too: a host does
 * not change racks while an application runs). A script may be slow, so the context resolves the
 * hosts of input splits ({@link #prefetch}) on the job's calling thread and the YARN provisioner
 * those of granted containers on its callback thread; the scheduler's event thread then reads the
 * cache. A host it still has to resolve itself (one no split or container named) costs one call.
 *
 * <p>A mapping that fails or answers with the wrong number of racks is logged, and those hosts
 * get {@code /default-rack}: scheduling goes on with less locality rather than failing the job.
 *
 * <p>Threading: thread-safe; {@link #prefetch} and a cache miss in {@link #rackOf} call the
 * mapping on the caller's thread.
 */
public final class TopologyRackResolver implements RackResolver {
  private static final Logger LOG = LoggerFactory.getLogger(TopologyRackResolver.class);
  public static final String DEFAULT_RACK = NetworkTopology.DEFAULT_RACK;

  private final DNSToSwitchMapping mapping;
  private final boolean singleRack;
  private final Map<String, String> racks = new ConcurrentHashMap<>();

  TopologyRackResolver(DNSToSwitchMapping mapping) {
    this.mapping = mapping;
    this.singleRack = mapping instanceof AbstractDNSToSwitchMapping m && m.isSingleSwitch();
  }

  /**
   * The topology mapping {@code conf} names.
   *
   * @throws IllegalArgumentException when the mapping class cannot be loaded, naming the setting
   */
  public static TopologyRackResolver from(Configuration conf) {
    String key = CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY;
    Class<? extends DNSToSwitchMapping> type;
    try {
      type = conf.getClass(key, ScriptBasedMapping.class, DNSToSwitchMapping.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Cannot load the rack mapping " + key + "=" + conf.get(key)
          + " (is it on the application master's class path?): " + e.getMessage(), e);
    }
    return new TopologyRackResolver(ReflectionUtils.newInstance(type, conf));
  }

  @Override
  public String rackOf(String host) {
    if (singleRack) {
      return DEFAULT_RACK;
    }
    String rack = racks.get(host);
    if (rack == null) {
      resolve(List.of(host));
      rack = racks.get(host);
    }
    return rack;
  }

  @Override
  public void prefetch(Collection<String> hosts) {
    if (singleRack) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String h : new LinkedHashSet<>(hosts)) {
      if (h != null && !racks.containsKey(h)) {
        missing.add(h);
      }
    }
    if (!missing.isEmpty()) {
      resolve(missing);
    }
  }

  /** One call of the mapping for all of {@code hosts} (a script runs once per batch). */
  private void resolve(List<String> hosts) {
    List<String> answer;
    try {
      answer = mapping.resolve(hosts);
    } catch (RuntimeException e) {
      LOG.warn("Rack mapping {} failed for {}: {}; using {}", mapping.getClass().getName(), hosts, e.toString(),
          DEFAULT_RACK);
      answer = null;
    }
    if (answer == null || answer.size() != hosts.size()) {
      if (answer != null) {
        LOG.warn("Rack mapping {} answered {} racks for {} hosts ({}); using {}", mapping.getClass().getName(),
            answer.size(), hosts.size(), hosts, DEFAULT_RACK);
      }
      hosts.forEach(h -> racks.put(h, DEFAULT_RACK));
      return;
    }
    for (int i = 0; i < hosts.size(); i++) {
      String rack = answer.get(i);
      racks.put(hosts.get(i), rack == null || rack.isEmpty() ? DEFAULT_RACK : rack);
    }
  }
}
