package io.weft.yarn.client;

import io.weft.config.ConfigEntry;
import io.weft.config.ConfigRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * "Did you mean": the closest known option or setting to a mistyped one, by edit distance
 * (insertions, deletions, substitutions and swaps of neighbours each count 1), and warnings for
 * settings Weft will ignore: unknown {@code weft.*} keys and Spark's keys, naming Weft's
 * equivalent when there is one. Stateless.
 */
final class Suggestions {
  private Suggestions() {}

  /** Spark settings a Spark user is likely to pass, and the Weft setting that does the same. */
  static final Map<String, String> SPARK_EQUIVALENTS = Map.ofEntries(
      Map.entry("spark.master", "weft.master"),
      Map.entry("spark.app.name", "weft.app.name"),
      Map.entry("spark.executor.memory", "weft.executor.memory"),
      Map.entry("spark.executor.memoryOverhead", "weft.executor.memoryOverhead"),
      Map.entry("spark.executor.cores", "weft.executor.cores"),
      Map.entry("spark.executor.instances", "weft.executor.instances"),
      Map.entry("spark.executor.extraJavaOptions", "weft.executor.extraJavaOptions"),
      Map.entry("spark.driver.memory", "weft.am.memory"),
      Map.entry("spark.driver.cores", "weft.am.cores"),
      Map.entry("spark.driver.extraJavaOptions", "weft.am.extraJavaOptions"),
      Map.entry("spark.yarn.am.memory", "weft.am.memory"),
      Map.entry("spark.yarn.queue", "weft.yarn.queue"),
      Map.entry("spark.yarn.archive", "weft.yarn.archive"),
      Map.entry("spark.yarn.maxAppAttempts", "weft.yarn.maxAppAttempts"),
      Map.entry("spark.yarn.tags", "weft.yarn.tags"),
      Map.entry("spark.yarn.preserve.staging.files", "weft.yarn.preserveStagingFiles"),
      Map.entry("spark.yarn.submit.waitAppCompletion", "weft.yarn.submit.waitAppCompletion"),
      Map.entry("spark.yarn.max.executor.failures", "weft.yarn.maxExecutorFailures"),
      Map.entry("spark.task.maxFailures", "weft.task.maxFailures"),
      Map.entry("spark.locality.wait", "weft.locality.wait"),
      Map.entry("spark.local.dir", "weft.local.dir"),
      Map.entry("spark.scheduler.minRegisteredResourcesRatio", "weft.scheduler.minRegisteredResourcesRatio"),
      Map.entry("spark.scheduler.maxRegisteredResourcesWaitingTime", "weft.scheduler.maxRegisteredResourcesWaitingTime"));

  /** The candidate closest to {@code input}, if it is close enough to be a typo of it. */
  static Optional<String> closest(String input, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(input.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    // a third of the word may be wrong, at least 2 characters: "memroy", "--exector-memory"
    return best != null && bestDistance <= Math.max(2, input.length() / 3) ? Optional.of(best) : Optional.empty();
  }

  /** {@code "; did you mean X?"}, or empty. */
  static String didYouMean(String input, Collection<String> candidates) {
    return closest(input, candidates).map(c -> "; did you mean " + c + "?").orElse("");
  }

  /** Edit distance with swaps of adjacent characters (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** Every declared Weft setting's key. */
  static Set<String> knownKeys() {
    Set<String> keys = new TreeSet<>();
    for (ConfigEntry<?> e : ConfigRegistry.all()) {
      keys.add(e.key());
    }
    return keys;
  }

  /**
   * One warning per setting of {@code keys} that Weft ignores: a {@code weft.*} key it does not
   * know (with the closest known key), a {@code spark.*} key (with Weft's equivalent, if any).
   */
  static List<String> ignoredSettings(Collection<String> keys, Set<String> known) {
    List<String> warnings = new ArrayList<>();
    for (String key : keys) {
      if (key.startsWith("weft.") && !key.startsWith("weft.hadoop.") && !known.contains(key)) {
        warnings.add("unknown setting " + key + " (ignored)" + didYouMean(key, known));
      } else if (key.startsWith("spark.")) {
        String weft = SPARK_EQUIVALENTS.get(key);
        warnings.add(key + " is a Spark setting, ignored by Weft"
            + (weft != null ? "; use " + weft + " instead" : ""));
      }
    }
    return warnings;
  }
}
