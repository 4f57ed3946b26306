package io.weft.yarn.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line of {@code weft submit}, spark-submit style (see {@link #USAGE}): options,
 * then the application jar, then the application's own arguments, which are never parsed.
 * {@code --help} anywhere among the options asks for the usage and nothing else. A bad command
 * line is an {@link IllegalArgumentException} naming the option, with the closest known option
 * when it looks mistyped.
 */
public record SubmitArguments(
    String master,
    String name,
    String mainClass,
    Map<String, String> conf,
    List<String> jars,
    List<String> files,
    List<String> archives,
    String propertiesFile,
    String appJar,
    List<String> appArgs,
    boolean verbose,
    boolean help) {

  public static final String USAGE = String.join("\n",
      "Usage: weft submit [options] <app.jar> [app arguments]",
      "  --master MASTER              local, local[N], local[*], local-cluster[N,C,M] or yarn",
      "                               (default: weft.master, else local[*])",
      "  --class CLASS                the application's main class (required)",
      "  --name NAME                  application name (weft.app.name; default: the main class's simple name)",
      "  --conf KEY=VALUE             a Weft setting; repeatable",
      "  --properties-file FILE       settings file (default: conf/weft-defaults.conf)",
      "  --jars A.jar,B.jar           more jars for the application's class path",
      "  --files A,B                  (yarn) files for every container's working directory",
      "  --archives A.zip[#NAME],...  (yarn) archives unpacked into every container's working directory",
      "  --num-executors N            (yarn) weft.executor.instances",
      "  --executor-memory SIZE       (yarn) weft.executor.memory, e.g. 2g",
      "  --executor-cores N           (yarn) weft.executor.cores",
      "  --driver-memory SIZE         (yarn) the ApplicationMaster's heap, which runs the driver: weft.am.memory",
      "  --driver-java-options OPTS   (yarn) weft.am.extraJavaOptions, e.g. \"-XX:+UseG1GC -Dkey=value\"",
      "  --executor-java-options OPTS (yarn) weft.executor.extraJavaOptions",
      "  --queue QUEUE                (yarn) weft.yarn.queue",
      "  --principal P --keytab K     (yarn, Kerberos) log in from keytab K as P and let the ApplicationMaster",
      "                               renew the delegation tokens (weft.yarn.principal, weft.yarn.keytab)",
      "  --in-am                      (yarn) run the tasks inside the ApplicationMaster, with no executor",
      "                               containers (weft.yarn.inAm.mode=on; =auto decides by input size)",
      "  --kill-on-interrupt          (yarn) Ctrl-C kills the application (weft.yarn.killOnInterrupt);",
      "                               by default it keeps running and weft kill <applicationId> stops it",
      "  --verbose                    print full stack traces (on YARN: the driver's, from the ApplicationMaster)",
      "  --help                       this text",
      "",
      "Examples:",
      "  weft submit --class io.weft.examples.WordCount examples/target/weft-examples-*.jar in.txt out",
      "  HADOOP_CONF_DIR=/etc/hadoop/conf weft submit --master yarn --num-executors 4 \\",
      "      --executor-memory 2g --class com.example.MyJob my-job.jar hdfs:///data/in hdfs:///data/out",
      "  weft submit --master yarn --conf weft.yarn.archive.dir=hdfs:///apps/weft/archives --class C app.jar",
      "      (Weft's runtime is uploaded once per Weft build into that shared directory)");

  /** Options that take no value. */
  private static final Set<String> FLAGS = Set.of("--verbose", "--help", "-h", "--kill-on-interrupt", "--in-am");

  /** Options that take a value. */
  private static final Set<String> VALUED = Set.of("--master", "--class", "--name", "--properties-file",
      "--jars", "--files", "--archives", "--conf", "--num-executors", "--executor-memory", "--executor-cores",
      "--driver-memory", "--driver-java-options", "--executor-java-options", "--queue", "--principal", "--keytab");

  /** The dedicated options that only set a Weft setting. */
  private static final Map<String, String> SETTING_OF = Map.of(
      "--num-executors", "weft.executor.instances",
      "--executor-memory", "weft.executor.memory",
      "--executor-cores", "weft.executor.cores",
      "--driver-memory", "weft.am.memory",
      "--driver-java-options", "weft.am.extraJavaOptions",
      "--executor-java-options", "weft.executor.extraJavaOptions",
      "--queue", "weft.yarn.queue",
      "--principal", "weft.yarn.principal",
      "--keytab", "weft.yarn.keytab");

  public static SubmitArguments parse(List<String> args) {
    Parser p = new Parser();
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-")) {
      String opt = args.get(i);
      String value = null;
      int eq = opt.indexOf('=');
      if (opt.startsWith("--") && eq > 0) { // --name=value
        value = opt.substring(eq + 1);
        opt = opt.substring(0, eq);
      }
      if (FLAGS.contains(opt)) {
        p.flag(opt);
        i++;
        continue;
      }
      if (!VALUED.contains(opt)) {
        // later options may still ask for help: then the help is what the user wanted
        if (args.subList(i, args.size()).contains("--help")) {
          return Parser.helpOnly();
        }
        Set<String> known = new TreeSet<>(FLAGS);
        known.addAll(VALUED);
        throw new IllegalArgumentException("unknown option " + opt + Suggestions.didYouMean(opt, known)
            + " (weft submit --help lists the options)");
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("option " + opt + " needs a value");
        }
        value = args.get(++i);
      }
      p.option(opt, value);
      i++;
    }
    if (p.help) {
      return Parser.helpOnly();
    }
    if (p.mainClass == null) {
      throw new IllegalArgumentException("--class is required (weft submit --help shows the usage)");
    }
    if (i >= args.size()) {
      throw new IllegalArgumentException("the application jar is missing (weft submit --help shows the usage)");
    }
    return new SubmitArguments(p.master, p.name, p.mainClass, p.conf, p.jars, p.files, p.archives,
        p.propertiesFile, args.get(i), List.copyOf(args.subList(i + 1, args.size())), p.verbose, false);
  }

  /** Collects options in order; later ones win. */
  private static final class Parser {
    String master;
    String name;
    String mainClass;
    String propertiesFile;
    boolean verbose;
    boolean help;
    final Map<String, String> conf = new LinkedHashMap<>();
    final List<String> jars = new ArrayList<>();
    final List<String> files = new ArrayList<>();
    final List<String> archives = new ArrayList<>();

    static SubmitArguments helpOnly() {
      return new SubmitArguments(null, null, null, Map.of(), List.of(), List.of(), List.of(), null, null,
          List.of(), false, true);
    }

    void flag(String opt) {
      switch (opt) {
        case "--verbose" -> verbose = true;
        case "--kill-on-interrupt" -> conf.put("weft.yarn.killOnInterrupt", "true");
        case "--in-am" -> conf.put("weft.yarn.inAm.mode", "on");
        default -> help = true;
      }
    }

    void option(String opt, String value) {
      String setting = SETTING_OF.get(opt);
      if (setting != null) {
        conf.put(setting, value);
        return;
      }
      switch (opt) {
        case "--master" -> master = value;
        case "--class" -> mainClass = value;
        case "--name" -> name = value;
        case "--properties-file" -> propertiesFile = value;
        case "--jars" -> addList(jars, value);
        case "--files" -> addList(files, value);
        case "--archives" -> addList(archives, value);
        case "--conf" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--conf takes KEY=VALUE, got '" + value + "'");
          }
          conf.put(value.substring(0, eq), value.substring(eq + 1));
        }
        default -> throw new IllegalStateException("option " + opt + " is declared but not handled");
      }
    }

    private static void addList(List<String> into, String commaSeparated) {
      for (String item : commaSeparated.split(",")) {
        if (!item.isBlank()) {
          into.add(item.trim());
        }
      }
    }
  }
}
