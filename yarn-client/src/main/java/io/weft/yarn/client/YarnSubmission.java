package io.weft.yarn.client;

import io.weft.WeftConf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to submit to YARN: the application (main class, jar, extra jars and files, arguments),
 * its resolved Weft settings, and Weft's own jars to ship with it.
 *
 * @param mainClass the application's main class, run by the ApplicationMaster
 * @param appJar the application jar: a local path, or a URI on a Hadoop file system (used in place)
 * @param jars more jars for the application's class path (same forms as {@code appJar})
 * @param files files placed in every container's working directory under their own name
 * @param archives archives (zip, tar.gz, jar) unpacked into every container's working directory,
 *     under their file name or the name after a {@code #} ({@code deps.zip#deps})
 * @param appArgs the arguments of {@code main}; shipped in weft.properties, never on a command line
 * @param settings the resolved {@code weft.*} settings (defaults file, --conf, options)
 * @param weftJars Weft's runtime jars (engine, yarn-am, their dependencies); ignored when
 *     {@code weft.yarn.archive} is set. See {@link WeftJars#ofLauncher()}.
 */
public record YarnSubmission(
    String mainClass,
    String appJar,
    List<String> jars,
    List<String> files,
    List<String> appArgs,
    Map<String, String> settings,
    List<Path> weftJars,
    List<String> archives) {

  public YarnSubmission {
    jars = List.copyOf(jars);
    files = List.copyOf(files);
    archives = List.copyOf(archives);
    appArgs = List.copyOf(appArgs);
    settings = Map.copyOf(settings);
    weftJars = List.copyOf(weftJars);
  }

  /** A submission without archives. */
  public YarnSubmission(String mainClass, String appJar, List<String> jars, List<String> files, List<String> appArgs,
      Map<String, String> settings, List<Path> weftJars) {
    this(mainClass, appJar, jars, files, appArgs, settings, weftJars, List.of());
  }

  /** The settings as a WeftConf (without JVM system properties: the submission is self-contained). */
  public WeftConf conf() {
    WeftConf conf = new WeftConf(false);
    settings.forEach(conf::set);
    return conf;
  }
}
