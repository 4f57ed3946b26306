package io.weft.it.apps;

import io.weft.Dataset;
import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A Weft program keyed by values whose {@code hashCode} differs in every JVM: an enum, a record
 * holding it and a {@link Pair} holding it. Each of {@link #PARTITIONS} map partitions holds
 * every key, so every executor writes every key; a key grouped by JVM would come out once per
 * executor. Writes {@code OUT/enum} (sum per color), {@code OUT/record} (sum per shipment) and
 * {@code OUT/pair} (values per (color, parity)) as {@code key<TAB>number} lines.
 * Arguments: OUT.
 */
public final class EnumKeys {
  public static final int PARTITIONS = 8;
  private static final int PER_PARTITION = 5_000;

  private EnumKeys() {}

  public enum Color { RED, ORANGE, YELLOW, GREEN, BLUE, INDIGO, VIOLET, BLACK }

  public record Shipment(Color color, int size) implements Serializable {}

  /** The records of map partition {@code p}: the same wherever they are generated. */
  public static List<Pair<Color, Long>> records(int p) {
    Random r = new Random(1_000L + p);
    List<Pair<Color, Long>> out = new ArrayList<>(PER_PARTITION);
    for (int i = 0; i < PER_PARTITION; i++) {
      out.add(Pair.of(Color.values()[r.nextInt(Color.values().length)], (long) r.nextInt(100)));
    }
    return out;
  }

  public static Shipment shipment(Pair<Color, Long> record) {
    return new Shipment(record.key(), (int) (record.value() % 3));
  }

  public static Pair<Color, String> parity(Pair<Color, Long> record) {
    return Pair.of(record.key(), record.value() % 2 == 0 ? "even" : "odd");
  }

  public static void main(String[] args) {
    String out = args[0];
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      List<Integer> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(p);
      }
      Dataset<Pair<Color, Long>> records = wc.parallelize(partitions, PARTITIONS)
          .flatMap(p -> records(p).iterator());
      records.mapToPair(r -> r).reduceByKey(Long::sum, 5).saveAsTextFile(out + "/enum");
      records.mapToPair(r -> Pair.of(shipment(r), r.value())).reduceByKey(Long::sum, 5)
          .saveAsTextFile(out + "/record");
      records.mapToPair(r -> Pair.of(parity(r), r.value())).groupByKey(5)
          .mapValues(EnumKeys::count).saveAsTextFile(out + "/pair");
    }
  }

  private static long count(Iterable<Long> values) {
    long n = 0;
    for (Iterator<Long> it = values.iterator(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }
}
