package io.weft.io.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.executor.ExecutorEnv;
import io.weft.io.InputReadException;
import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SequenceFiles and arbitrary Hadoop formats, read and written, against Hadoop's own readers and writers. */
@Timeout(120)
class HadoopFilesTest {
  @TempDir static Path tmp;
  private static WeftContext wc;
  private static ExecutorEnv env;
  private static final Configuration CONF = new Configuration();

  @BeforeAll
  static void start() throws IOException {
    wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("hadoop-files")
        .set("weft.local.dir", tmp.resolve("local").toString()));
    env = TestingTasks.executorEnv(Files.createDirectories(tmp.resolve("exec")), new TestingDriverEndpoint());
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  private static org.apache.hadoop.fs.Path hpath(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  /** Writes {@code key-i -> i} for i in [0, n) with Hadoop's own SequenceFile writer. */
  private static void writeSequenceFile(Path file, int n) throws IOException {
    try (SequenceFile.Writer w = SequenceFile.createWriter(CONF, SequenceFile.Writer.file(hpath(file)),
        SequenceFile.Writer.keyClass(Text.class), SequenceFile.Writer.valueClass(LongWritable.class),
        SequenceFile.Writer.compression(SequenceFile.CompressionType.RECORD, new DefaultCodec()))) {
      for (int i = 0; i < n; i++) {
        w.append(new Text("key-" + i), new LongWritable(i));
      }
    }
  }

  private static List<String> expected(int n) {
    return IntStream.range(0, n).mapToObj(i -> "key-" + i + "=" + i).toList();
  }

  @Test
  void sequenceFileInManySplitsIsReadRecordForRecordAndKeptRecordsStayDistinct() throws IOException {
    Path file = tmp.resolve("many.seq");
    writeSequenceFile(file, 50_000);
    Configuration small = new Configuration();
    small.setLong("fs.local.block.size", Files.size(file) / 8 + 1);
    small.setBoolean("fs.file.impl.disable.cache", true);

    HadoopFileNode<Text, LongWritable> node = new HadoopFileNode<Text, LongWritable>(TestingTasks.newContext(),
        file.toString(), HadoopFilesTest.<Text, LongWritable>castFormat(SequenceFileInputFormat.class),
        Text.class, LongWritable.class, small);
    // readAll keeps every record, like a cache: copies, not the reader's one reused Text
    List<Pair<Text, LongWritable>> kept = TestingTasks.readAll(node, env);

    assertTrue(node.numPartitions() >= 8, "splits: " + node.numPartitions());
    assertEquals(expected(50_000), kept.stream().map(kv -> kv.key() + "=" + kv.value().get()).toList());
    assertEquals(50_000, new HashSet<>(kept.stream().map(kv -> kv.key().toString()).toList()).size());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <K, V> Class<? extends org.apache.hadoop.mapreduce.InputFormat<K, V>> castFormat(Class<?> c) {
    return (Class) c;
  }

  @Test
  void savedSequenceFilesAreReadByHadoopItself() throws IOException {
    Path out = tmp.resolve("seq-out");
    List<Pair<String, Long>> data = IntStream.range(0, 3000).mapToObj(i -> Pair.of("key-" + i, (long) i)).toList();

    wc.parallelizePairs(data, 3).saveAsSequenceFile(out.toString(), DefaultCodec.class);

    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    List<String> back = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      Path part = out.resolve(String.format("part-m-%05d", p));
      try (SequenceFile.Reader r = new SequenceFile.Reader(CONF, SequenceFile.Reader.file(hpath(part)))) {
        assertEquals(Text.class, r.getKeyClass());
        assertEquals(LongWritable.class, r.getValueClass());
        assertTrue(r.isBlockCompressed());
        Text k = new Text();
        LongWritable v = new LongWritable();
        while (r.next(k, v)) {
          back.add(k + "=" + v.get());
        }
      }
    }
    assertEquals(expected(3000), back);
    // and Weft reads them back (mapping Writables to Java values before collect)
    assertEquals(expected(3000), wc.sequenceFile(out.toString(), Text.class, LongWritable.class)
        .map(kv -> kv.key() + "=" + kv.value().get()).collect().stream().sorted(
            (a, b) -> Integer.compare(Integer.parseInt(a.split("[-=]")[1]), Integer.parseInt(b.split("[-=]")[1])))
        .toList());
  }

  @Test
  void anyInputAndOutputFormatWorks() throws IOException {
    Path in = tmp.resolve("lines.txt");
    Files.write(in, List.of("a", "bb", "ccc"));
    Path out = tmp.resolve("text-out");

    wc.hadoopFile(in.toString(), TextInputFormat.class, LongWritable.class, Text.class)
        .mapToPair(kv -> Pair.of(kv.value().toString(), kv.value().getLength()))
        .mapToPair(kv -> Pair.of(new Text(kv.key()), new IntWritable(kv.value())))
        .saveAsHadoopFile(out.toString(), TextOutputFormat.class, Text.class, IntWritable.class);

    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-m-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    assertEquals(List.of("a\t1", "bb\t2", "ccc\t3"), lines);
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void truncatedSequenceFileFailsNamingIt() throws IOException {
    Path file = tmp.resolve("truncated.seq");
    writeSequenceFile(file, 20_000);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2 + 7));

    RuntimeException e = assertThrows(RuntimeException.class, () ->
        wc.sequenceFile(file.toString(), Text.class, LongWritable.class).map(kv -> kv.key().toString()).count());

    assertTrue(causes(e).contains(InputReadException.class.getName() + ": Cannot read " + "file:" + file), causes(e));

    Path out = tmp.resolve("from-truncated");
    assertThrows(RuntimeException.class, () -> wc.sequenceFile(file.toString(), Text.class, LongWritable.class)
        .mapToPair(kv -> Pair.of(kv.key().toString(), kv.value().get())).saveAsSequenceFile(out.toString()));
    assertFalse(Files.exists(out), "no output directory after a failed job");
  }

  @Test
  void fileOfAnotherFormatOrWrongClassesFailNamingTheFile() throws IOException {
    Path text = tmp.resolve("plain.txt");
    Files.writeString(text, "this is not a sequence file\n");
    RuntimeException e = assertThrows(RuntimeException.class, () ->
        wc.sequenceFile(text.toString(), Text.class, LongWritable.class).map(kv -> kv.key().toString()).count());
    assertTrue(causes(e).contains("Cannot read file:" + text) && causes(e).contains("not a SequenceFile"), causes(e));

    Path seq = tmp.resolve("typed.seq");
    writeSequenceFile(seq, 10);
    RuntimeException wrong = assertThrows(RuntimeException.class, () ->
        wc.sequenceFile(seq.toString(), Text.class, IntWritable.class).map(kv -> kv.key().toString()).count());
    assertTrue(causes(wrong).contains("values of org.apache.hadoop.io.LongWritable, not org.apache.hadoop.io.IntWritable"),
        causes(wrong));
  }

  @Test
  void failedSaveLeavesNoOutput() {
    Path out = tmp.resolve("failed-seq");
    assertThrows(RuntimeException.class, () ->
        wc.parallelizePairs(List.of(Pair.of("a", 1L), Pair.of("b", new Object())), 1)
            .saveAsSequenceFile(out.toString()));
    assertFalse(Files.exists(out));
  }

  static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" | ");
    }
    return b.toString();
  }
}
