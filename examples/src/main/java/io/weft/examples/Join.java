package io.weft.examples;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;

/**
 * Joins events with users and sums event amounts per country.
 * EVENTS lines are {@code user_id<TAB>event_type<TAB>amount} (amount a whole number), USERS lines
 * {@code user_id<TAB>country<TAB>name}; OUT gets {@code country<TAB>sum} lines. Events of unknown
 * users are dropped (inner join).
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.Join examples.jar EVENTS USERS OUT</pre>
 */
public final class Join {
  private Join() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: Join <events> <users> <output>");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "join"))) {
      var amountByUser = wc.textFile(args[0]).mapToPair(line -> {
        String[] f = line.split("\t");
        return Pair.of(f[0], Long.parseLong(f[2]));
      });
      var countryByUser = wc.textFile(args[1]).mapToPair(line -> {
        String[] f = line.split("\t");
        return Pair.of(f[0], f[1]);
      });
      amountByUser.join(countryByUser)
          .mapToPair(joined -> Pair.of(joined.value().value(), joined.value().key()))
          .reduceByKey(Long::sum)
          .saveAsTextFile(args[2]);
    }
  }
}
