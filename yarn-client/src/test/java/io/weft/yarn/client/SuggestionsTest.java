package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.config.ConfigRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  @Test
  void editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
    assertEquals(0, Suggestions.distance("memory", "memory"));
    assertEquals(1, Suggestions.distance("memroy", "memory"), "a swap of neighbours is one edit");
    assertEquals(1, Suggestions.distance("exector", "executor"));
    assertEquals(2, Suggestions.distance("kitten", "sittin"));
    assertEquals(3, Suggestions.distance("", "abc"));
  }

  @Test
  void closestIsOnlyOfferedWhenItLooksLikeATypo() {
    List<String> keys = List.of("weft.executor.memory", "weft.executor.cores", "weft.am.memory");
    assertEquals(Optional.of("weft.executor.memory"), Suggestions.closest("weft.executor.memroy", keys));
    assertEquals(Optional.of("weft.am.memory"), Suggestions.closest("weft.am.memry", keys));
    assertEquals(Optional.empty(), Suggestions.closest("weft.shuffle.compress", keys));
  }

  @Test
  void unknownWeftKeysAndSparkKeysAreWarnedAboutWithWhatToUseInstead() {
    Set<String> known = Suggestions.knownKeys();
    List<String> warnings = Suggestions.ignoredSettings(List.of("weft.executor.memroy", "weft.executor.memory",
        "spark.executor.memory", "spark.sql.shuffle.partitions", "weft.hadoop.fs.defaultFS", "other.key"), known);
    assertEquals(List.of(
        "unknown setting weft.executor.memroy (ignored); did you mean weft.executor.memory?",
        "spark.executor.memory is a Spark setting, ignored by Weft; use weft.executor.memory instead",
        "spark.sql.shuffle.partitions is a Spark setting, ignored by Weft"), warnings);
  }

  @Test
  void everySparkEquivalentIsARealWeftSetting() {
    for (String weft : Suggestions.SPARK_EQUIVALENTS.values()) {
      assertTrue(ConfigRegistry.isKnown(weft), weft + " is not a declared setting");
    }
  }
}
