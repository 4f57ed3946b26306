package io.weft.io.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Avro file read in several splits by executors in two child JVMs, its generic records
 * shuffled between them (the serializer's Avro path: schema defined per stream, decoded in
 * another JVM), and specific records coming back as their class there.
 */
class AvroAcrossJvmsTest {
  @TempDir Path tmp;

  @Test
  @Timeout(180)
  void genericAndSpecificRecordsReadAndShuffledAcrossExecutorJvms() throws IOException {
    List<GenericRecord> users = Users.users(30_000);
    Path file = tmp.resolve("users.avro");
    Users.write(file.toFile(), Users.SCHEMA, users, 2048, CodecFactory.snappyCodec());
    long blockSize = Files.size(file) / 6 + 1;

    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,512]")
        .setAppName("avro-across-jvms")
        .set("weft.local.dir", tmp.resolve("local").toString())
        .set("weft.executor.registration.timeout", "60s")
        .set("weft.hadoop.fs.local.block.size", Long.toString(blockSize))
        .set("weft.hadoop.fs.file.impl.disable.cache", "true"))) {
      var generic = wc.avroFile(file.toString());
      assertTrue(generic.getNumPartitions() >= 6, "splits: " + generic.getNumPartitions());

      List<Pair<Integer, Long>> sums = generic
          .mapToPair(r -> Pair.of((Integer) r.get("age") % 11, r))
          .groupByKey(4)
          .mapValues(rs -> {
            long s = 0;
            for (GenericRecord r : rs) {
              s += (Long) r.get("id");
            }
            return s;
          })
          .collect();
      Map<Integer, Long> expected = users.stream().collect(Collectors.groupingBy(
          r -> (Integer) r.get("age") % 11, TreeMap::new, Collectors.summingLong(r -> (Long) r.get("id"))));
      assertEquals(expected, new TreeMap<>(sums.stream().collect(Collectors.toMap(Pair::key, Pair::value))));

      List<Pair<Integer, String>> classes = wc.avroFile(file.toString(), TestUser.class)
          .mapToPair(u -> Pair.of(u.age() % 3, u))
          .groupByKey(2)
          .mapValues(us -> us.iterator().next().getClass().getName())
          .collect();
      assertEquals(3, classes.size());
      classes.forEach(c -> assertEquals(TestUser.class.getName(), c.value()));
    }
  }
}
