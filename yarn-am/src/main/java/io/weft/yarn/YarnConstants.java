package io.weft.yarn;

import org.apache.hadoop.io.Text;

/**
 * Names the submitting client and the ApplicationMaster (and, later, executors) must agree on:
 * where things are localized in a container's working directory, the key of the application
 * secret in the YARN {@code Credentials}, and the keys of the application's launch details in
 * {@value #WEFT_PROPERTIES}. Constants only; no behaviour.
 */
public final class YarnConstants {
  private YarnConstants() {}

  /**
   * Alias of the application secret in the container's {@code Credentials}. The secret travels
   * only there: never on a command line, in the environment or in a log.
   */
  public static final Text SECRET_KEY = new Text("weft.application.secret");

  /** Bytes of the application secret. */
  public static final int SECRET_BYTES = 32;

  /** Link name of the configuration archive (Hadoop *-site.xml, weft.properties, log4j.properties). */
  public static final String CONF_DIR = "__weft_conf__";

  /** Name of the configuration archive in the staging directory. */
  public static final String CONF_ARCHIVE_FILE = CONF_DIR + ".zip";

  /** Link name of Weft's own jars: a directory of jars, or the unpacked {@code weft.yarn.archive}. */
  public static final String LIBS_DIR = "__weft_libs__";

  /**
   * Link name of the unpacked Hadoop archive ({@code weft-hadoop-<hash>.zip}): Hadoop's client jars,
   * shipped apart from Weft's so a Weft upgrade does not ship them again; absent when the cluster's
   * class path provides them ({@code weft.yarn.hadoopJars}).
   */
  public static final String HADOOP_DIR = "__weft_hadoop__";

  /** Link name of the application jar. */
  public static final String APP_JAR = "__app__.jar";

  /** The resolved Weft settings and the launch details, inside {@link #CONF_DIR}. */
  public static final String WEFT_PROPERTIES = "weft.properties";

  /** The driver's recovery journal: a directory in the staging directory, one file per AM attempt. */
  public static final String JOURNAL_DIR = "journal";

  /** Each AM attempt's driver address for returning executors: a directory in the staging directory. */
  public static final String DRIVER_ADDRESS_DIR = "driver";

  /**
   * Name of the keytab (weft.yarn.keytab) in the ApplicationMaster's working directory: the
   * client stages it as a private resource of the AM only, and the shipped settings name this,
   * not the user's path.
   */
  public static final String KEYTAB_FILE = "weft.keytab";

  /** Name of the per-user directory (under the home directory) holding staging directories. */
  public static final String STAGING_PARENT = ".weftStaging";

  // Launch details in weft.properties. They deliberately avoid the weft. prefix: they are not
  // settings, and WeftConf would warn about them as unknown keys.

  /** The application's main class. */
  public static final String PROP_MAIN_CLASS = "launch.mainClass";

  /** Number of application arguments; each is {@code launch.arg.<i>}. */
  public static final String PROP_ARG_COUNT = "launch.args";

  public static final String PROP_ARG_PREFIX = "launch.arg.";

  /** Comma-separated link names of the application's class path ({@link #APP_JAR}, then --jars). */
  public static final String PROP_APP_CLASSPATH = "launch.appClassPath";

  /** The staging directory's fully qualified path. */
  public static final String PROP_STAGING_DIR = "launch.stagingDir";

  /** Prefix of the LocalResources the client shipped, encoded by {@code StagedResources}. */
  public static final String PROP_RESOURCE_PREFIX = "launch.resource.";
}
