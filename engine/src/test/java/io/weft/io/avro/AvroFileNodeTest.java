package io.weft.io.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftContext;
import io.weft.executor.ExecutorEnv;
import io.weft.io.FileSplitPartition;
import io.weft.io.InputReadException;
import io.weft.plan.Partition;
import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingJobRunner;
import io.weft.testing.TestingTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads Avro data files written by the Avro library itself through {@link AvroFileNode}'s
 * partitions and compute, without a scheduler.
 */
@Timeout(120)
class AvroFileNodeTest {
  @TempDir Path tmp;

  private WeftContext ctx;
  private ExecutorEnv env;

  @BeforeEach
  void setUp() throws IOException {
    ctx = TestingTasks.newContext();
    env = TestingTasks.executorEnv(Files.createDirectories(tmp.resolve("exec")), new TestingDriverEndpoint());
  }

  /** A configuration whose local file system has {@code blockSize}-byte blocks. */
  static Configuration smallBlocks(long blockSize) {
    Configuration conf = new Configuration();
    conf.setLong("fs.local.block.size", blockSize);
    // the file system cache ignores the configuration: a cached instance keeps its block size
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  private AvroFileNode<GenericRecord> node(String path, Schema readerSchema, Configuration conf) {
    return new AvroFileNode<>(ctx, path, 1, readerSchema, null, conf);
  }

  @Test
  void multiBlockFileIsReadExactlyOnceAcrossEightOrMoreSplits() throws IOException {
    List<GenericRecord> users = Users.users(40_000);
    Path file = tmp.resolve("users.avro");
    Users.write(file.toFile(), Users.SCHEMA, users, 4096, CodecFactory.deflateCodec(1));
    long size = Files.size(file);

    AvroFileNode<GenericRecord> node = node(file.toString(), null, smallBlocks(size / 10 + 1));

    assertTrue(node.numPartitions() >= 8, "splits: " + node.numPartitions());
    long covered = 0;
    List<Integer> perPartition = new ArrayList<>();
    List<GenericRecord> read = new ArrayList<>();
    for (Partition p : node.partitions()) {
      FileSplitPartition split = (FileSplitPartition) p;
      assertEquals(covered, split.start(), "splits tile the file");
      covered += split.length();
      assertEquals(List.of("localhost"), split.hosts());
      List<GenericRecord> part = readPartition(node, p);
      perPartition.add(part.size());
      read.addAll(part);
    }
    assertEquals(size, covered);
    assertEquals(Users.json(users), Users.json(read));
    assertTrue(perPartition.stream().filter(n -> n > 0).count() >= 8, "records per split: " + perPartition);
  }

  @Test
  void readerSchemaTakesDefaultsForAddedFieldsAndDropsRemovedOnes() throws IOException {
    Path file = tmp.resolve("users.avro");
    Users.write(file.toFile(), Users.SCHEMA, Users.users(100), 1000, CodecFactory.nullCodec());
    Schema evolved = SchemaBuilder.record("TestUser").namespace("io.weft.io.avro").fields()
        .requiredLong("id")
        .name("country").type().stringType().stringDefault("NZ")
        .endRecord();

    List<GenericRecord> read = TestingTasks.readAll(node(file.toString(), evolved, new Configuration()), env);

    assertEquals(100, read.size());
    for (int i = 0; i < 100; i++) {
      assertEquals(evolved, read.get(i).getSchema());
      assertEquals((long) i, read.get(i).get("id"));
      assertEquals("NZ", read.get(i).get("country").toString());
    }
  }

  @Test
  void unresolvableReaderSchemaFailsNamingTheFileAndBothFields() throws IOException {
    Path file = tmp.resolve("users.avro");
    Users.write(file.toFile(), Users.SCHEMA, Users.users(10), 1000, CodecFactory.nullCodec());
    Schema wrong = SchemaBuilder.record("TestUser").namespace("io.weft.io.avro").fields()
        .requiredLong("id").requiredString("age").requiredInt("zip").endRecord();

    InputReadException e = assertThrows(InputReadException.class,
        () -> TestingTasks.readAll(node(file.toString(), wrong, new Configuration()), env));

    String m = e.getMessage();
    assertTrue(m.contains(file.toString()), m);
    assertInstanceOf(SchemaMismatchException.class, e.getCause());
    // the reader's string 'age' against the file's int, and 'zip' which the file lacks
    assertTrue(m.contains("/fields/1/type") && m.contains("\"string\"") && m.contains("\"int\""), m);
    assertTrue(m.contains("zip"), m);
  }

  @Test
  void specificRecordClassReadsInstancesOfIt() throws IOException {
    Path file = tmp.resolve("users.avro");
    Users.write(file.toFile(), Users.SCHEMA, Users.users(500), 2000, CodecFactory.snappyCodec());

    List<TestUser> read = TestingTasks.readAll(
        new AvroFileNode<>(ctx, file.toString(), 3, null, TestUser.class, new Configuration()), env);

    assertEquals(Users.json(Users.users(500)), Users.json(read));
  }

  @Test
  void directoriesAndGlobsSkipHiddenFiles() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("dir"));
    Users.write(dir.resolve("a.avro").toFile(), Users.SCHEMA, List.of(Users.user(1)), 1000, CodecFactory.nullCodec());
    Users.write(dir.resolve("b.avro").toFile(), Users.SCHEMA, List.of(Users.user(2)), 1000, CodecFactory.nullCodec());
    Files.writeString(dir.resolve("_SUCCESS"), "");
    Files.writeString(dir.resolve(".a.avro.crc"), "not avro");

    assertEquals(List.of(1L, 2L), ids(TestingTasks.readAll(node(dir.toString(), null, new Configuration()), env)));
    assertEquals(List.of(2L), ids(TestingTasks.readAll(node(dir + "/b*", null, new Configuration()), env)));
  }

  @Test
  void truncatedFileFailsNamingTheFileAndBlock() throws IOException {
    Path file = tmp.resolve("users.avro");
    Users.write(file.toFile(), Users.SCHEMA, Users.users(5000), 4096, CodecFactory.deflateCodec(1));
    byte[] all = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(all, all.length * 2 / 3));

    InputReadException e = assertThrows(InputReadException.class,
        () -> TestingTasks.readAll(node(file.toString(), null, new Configuration()), env));

    assertTrue(e.getMessage().startsWith("Cannot read " + file.toUri().toString().replace("file:///", "file:/")),
        e.getMessage());
    assertTrue(e.getMessage().contains("block at byte"), e.getMessage());
  }

  @Test
  void fileOfAnotherFormatFailsNamingIt() throws IOException {
    Path file = tmp.resolve("not.avro");
    Files.writeString(file, "id,name\n1,ann\n");

    InputReadException e = assertThrows(InputReadException.class,
        () -> TestingTasks.readAll(node(file.toString(), null, new Configuration()), env));

    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Not an Avro data file"), e.getMessage());
  }

  @Test
  void nodeAndPartitionsSurviveJavaSerialization() throws IOException {
    Path file = tmp.resolve("users.avro");
    Users.write(file.toFile(), Users.SCHEMA, Users.users(50), 1000, CodecFactory.nullCodec());
    AvroFileNode<GenericRecord> node = node(file.toString(), Users.SCHEMA, new Configuration());
    Partition p = node.partitions()[0];

    AvroFileNode<GenericRecord> shipped = TestingJobRunner.roundTrip(node);
    List<GenericRecord> read = new ArrayList<>();
    shipped.compute(TestingJobRunner.roundTrip(p), TestingTasks.task(env, 0, 0)).forEachRemaining(read::add);

    assertEquals(Users.json(Users.users(50)), Users.json(read));
  }

  private List<GenericRecord> readPartition(AvroFileNode<GenericRecord> node, Partition p) {
    var task = TestingTasks.task(env, p.index(), 0);
    List<GenericRecord> out = new ArrayList<>();
    try {
      node.compute(p, task).forEachRemaining(out::add);
    } finally {
      task.markCompleted();
    }
    return out;
  }

  private static List<Long> ids(List<GenericRecord> records) {
    return records.stream().map(r -> (Long) r.get("id")).sorted().toList();
  }
}
