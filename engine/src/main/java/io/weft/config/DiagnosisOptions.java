package io.weft.config;

import static io.weft.config.ConfigEntry.booleanConf;
import static io.weft.config.ConfigEntry.doubleConf;
import static io.weft.config.ConfigEntry.intConf;

/** Settings of the slow-stage diagnosis (see docs/DIAGNOSIS.md). */
public final class DiagnosisOptions {
  private DiagnosisOptions() {}

  public static final ConfigEntry<Boolean> ENABLED = booleanConf("weft.diagnosis.enabled")
      .doc("Diagnose each finished stage from its tasks' metrics (skew, stragglers, GC, shuffle fetch "
          + "wait, spill, locality misses): one line per finding in the driver's log at job end and a "
          + "StageDiagnosed listener event.")
      .defaultValue("true")
      .register();

  public static final ConfigEntry<Double> SKEW_RATIO = doubleConf("weft.diagnosis.skewRatio")
      .doc("A stage is skewed when its slowest task ran, or its largest task read, at least this many "
          + "times the median task's (and the excess is large enough to matter: 1 s, 10,000 records).")
      .defaultValue("3.0")
      .check(r -> r > 1, "greater than 1")
      .register();

  public static final ConfigEntry<Integer> SKETCH_KEYS = intConf("weft.diagnosis.sketch.keys")
      .doc("Keys each shuffle map task keeps in its heavy-hitters sketch (space-saving over a sample of "
          + "its records), from which a skewed partition's heaviest keys are named; 0 turns the sketch off.")
      .defaultValue("8")
      .check(n -> n >= 0 && n <= 64, "between 0 and 64")
      .register();
}
