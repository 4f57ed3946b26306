package io.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a task sends back to the driver goes through the data serializer, as shuffles do: records
 * of a class that is not {@code Serializable} and Avro records can be collected, taken, reduced
 * and looked up, nulls included, in executor JVMs too. Each result is compared with the same
 * values computed here in plain Java.
 */
@Timeout(180)
class CollectUserTypesTest {
  /** Not {@code java.io.Serializable}: Java serialization refuses it, Kryo does not mind. */
  record Reading(String sensor, int value) {}

  private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"label\",\"type\":\"string\"}]}";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"local[2]", "local-cluster[2,1,256]"})
  void recordsThatOnlyTheDataSerializerCanWriteComeBackToTheDriver(String master) {
    List<Reading> expected = IntStream.range(0, 100).mapToObj(i -> new Reading("s" + (i % 7), i)).toList();
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster(master).setAppName("collect-types")
        .set("weft.local.dir", dir.toString()).set("weft.executor.registration.timeout", "60s"))) {
      var readings = wc.parallelize(IntStream.range(0, 100).boxed().toList(), 4)
          .map(i -> new Reading("s" + (i % 7), i));

      assertEquals(expected, readings.collect());
      assertEquals(expected.subList(0, 3), readings.take(3));
      assertEquals(expected.get(0), readings.first());
      Reading max = readings.reduce((a, b) -> a.value() >= b.value() ? a : b);
      assertEquals(expected.stream().max(Comparator.comparingInt(Reading::value)).orElseThrow(), max);

      PairDataset<String, Reading> bySensor = readings.mapToPair(r -> Pair.of(r.sensor(), r))
          .partitionBy(new HashPartitioner(3));
      List<Reading> s3 = new ArrayList<>(bySensor.lookup("s3"));
      s3.sort(Comparator.comparingInt(Reading::value));
      assertEquals(expected.stream().filter(r -> r.sensor().equals("s3")).toList(), s3);

      List<GenericRecord> avro = wc.parallelize(List.of(1, 2, 3), 2).map(i -> {
        GenericRecord r = new GenericData.Record(new Schema.Parser().parse(SCHEMA));
        r.put("id", i);
        r.put("label", "n" + i);
        return r;
      }).collect();
      assertEquals(List.of(1, 2, 3), avro.stream().map(r -> (Integer) r.get("id")).toList());
      assertEquals(List.of("n1", "n2", "n3"), avro.stream().map(r -> r.get("label").toString()).toList());

      List<String> withNulls = Arrays.asList("a", null, "b", null);
      assertEquals(withNulls, wc.parallelize(withNulls, 2).collect());
    }
  }
}
