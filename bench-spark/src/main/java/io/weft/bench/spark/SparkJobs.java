package io.weft.bench.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The four examples of {@code io.weft.examples} written against Apache Spark's RDD API, line for
 * line the same computation, so {@code bin/weft bench --compare spark} times the engines and not
 * two different programs. The output has the same text as Weft's: a {@code Tuple2} prints as
 * {@code (k,v)} like Weft's {@code Pair}, so the benchmark can check that both engines wrote the
 * same records.
 *
 * <p>Usage: {@code SparkJobs MASTER JOB ARGS...} where JOB and ARGS are those of the example
 * ({@code wordcount IN OUT}, {@code sort IN OUT}, {@code join EVENTS USERS OUT},
 * {@code grep IN WORD OUT}). Spark's settings are its defaults but the web UI, which Weft does
 * not have either and which costs start-up time.
 */
public final class SparkJobs {
  private SparkJobs() {}

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("Usage: SparkJobs MASTER wordcount|sort|join|grep ARGS...");
      System.exit(2);
    }
    String job = args[1];
    List<String> a = Arrays.asList(args).subList(2, args.length);
    SparkConf conf = new SparkConf().setMaster(args[0]).setAppName(job)
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "localhost");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      switch (job) {
        case "wordcount" -> wordCount(sc, a.get(0), a.get(1));
        case "sort" -> sort(sc, a.get(0), a.get(1));
        case "join" -> join(sc, a.get(0), a.get(1), a.get(2));
        case "grep" -> grep(sc, a.get(0), a.get(1), a.get(2));
        default -> throw new IllegalArgumentException("unknown job '" + job + "'");
      }
    }
  }

  static void wordCount(JavaSparkContext sc, String in, String out) {
    sc.textFile(in)
        .flatMap(line -> Arrays.asList(line.split("\\s+")).iterator())
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> new Tuple2<>(word, 1L))
        .reduceByKey(Long::sum)
        .map(SparkJobs::asWeftWritesIt)
        .saveAsTextFile(out);
  }

  static void sort(JavaSparkContext sc, String in, String out) {
    JavaRDD<String> lines = sc.textFile(in);
    lines.sortBy(line -> line.length() <= 10 ? line : line.substring(0, 10), true, lines.getNumPartitions())
        .saveAsTextFile(out);
  }

  static void join(JavaSparkContext sc, String events, String users, String out) {
    var amountByUser = sc.textFile(events).mapToPair(line -> {
      String[] f = line.split("\t");
      return new Tuple2<>(f[0], Long.parseLong(f[2]));
    });
    var countryByUser = sc.textFile(users).mapToPair(line -> {
      String[] f = line.split("\t");
      return new Tuple2<>(f[0], f[1]);
    });
    amountByUser.join(countryByUser)
        .mapToPair(joined -> new Tuple2<>(joined._2()._2(), joined._2()._1()))
        .reduceByKey(Long::sum)
        .map(SparkJobs::asWeftWritesIt)
        .saveAsTextFile(out);
  }

  /** A pair as Weft's {@code saveAsTextFile} writes one. */
  private static String asWeftWritesIt(Tuple2<String, Long> pair) {
    return pair._1() + "\t" + pair._2();
  }

  static void grep(JavaSparkContext sc, String in, String word, String out) {
    long count = sc.textFile(in).filter(line -> line.contains(word)).count();
    sc.parallelize(List.of(count), 1).saveAsTextFile(out);
  }
}
