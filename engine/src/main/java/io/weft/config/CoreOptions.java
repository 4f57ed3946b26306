package io.weft.config;

import static io.weft.config.ConfigEntry.booleanConf;
import static io.weft.config.ConfigEntry.intConf;
import static io.weft.config.ConfigEntry.stringConf;

/** Settings every application has: where it runs, its name, where executors keep local files. */
public final class CoreOptions {
  private CoreOptions() {}

  public static final ConfigEntry<String> MASTER = stringConf("weft.master")
      .doc("Where the application runs: local, local[N], local[*] (one JVM, N task slots), "
          + "local-cluster[N,C,M] or yarn. weft submit uses local[*] when none is given; a program "
          + "started directly (yarn jar, java -cp) with none set fails at WeftContext.create, naming "
          + "the weft submit command to use.")
      .register();

  public static final ConfigEntry<String> APP_NAME = stringConf("weft.app.name")
      .doc("The application's name, shown in logs and, on YARN, in the ResourceManager.")
      .defaultValue("weft-app")
      .register();

  public static final ConfigEntry<String> LOCAL_DIR = stringConf("weft.local.dir")
      .doc("Where applications in local and local-cluster modes keep shuffle files, spills, cached "
          + "blocks and executor logs: each in its own owner-only app-* directory, removed when it stops; "
          + "directories of applications no longer running are removed at the next start "
          + "(default: weft-<user> under java.io.tmpdir). On YARN the NodeManager's local dirs are used instead.")
      .register();

  public static final ConfigEntry<Integer> DEFAULT_PARALLELISM = intConf("weft.default.parallelism")
      .doc("Partitions for parallelize and for shuffles when no count is given "
          + "(default: the total number of task slots).")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Integer> TAKE_SCALE_UP = intConf("weft.take.scaleUpFactor")
      .doc("How many times more partitions take(n) scans in each round after the first finds too few.")
      .defaultValue("4")
      .check(n -> n >= 2, "at least 2")
      .register();

  public static final ConfigEntry<String> SERIALIZER = stringConf("weft.serializer")
      .doc("Record serializer of shuffles, spills and disk-cached blocks: weft (compact fast paths "
          + "for strings, numbers, pairs, lists and byte arrays; Kryo for every other type), java "
          + "(plain Java serialization for everything), or the class name of an "
          + "io.weft.serialization.Serializer with a public no-argument constructor. Closures and "
          + "tasks always use Java serialization.")
      .defaultValue("weft")
      .register();

  public static final ConfigEntry<String> KRYO_CLASSES = stringConf("weft.kryo.classesToRegister")
      .doc("Comma-separated classes to register with Kryo under weft.serializer=weft, so their "
          + "values are written with a small id instead of the class name. Optional: unregistered "
          + "classes work too. Every JVM of the application must be able to load them.")
      .defaultValue("")
      .register();

  public static final ConfigEntry<Boolean> KRYO_REFERENCES = booleanConf("weft.kryo.referenceTracking")
      .doc("Whether Kryo tracks object references inside one record, so an object reachable twice "
          + "is written once and cyclic graphs work. Turning it off is faster for records that are trees.")
      .defaultValue("true")
      .register();

  /** Prefix of settings copied into the Hadoop Configuration used for file I/O. */
  public static final String HADOOP_PREFIX = "weft.hadoop.";
}
