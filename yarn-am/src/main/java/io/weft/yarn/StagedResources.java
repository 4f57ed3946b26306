package io.weft.yarn;

import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;

/**
 * Writes the LocalResources the client shipped into {@code weft.properties} and reads them back
 * in the ApplicationMaster, so executors are launched with exactly the same files (same paths,
 * sizes and timestamps: YARN refuses a resource whose file changed since submission).
 *
 * <p>Format: {@code launch.resource.<link name>=<type>,<visibility>,<size>,<timestamp>,<uri>},
 * the URI last because it is the only part that may contain a comma. Stateless.
 */
public final class StagedResources {
  private StagedResources() {}

  public static void write(Map<String, LocalResource> resources, Properties props) {
    resources.forEach((name, r) -> {
      String uri;
      try {
        uri = r.getResource().toPath().toUri().toString();
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("bad URL of local resource " + name + ": " + e.getMessage(), e);
      }
      props.setProperty(YarnConstants.PROP_RESOURCE_PREFIX + name,
          r.getType() + "," + r.getVisibility() + "," + r.getSize() + "," + r.getTimestamp() + "," + uri);
    });
  }

  /** The resources in {@code props}, by link name (sorted, so launch contexts are reproducible). */
  public static Map<String, LocalResource> read(Properties props) {
    Map<String, LocalResource> out = new TreeMap<>();
    for (String key : props.stringPropertyNames()) {
      if (!key.startsWith(YarnConstants.PROP_RESOURCE_PREFIX)) {
        continue;
      }
      String name = key.substring(YarnConstants.PROP_RESOURCE_PREFIX.length());
      String[] f = props.getProperty(key).split(",", 5);
      if (f.length != 5) {
        throw new IllegalArgumentException("malformed " + key + "=" + props.getProperty(key));
      }
      out.put(name, LocalResource.newInstance(URL.fromPath(new Path(f[4])),
          LocalResourceType.valueOf(f[0]), LocalResourceVisibility.valueOf(f[1]),
          Long.parseLong(f[2]), Long.parseLong(f[3])));
    }
    return new LinkedHashMap<>(out);
  }
}
