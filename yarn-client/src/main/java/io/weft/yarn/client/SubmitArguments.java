package io.weft.yarn.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code weft submit}, spark-submit style:
 * {@code [--master M] [--name N] --class C [--conf k=v]... [--jars a.jar,b.jar]
 * [--files a.txt,b.dat] [--properties-file F] [--num-executors N] [--executor-memory 2g] [--executor-cores C]
 * [--queue Q] app.jar [app args...]}. Everything after the application jar belongs to the
 * application. A bad command line is an {@link IllegalArgumentException} naming the option.
 */
public record SubmitArguments(
    String master,
    String name,
    String mainClass,
    Map<String, String> conf,
    List<String> jars,
    List<String> files,
    String propertiesFile,
    String appJar,
    List<String> appArgs,
    boolean verbose) {

  public static final String USAGE = String.join("\n",
      "Usage: weft submit [options] <app.jar> [app arguments]",
      "  --master MASTER         local, local[N], local[*] or yarn (default: weft.master, else local[*])",
      "  --class CLASS           the application's main class (required)",
      "  --name NAME             application name (weft.app.name)",
      "  --conf KEY=VALUE        a Weft setting; repeatable",
      "  --properties-file FILE  settings file (default: conf/weft-defaults.conf)",
      "  --jars A.jar,B.jar      more jars for the application's class path",
      "  --files A,B             (yarn) files for every container's working directory",
      "  --num-executors N       (yarn) weft.executor.instances",
      "  --executor-memory SIZE  (yarn) weft.executor.memory",
      "  --executor-cores N      (yarn) weft.executor.cores",
      "  --queue QUEUE           (yarn) weft.yarn.queue",
      "  --verbose               print full stack traces");

  public static SubmitArguments parse(List<String> args) {
    String master = null;
    String name = null;
    String mainClass = null;
    String propertiesFile = null;
    boolean verbose = false;
    Map<String, String> conf = new LinkedHashMap<>();
    List<String> jars = new ArrayList<>();
    List<String> files = new ArrayList<>();
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("--")) {
      String opt = args.get(i);
      if (opt.equals("--verbose")) {
        verbose = true;
        i++;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("option " + opt + " needs a value");
      }
      String value = args.get(i + 1);
      switch (opt) {
        case "--master" -> master = value;
        case "--class" -> mainClass = value;
        case "--name" -> name = value;
        case "--properties-file" -> propertiesFile = value;
        case "--jars" -> addList(jars, value);
        case "--files" -> addList(files, value);
        case "--conf" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--conf takes KEY=VALUE, got '" + value + "'");
          }
          conf.put(value.substring(0, eq), value.substring(eq + 1));
        }
        case "--num-executors" -> conf.put("weft.executor.instances", value);
        case "--executor-memory" -> conf.put("weft.executor.memory", value);
        case "--executor-cores" -> conf.put("weft.executor.cores", value);
        case "--queue" -> conf.put("weft.yarn.queue", value);
        default -> throw new IllegalArgumentException("unknown option " + opt + "\n" + USAGE);
      }
      i += 2;
    }
    if (mainClass == null) {
      throw new IllegalArgumentException("--class is required\n" + USAGE);
    }
    if (i >= args.size()) {
      throw new IllegalArgumentException("the application jar is missing\n" + USAGE);
    }
    String appJar = args.get(i);
    List<String> appArgs = List.copyOf(args.subList(i + 1, args.size()));
    return new SubmitArguments(master, name, mainClass, conf, jars, files, propertiesFile, appJar, appArgs, verbose);
  }

  private static void addList(List<String> into, String commaSeparated) {
    for (String item : commaSeparated.split(",")) {
      if (!item.isBlank()) {
        into.add(item.trim());
      }
    }
  }
}
