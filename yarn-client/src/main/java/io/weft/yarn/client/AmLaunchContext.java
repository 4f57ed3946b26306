package io.weft.yarn.client;

import io.weft.WeftConf;
import io.weft.ui.AccessControl;
import io.weft.yarn.ContainerSizes;
import io.weft.yarn.JvmStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.ApplicationAccessType;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * Builds the ApplicationMaster's {@link ContainerLaunchContext}: the java command line, the
 * class path, the local resources and the credentials.
 *
 * <p>Command: {@code {{JAVA_HOME}}/bin/java -Xmx<am heap>m -Djava.io.tmpdir={{PWD}}/tmp
 * [Weft's JVM flags] [weft.am.extraJavaOptions] io.weft.yarn.am.ApplicationMaster 1><LOG_DIR>/stdout
 * 2><LOG_DIR>/stderr}. Nothing about the
 * application is on it: main class and arguments travel in {@code weft.properties}, the secret in
 * the credentials. Class path: {@link JvmStart#containerClassPath}. The
 * {@code {{…}}} and {@code <CPS>} forms are expanded by the NodeManager for its platform.
 *
 * <p>Pure: a function of its arguments. Threading: any.
 */
final class AmLaunchContext {
  private AmLaunchContext() {}

  static final String AM_CLASS = "io.weft.yarn.am.ApplicationMaster";

  /**
   * @param javaOptions Weft's JVM flags ({@link JvmStart#flags}) and weft.am.extraJavaOptions, each
   *     word quoted for the shell
   * @param runtimeJars the runtime jars in the runtime archive's recorded order, or empty
   */
  static ContainerLaunchContext build(Map<String, LocalResource> resources, ContainerSizes sizes,
      List<String> javaOptions, List<String> runtimeJars, Configuration hadoopConf, Credentials credentials) {
    ContainerLaunchContext ctx = ContainerLaunchContext.newInstance(
        resources, Map.of(Environment.CLASSPATH.name(), classPath(hadoopConf, runtimeJars)),
        List.of(String.join(" ", command(sizes, javaOptions))), null, tokens(credentials), null);
    return ctx;
  }

  static List<String> command(ContainerSizes sizes, List<String> javaOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Environment.JAVA_HOME.$$() + "/bin/java");
    cmd.add("-Xmx" + sizes.amHeapMb() + "m");
    cmd.add("-Djava.io.tmpdir=" + Environment.PWD.$$() + "/" + YarnConfiguration.DEFAULT_CONTAINER_TEMP_DIR);
    cmd.addAll(javaOptions);
    cmd.add(AM_CLASS);
    cmd.add("1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout");
    cmd.add("2>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr");
    return cmd;
  }

  static String classPath(Configuration hadoopConf, List<String> runtimeJars) {
    return JvmStart.containerClassPath(runtimeJars, List.of(), hadoopConf);
  }

  /**
   * YARN's application ACLs from Weft's ({@link AccessControl}): VIEW_APP (the application's
   * report details and container logs) and MODIFY_APP (kill) hold the owner, the admins and the
   * view or modify lists. Empty with {@code weft.acls.enable} off: YARN's defaults then apply
   * (the owner, the YARN admins and the queue's administrators).
   */
  static Map<ApplicationAccessType, String> applicationAcls(WeftConf conf, String owner) {
    AccessControl acls = AccessControl.fromConf(conf, owner);
    if (!acls.enabled()) {
      return Map.of();
    }
    return Map.of(ApplicationAccessType.VIEW_APP, acls.yarnViewAcl(),
        ApplicationAccessType.MODIFY_APP, acls.yarnModifyAcl());
  }

  /** The credentials in the wire form a launch context carries. */
  static ByteBuffer tokens(Credentials credentials) {
    try (DataOutputBuffer out = new DataOutputBuffer()) {
      credentials.writeTokenStorageToStream(out);
      return ByteBuffer.wrap(out.getData(), 0, out.getLength());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory
    }
  }
}
