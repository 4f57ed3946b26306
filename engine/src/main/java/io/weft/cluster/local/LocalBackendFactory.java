package io.weft.cluster.local;

import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ClusterBackendFactory;
import io.weft.executor.DriverEndpoint;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Handles {@code local} (one slot), {@code local[N]} and {@code local[*]} (one slot per core). */
public final class LocalBackendFactory implements ClusterBackendFactory {
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[0-9]+)\\])?");

  @Override
  public boolean accepts(String master) {
    return LOCAL.matcher(master).matches();
  }

  @Override
  public ClusterBackend create(WeftConf conf, DriverEndpoint driver) {
    return new LocalBackend(conf, slots(conf.master()), driver);
  }

  static int slots(String master) {
    Matcher m = LOCAL.matcher(master);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a local master: " + master);
    }
    String n = m.group(1);
    if (n == null) {
      return 1;
    }
    int slots = n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    if (slots < 1) {
      throw new IllegalArgumentException("weft.master " + master + " needs at least one slot");
    }
    return slots;
  }
}
