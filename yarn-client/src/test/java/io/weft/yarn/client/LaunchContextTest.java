package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.yarn.AppSecret;
import io.weft.yarn.ContainerSizes;
import io.weft.yarn.JvmStart;
import io.weft.yarn.StagedResources;
import io.weft.yarn.YarnConstants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.DataInputByteBuffer;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ApplicationMaster's launch context, built from resources staged into a local directory:
 * what is on the command line and the class path, which resources ship with which visibility,
 * and that the secret travels only in the credentials.
 */
class LaunchContextTest {
  @TempDir
  Path tmp;

  @Test
  void theAclSettingsBecomeYarnsApplicationAclsOnlyWhenEnabled() {
    WeftConf conf = new WeftConf(false).set("weft.ui.view.acls", "bob").set("weft.modify.acls", "ops1")
        .set("weft.modify.acls.groups", "ops").set("weft.admin.acls", "root");
    assertEquals(Map.of(), AmLaunchContext.applicationAcls(conf, "alice"), "off: YARN's defaults");
    conf.set("weft.acls.enable", "true");
    assertEquals(Map.of(
        org.apache.hadoop.yarn.api.records.ApplicationAccessType.VIEW_APP, "alice,root,bob ",
        org.apache.hadoop.yarn.api.records.ApplicationAccessType.MODIFY_APP, "alice,root,ops1 ops"),
        AmLaunchContext.applicationAcls(conf, "alice"));
  }

  @Test
  void commandLineHasHeapAndMainClassAndRedirectsButNoApplicationDetails() {
    ContainerSizes sizes = ContainerSizes.of(new WeftConf(false).set("weft.am.memory", "700m"));
    String cmd = String.join(" ", AmLaunchContext.command(sizes, List.of()));
    assertTrue(cmd.startsWith("{{JAVA_HOME}}/bin/java -Xmx700m "), cmd);
    assertTrue(cmd.contains(" io.weft.yarn.am.ApplicationMaster "), cmd);
    assertTrue(cmd.endsWith("1><LOG_DIR>/stdout 2><LOG_DIR>/stderr"), cmd);
    assertEquals(700 + 384, sizes.amContainerMb(), "the container is heap + overhead");
  }

  @Test
  void driverJavaOptionsGoOnTheCommandLineBeforeTheMainClassQuotedForTheShell() {
    WeftConf conf = new WeftConf(false).set("weft.am.extraJavaOptions", "-XX:+UseG1GC  -Dgreeting=it's");
    List<String> options = io.weft.yarn.YarnOptions.javaOptions(conf, io.weft.yarn.YarnOptions.AM_EXTRA_JAVA_OPTIONS);
    assertEquals(List.of("'-XX:+UseG1GC'", "'-Dgreeting=it'\\''s'"), options);
    String cmd = String.join(" ", AmLaunchContext.command(ContainerSizes.of(conf), options));
    assertTrue(cmd.contains(" '-XX:+UseG1GC' '-Dgreeting=it'\\''s' io.weft.yarn.am.ApplicationMaster "), cmd);
    assertEquals(List.of(), io.weft.yarn.YarnOptions.javaOptions(new WeftConf(false),
        io.weft.yarn.YarnOptions.EXECUTOR_EXTRA_JAVA_OPTIONS));
  }

  @Test
  void classPathPutsConfThenLibsThenTheClusters() {
    Configuration conf = new Configuration(false);
    conf.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH, "/opt/hadoop/etc, /opt/hadoop/share/*");
    assertEquals(List.of("{{PWD}}/__weft_conf__", "{{PWD}}/__weft_libs__/*", "{{PWD}}/__weft_hadoop__/*",
            "/opt/hadoop/etc", "/opt/hadoop/share/*"),
        List.of(AmLaunchContext.classPath(conf, List.of()).split(ApplicationConstants.CLASS_PATH_SEPARATOR)));
  }

  @Test
  void withARecordedJarOrderTheJarsComeFirstRelativeAsTheCdsArchiveWasMadeWith() {
    Configuration conf = new Configuration(false);
    conf.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH, "/opt/hadoop/etc");
    assertEquals(List.of("__weft_libs__/weft-yarn-client.jar", "__weft_libs__/b.jar", "{{PWD}}/__weft_conf__",
            "/opt/hadoop/etc"),
        List.of(AmLaunchContext.classPath(conf, List.of("weft-yarn-client.jar", "b.jar"))
            .split(ApplicationConstants.CLASS_PATH_SEPARATOR)));
  }

  @Test
  void jvmFlagsComeBeforeTheUsersOptionsWhichWin() {
    WeftConf weft = new WeftConf(false).set("weft.am.extraJavaOptions", "-Xshare:off");
    assertEquals(List.of("-XX:SharedArchiveFile=__weft_libs__/weft-runtime.jsa", "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "'-Xshare:off'"), JvmStart.javaOptions(weft, JvmStart.Role.APPLICATION_MASTER, true));
    assertEquals(List.of("-XX:TieredStopAtLevel=1"),
        JvmStart.flags(new WeftConf(false).set("weft.yarn.cds.enabled", "false"), JvmStart.Role.APPLICATION_MASTER, true));
    assertEquals(List.of(), JvmStart.flags(new WeftConf(false).set("weft.yarn.inAm.mode", "on"),
        JvmStart.Role.APPLICATION_MASTER, false), "an AM that runs the tasks keeps the optimizing compiler");

    WeftConf small = new WeftConf(false).set("weft.executor.memory", "1g");
    assertEquals(List.of("-XX:+UseSerialGC"), JvmStart.flags(small, JvmStart.Role.EXECUTOR, false));
    assertEquals(List.of(), JvmStart.flags(new WeftConf(false).set("weft.executor.memory", "1025m"),
        JvmStart.Role.EXECUTOR, false), "a larger heap keeps the JVM's default collector");
    small.set("weft.executor.extraJavaOptions", "-Dx=1 -XX:+UseParallelGC");
    assertEquals(List.of("'-Dx=1'", "'-XX:+UseParallelGC'"), JvmStart.javaOptions(small, JvmStart.Role.EXECUTOR, false),
        "the user's collector alone: a second one would stop the JVM from starting");
  }

  @Test
  void stagedResourcesAndTheSecretOnlyInCredentials() throws IOException {
    Configuration hadoopConf = new Configuration();
    FileSystem fs = FileSystem.getLocal(hadoopConf);
    Path appJar = file("app.jar");
    Path extraJar = file("dep.jar");
    Path dataFile = file("lookup.txt");
    Path weftJar = file("weft-engine.jar");
    YarnSubmission s = new YarnSubmission("com.example.Main", appJar.toString(), List.of(extraJar.toString()),
        List.of(dataFile.toString()), List.of("in", "--secret-looking-arg"),
        Map.of("weft.app.name", "t", "weft.yarn.archive.dir", tmp.resolve("archives").toUri().toString()),
        List.of(weftJar));
    StagingArea area;
    try (FileSystem fresh = FileSystem.newInstanceLocal(new Configuration())) { // the default umask, 022
      area = StagingArea.at(fresh, new org.apache.hadoop.fs.Path(tmp.resolve("home/.weftStaging/app_1").toUri()));
      assertEquals(new FsPermission((short) 0700), fresh.getFileStatus(area.dir()).getPermission());
      assertEquals(new FsPermission((short) 0755), fresh.getFileStatus(area.dir().getParent().getParent()).getPermission(),
          "a new home directory is not made private as a side effect (it would keep the runtime archive PRIVATE)");
    }
    area = StagingArea.at(fs, area.dir());

    ApplicationResources.checkInputs(s, s.conf(), hadoopConf);
    ApplicationResources.Staged staged = ApplicationResources.stage(s, s.conf(), area, hadoopConf);
    Map<String, LocalResource> r = staged.resources();
    assertEquals(List.of("__app__.jar", "dep.jar", "lookup.txt", "__weft_libs__"), List.copyOf(r.keySet()));
    assertEquals(List.of("__app__.jar", "dep.jar"), staged.appClassPath());
    for (String name : List.of("__app__.jar", "dep.jar", "lookup.txt")) {
      assertEquals(LocalResourceType.FILE, r.get(name).getType());
      assertEquals(LocalResourceVisibility.APPLICATION, r.get(name).getVisibility(), "staged files are per application");
    }
    LocalResource runtime = r.get("__weft_libs__");
    assertEquals(LocalResourceType.ARCHIVE, runtime.getType(), "Weft's jars as the shared runtime archive");
    assertTrue(runtime.getResource().getFile().contains("/archives/weft-runtime-"), runtime.toString());
    assertTrue(staged.runtimeNote().startsWith("Weft runtime: uploaded weft-runtime-"), staged.runtimeNote());

    byte[] secret = AppSecret.generate(new SecureRandom());
    Credentials creds = YarnSubmitter.amCredentials(hadoopConf, secret);
    ContainerSizes sizes = ContainerSizes.of(s.conf());
    ContainerLaunchContext ctx = AmLaunchContext.build(r, sizes, List.of(), staged.runtimeJars(), hadoopConf, creds);

    String visible = String.join(" ", ctx.getCommands()) + ctx.getEnvironment();
    for (String encoding : List.of(new String(secret, StandardCharsets.ISO_8859_1),
        HexFormat.of().formatHex(secret), Base64.getEncoder().encodeToString(secret))) {
      assertFalse(visible.contains(encoding), "secret leaked into the command line or environment");
    }
    assertFalse(visible.contains("com.example.Main"), "main class travels in weft.properties");
    assertFalse(visible.contains("--secret-looking-arg"), "arguments travel in weft.properties");
    Credentials shipped = new Credentials();
    DataInputByteBuffer in = new DataInputByteBuffer();
    in.reset(ctx.getTokens());
    shipped.readTokenStorageStream(in);
    assertArrayEquals(secret, AppSecret.readFrom(shipped));

    Properties props = YarnSubmitter.launchProperties(s, s.conf(), staged, area);
    assertEquals("yarn", props.getProperty("weft.master"));
    assertEquals("--secret-looking-arg", props.getProperty(YarnConstants.PROP_ARG_PREFIX + "1"));
    assertEquals(new java.util.TreeMap<>(r), new java.util.TreeMap<>(StagedResources.read(props)),
        "resources survive the round trip");
  }

  @Test
  void archivesAreShippedToBeUnpackedUnderTheirNameOrAlias() throws IOException {
    Configuration hadoopConf = new Configuration();
    FileSystem fs = FileSystem.getLocal(hadoopConf);
    Path appJar = file("app.jar");
    Path deps = file("deps.zip");
    Path models = file("models.tar.gz");
    YarnSubmission s = new YarnSubmission("com.example.Main", appJar.toString(), List.of(), List.of(), List.of(),
        Map.of(), List.of(), List.of(deps + "#lib", models.toString()));
    ApplicationResources.checkInputs(s, s.conf(), hadoopConf);
    StagingArea area = StagingArea.at(fs, new org.apache.hadoop.fs.Path(tmp.resolve("staging-archives").toUri()));
    Map<String, LocalResource> r = ApplicationResources.stage(s, s.conf(), area, hadoopConf).resources();
    assertEquals(List.of("__app__.jar", "lib", "models.tar.gz"), List.copyOf(r.keySet()));
    assertEquals(LocalResourceType.ARCHIVE, r.get("lib").getType());
    assertEquals(LocalResourceType.ARCHIVE, r.get("models.tar.gz").getType());
    assertTrue(r.get("lib").getResource().getFile().endsWith(".zip"), "the NodeManager unpacks by extension");

    YarnSubmission clash = new YarnSubmission("com.example.Main", appJar.toString(), List.of(), List.of(), List.of(),
        Map.of(), List.of(), List.of(deps + "#__app__.jar"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ApplicationResources.checkInputs(clash, clash.conf(), hadoopConf));
    assertTrue(e.getMessage().contains("__app__.jar"), e.getMessage());
  }

  @Test
  void worldReadableArchiveIsPublicAndUsedInPlace() throws IOException {
    Configuration hadoopConf = new Configuration();
    FileSystem fs = FileSystem.getLocal(hadoopConf);
    Path archive = file("weft-libs.zip");
    org.apache.hadoop.fs.Path hArchive = new org.apache.hadoop.fs.Path(archive.toUri());
    fs.setPermission(hArchive, new FsPermission((short) 0644));
    boolean ancestorsTraversable = StagingArea.isPublic(fs, hArchive);
    LocalResource res = StagingArea.inPlace(hArchive, LocalResourceType.ARCHIVE, hadoopConf);
    assertEquals(ancestorsTraversable ? LocalResourceVisibility.PUBLIC : LocalResourceVisibility.PRIVATE,
        res.getVisibility());
    fs.setPermission(hArchive, new FsPermission((short) 0600));
    assertEquals(LocalResourceVisibility.PRIVATE,
        StagingArea.inPlace(hArchive, LocalResourceType.ARCHIVE, hadoopConf).getVisibility());
  }

  @Test
  void missingInputsAreNamedBeforeAnythingIsStaged() {
    YarnSubmission s = new YarnSubmission("C", tmp.resolve("nope.jar").toString(), List.of(), List.of(),
        List.of(), Map.of(), List.of());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ApplicationResources.checkInputs(s, s.conf(), new Configuration()));
    assertTrue(e.getMessage().contains("application jar " + tmp.resolve("nope.jar") + " does not exist"), e.getMessage());
  }

  private Path file(String name) throws IOException {
    return Files.writeString(tmp.resolve(name), "content of " + name);
  }
}
