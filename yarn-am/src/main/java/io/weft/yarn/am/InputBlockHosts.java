package io.weft.yarn.am;

import io.weft.cluster.LocalityDemand;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locality demand of inputs named up front ({@code weft.yarn.locality.inputs}): each block
 * of each file counts as one waiting task that prefers the block's hosts, which is what the first
 * stage reading them will ask for (a split is about a block). Lets the ApplicationMaster place the
 * containers it asks for at start, before the driver has planned a stage.
 *
 * <p>A hint, not a requirement: an input that cannot be listed is logged and left out (the job
 * reading it will report the problem in its own words). Blocks the caller's thread on listing.
 */
final class InputBlockHosts {
  private static final Logger LOG = LoggerFactory.getLogger(InputBlockHosts.class);

  private InputBlockHosts() {}

  /** The demand of the comma-separated {@code paths} (files, or directories listed recursively). */
  static LocalityDemand demandOf(Configuration conf, String paths) {
    int blocks = 0;
    int located = 0;
    Map<String, Integer> perHost = new HashMap<>();
    for (String p : paths.split(",")) {
      if (p.isBlank()) {
        continue;
      }
      Path path = new Path(p.trim());
      try {
        FileSystem fs = path.getFileSystem(conf);
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(path, true);
        while (files.hasNext()) {
          for (BlockLocation b : files.next().getBlockLocations()) {
            blocks++;
            String[] hosts = b.getHosts();
            located += hosts.length > 0 ? 1 : 0;
            for (String h : hosts) {
              perHost.merge(h, 1, Integer::sum);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot list {} (weft.yarn.locality.inputs) to place executors near it: {}", path, e.toString());
      }
    }
    LOG.info("weft.yarn.locality.inputs: {} blocks on {} hosts", blocks, perHost.size());
    return new LocalityDemand(blocks, located, perHost);
  }
}
