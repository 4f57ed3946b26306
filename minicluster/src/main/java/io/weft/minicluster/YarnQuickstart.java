package io.weft.minicluster;

import io.weft.yarn.client.WeftSubmit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * {@code bin/weft quickstart}: starts an embedded YARN + HDFS cluster, puts a sample text into
 * HDFS, submits the WordCount example with {@code --master yarn} (an ApplicationMaster hosting
 * the driver, two executor containers) through the same client as {@code weft submit}, prints
 * the most frequent words, and stops the cluster. Arguments: the examples jar.
 * Exits 0 only if the application succeeded.
 */
public final class YarnQuickstart {
  /** The same sample text as the local quickstart, from the client jar. */
  private static final String SAMPLE = "/io/weft/yarn/client/sample.txt";

  private YarnQuickstart() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args[0], System.out, System.err));
  }

  static int run(String examplesJar, PrintStream out, PrintStream err) throws Exception {
    long start = System.nanoTime();
    out.println("Weft quickstart: starting an embedded YARN + HDFS cluster (about 30 s)...");
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodeManagers(2).dataNodes(1).build()) {
      cluster.start();
      FileSystem fs = cluster.fileSystem();
      org.apache.hadoop.fs.Path input = new org.apache.hadoop.fs.Path("/quickstart/sample.txt");
      try (InputStream in = YarnQuickstart.class.getResourceAsStream(SAMPLE);
           var outStream = fs.create(input)) {
        in.transferTo(outStream);
      }
      String in = fs.makeQualified(input).toString();
      String output = fs.makeQualified(new org.apache.hadoop.fs.Path("/quickstart/wordcount")).toString();
      out.printf("Cluster up in %.1f s: HDFS %s, ResourceManager %s. Submitting WordCount...%n",
          (System.nanoTime() - start) / 1e9, cluster.hdfsUri(), cluster.rmAddress());
      long submitted = System.nanoTime();
      int rc = new WeftSubmit(out, err, cluster::configuration).run(List.of("--master", "yarn",
          "--name", "quickstart-wordcount", "--class", "io.weft.examples.WordCount",
          "--num-executors", "2", "--executor-cores", "2", "--executor-memory", "512m",
          "--conf", "weft.am.memory=512m", "--conf", "weft.yarn.report.interval=500ms",
          examplesJar, in, output));
      double seconds = (System.nanoTime() - submitted) / 1e9;
      if (rc != 0) {
        err.printf("WordCount on YARN failed after %.1f s (exit %d)%n", seconds, rc);
        return rc;
      }
      Map<String, Long> counts = readCounts(fs, new org.apache.hadoop.fs.Path(output));
      out.printf("WordCount on YARN finished in %.1f s (submit to exit): %d distinct words. Top 10:%n",
          seconds, counts.size());
      counts.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(10)
          .forEach(e -> out.printf("  %-12s %d%n", e.getKey(), e.getValue()));
      out.println("Stopping the cluster.");
      return 0;
    }
  }

  private static Map<String, Long> readCounts(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    for (FileStatus part : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          int tab = line.lastIndexOf('\t');
          counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
        }
      }
    }
    return counts;
  }
}
