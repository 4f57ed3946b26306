package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.yarn.StagedResources;
import io.weft.yarn.YarnConstants;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the client wrote into {@code __weft_conf__/weft.properties}: the resolved Weft settings
 * and how to launch the application (main class, arguments, class path, staging directory, the
 * shipped LocalResources). Immutable.
 *
 * <p>Failure: {@link #load} throws an {@link IOException} naming the file when it is missing or
 * lacks a main class; the ApplicationMaster then fails before registering.
 */
public record LaunchDetails(
    WeftConf conf,
    String mainClass,
    List<String> args,
    List<String> appClassPath,
    String stagingDir,
    Map<String, org.apache.hadoop.yarn.api.records.LocalResource> resources) {

  /** A copy: callers may add to it without changing what the AM launched with. */
  @Override
  public WeftConf conf() {
    return conf.copy();
  }

  public static LaunchDetails load(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    if (p.getProperty(YarnConstants.PROP_MAIN_CLASS) == null) {
      throw new IOException(file + " names no main class (" + YarnConstants.PROP_MAIN_CLASS + ")");
    }
    return fromProperties(p);
  }

  public static LaunchDetails fromProperties(Properties p) {
    WeftConf conf = new WeftConf(false);
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("weft.")) {
        conf.set(key, p.getProperty(key));
      }
    }
    int n = Integer.parseInt(p.getProperty(YarnConstants.PROP_ARG_COUNT, "0"));
    List<String> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      args.add(p.getProperty(YarnConstants.PROP_ARG_PREFIX + i, ""));
    }
    String cp = p.getProperty(YarnConstants.PROP_APP_CLASSPATH, YarnConstants.APP_JAR);
    List<String> classPath = Arrays.stream(cp.split(",")).filter(s -> !s.isBlank()).toList();
    return new LaunchDetails(conf, p.getProperty(YarnConstants.PROP_MAIN_CLASS), List.copyOf(args),
        classPath, p.getProperty(YarnConstants.PROP_STAGING_DIR), StagedResources.read(p));
  }
}
