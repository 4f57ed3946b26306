package io.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code bin/weft bench}'s command line: {@code --only} picks examples by their job names. */
class BenchmarkOptionsTest {

  @Test
  void onlyNamesTheExamplesToTimeAndDefaultsToAllFour() {
    assertEquals(Set.of("wordcount", "sort", "join", "grep"), BenchmarkOptions.parse(List.of()).only());
    BenchmarkOptions o = BenchmarkOptions.parse(List.of("--only", "Grep, wordcount", "--compare", "plain"));
    assertEquals(Set.of("grep", "wordcount"), o.only());
    assertEquals(List.of(Engine.WEFT, Engine.PLAIN), o.engines());
  }

  @Test
  void onlyRejectsAnUnknownExampleNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchmarkOptions.parse(List.of("--only", "grep,pagerank")));
    assertTrue(e.getMessage().contains("pagerank"), e.getMessage());
  }
}
