package io.weft.examples;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Converts an Avro dataset of orders into a Parquet table of per-country totals: keeps the paid
 * orders, then sums their amounts per country.
 *
 * <p>Input: Avro data files (a file, a directory or a glob) whose records have at least
 * {@code country} (string), {@code status} (string) and {@code amount} (long); other fields are
 * skipped, since the files are read with the reader schema {@link #ORDER}. Output: Parquet files
 * with records {@code country, orders, total} (schema {@link #TOTAL}), one row per country that
 * has a paid order.
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.AvroToParquet examples.jar IN OUT</pre>
 */
public final class AvroToParquet {
  /** The reader schema: only the fields this job needs (Avro schema resolution drops the rest). */
  public static final Schema ORDER = SchemaBuilder.record("Order").namespace("io.weft.examples").fields()
      .requiredString("country")
      .requiredString("status")
      .requiredLong("amount")
      .endRecord();

  /** The output rows. */
  public static final Schema TOTAL = SchemaBuilder.record("CountryTotal").namespace("io.weft.examples").fields()
      .requiredString("country")
      .requiredLong("orders")
      .requiredLong("total")
      .endRecord();

  private AvroToParquet() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("Usage: AvroToParquet <avro input> <parquet output>");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "avro-to-parquet"))) {
      wc.avroFile(args[0], ORDER)
          .filter(order -> "PAID".equals(order.get("status").toString()))
          // keys and values are plain Java values: the shuffle moves strings and longs
          .mapToPair(order -> Pair.of(order.get("country").toString(), Pair.of(1L, (Long) order.get("amount"))))
          .reduceByKey((a, b) -> Pair.of(a.key() + b.key(), a.value() + b.value()))
          .map(AvroToParquet::total)
          .saveAsParquetFile(args[1], TOTAL);
    }
  }

  private static GenericRecord total(Pair<String, Pair<Long, Long>> countryTotals) {
    GenericRecord row = new GenericData.Record(TOTAL);
    row.put("country", countryTotals.key());
    row.put("orders", countryTotals.value().key());
    row.put("total", countryTotals.value().value());
    return row;
  }
}
