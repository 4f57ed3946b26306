package io.weft.yarn;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * The training run behind the runtime's class-data sharing archive ({@link JvmStart}): a JVM
 * started with {@code -XX:ArchiveClassesAtExit} runs this, and the classes it loaded are what
 * ApplicationMaster and executor JVMs later map from the archive instead of parsing and
 * verifying them from the jars.
 *
 * <p>What it loads, in the order a container meets it: Hadoop's configuration, security and YARN
 * client classes (every container reads its credentials through {@code UserGroupInformation}; the
 * AM talks to the ResourceManager and NodeManagers); an HDFS client (created, never connected);
 * a small job in {@code local[2]} that reads a text file, shuffles and writes through Hadoop's
 * output committer, so the scheduler, task, serialization, shuffle and block-store classes are
 * loaded and linked as tasks use them; then, without initializing them, every class of Weft's own
 * jars and of the Netty and Kryo jars, for the transport and executor paths a local job does not
 * take. It only loads what the runtime would load anyway: nothing it does reaches a cluster.
 *
 * <p>Argument: a scratch directory. Exit status 0 when trained; any failure exits non-zero and the
 * runtime is published without a CDS archive.
 */
public final class CdsTraining {
  private CdsTraining() {}

  /** Jars whose classes are all loaded: Weft's own and the transport's (by file-name prefix). */
  private static final List<String> LOAD_ALL = List.of("weft-", "netty-", "kryo-");

  /**
   * Of those jars, the packages loaded whole: Weft, Netty and Kryo, in place or relocated. The
   * relocated runtime jar ({@code weft-runtime-*.jar}) also holds Avro, Parquet and the rest of
   * Weft's libraries, of which only what the job touched belongs in the archive.
   */
  private static final List<String> LOAD_PACKAGES = List.of("io/netty/", "io/weft/shaded/io/netty/",
      "com/esotericsoftware/kryo/");

  /** Whether every class of this jar entry is loaded ({@link #LOAD_PACKAGES}, and Weft's own). */
  static boolean loadsWhole(String file) {
    if (file.startsWith("io/weft/")) {
      return !file.startsWith("io/weft/shaded/") || file.startsWith("io/weft/shaded/io/netty/");
    }
    return LOAD_PACKAGES.stream().anyMatch(file::startsWith);
  }

  public static void main(String[] args) throws Exception {
    Path scratch = Path.of(args[0]);
    Configuration conf = new YarnConfiguration();
    UserGroupInformation.getCurrentUser().getCredentials();
    NMClientAsync.createNMClientAsync(null).init(conf);
    org.apache.hadoop.yarn.client.api.AMRMClient.createAMRMClient().init(conf);
    FileSystem.newInstance(URI.create("hdfs://127.0.0.1:1/"), conf).close();
    runJob(scratch);
    int loaded = loadAll(System.getProperty("java.class.path"));
    System.out.println("CDS training: ran a local job and loaded " + loaded + " classes of Weft, Netty and Kryo");
  }

  private static void runJob(Path scratch) throws IOException {
    Path input = scratch.resolve("in.txt");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      lines.add("w" + (i % 97) + " x" + (i % 13) + " y" + i);
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    WeftConf conf = new WeftConf().setMaster("local[2]").setAppName("cds-training")
        .set("weft.local.dir", scratch.resolve("local").toString());
    try (WeftContext wc = WeftContext.create(conf)) {
      long words = wc.textFile(input.toUri().toString(), 2)
          .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
          .mapToPair(w -> Pair.of(w, 1L))
          .reduceByKey(Long::sum)
          .count();
      wc.parallelize(List.of(1, 2, 3, 4), 2).mapToPair(i -> Pair.of(i % 2, i)).groupByKey()
          .saveAsTextFile(scratch.resolve("out").toUri().toString());
      if (words == 0) {
        throw new IllegalStateException("the training job counted nothing");
      }
    }
  }

  /** Loads (without initializing) every class of the {@link #LOAD_ALL} jars; returns how many. */
  private static int loadAll(String classPath) {
    int n = 0;
    ClassLoader loader = CdsTraining.class.getClassLoader();
    for (String entry : classPath.split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (!entry.endsWith(".jar") || LOAD_ALL.stream().noneMatch(name::startsWith)) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String file = e.nextElement().getName();
          if (file.endsWith(".class") && loadsWhole(file)) {
            try {
              Class.forName(file.substring(0, file.length() - 6).replace('/', '.'), false, loader);
              n++;
            } catch (Throwable t) {
              // an optional dependency is missing (Netty's for BlockHound, say): not needed at run time either
            }
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + entry, e);
      }
    }
    return n;
  }
}
