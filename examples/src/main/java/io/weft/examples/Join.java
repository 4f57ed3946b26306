package io.weft.examples;

import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;

/**
 * Joins events with users and sums event amounts per country.
 * EVENTS lines are {@code user_id<TAB>event_type<TAB>amount} (amount a whole number), USERS lines
 * {@code user_id<TAB>country<TAB>name}; OUT gets {@code country<TAB>sum} lines. Events of unknown
 * users are dropped (inner join). When USERS is under {@code weft.join.broadcastThreshold} the
 * join is a broadcast hash join (no shuffle of the events); {@code --explain} first prints the
 * physical plan, with the strategy chosen and why, before running.
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.Join examples.jar [--explain] EVENTS USERS OUT</pre>
 */
public final class Join {
  private Join() {}

  public static void main(String[] args) {
    boolean explain = ExplainFlag.requested(args);
    args = ExplainFlag.strip(args);
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: Join [--explain] <events> <users> <output>");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "join"))) {
      PairDataset<String, Long> sums = sumsByCountry(wc, args[0], args[1]);
      if (explain) {
        sums.printExplain();
      }
      sums.saveAsTextFile(args[2]);
    }
  }

  /** The amount sums per country, as the job computes them. */
  public static PairDataset<String, Long> sumsByCountry(WeftContext wc, String events, String users) {
    var amountByUser = wc.textFile(events).mapToPair(line -> {
      String[] f = line.split("\t");
      return Pair.of(f[0], Long.parseLong(f[2]));
    });
    var countryByUser = wc.textFile(users).mapToPair(line -> {
      String[] f = line.split("\t");
      return Pair.of(f[0], f[1]);
    });
    return amountByUser.join(countryByUser)
        .mapToPair(joined -> Pair.of(joined.value().value(), joined.value().key()))
        .reduceByKey(Long::sum);
  }
}
