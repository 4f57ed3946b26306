package io.weft.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void typedEntriesParseUnitsAndFallBackToDefaults() {
    WeftConf conf = new WeftConf(false)
        .set("weft.locality.wait", "250ms")
        .set("weft.shuffle.memory", "3m");
    assertEquals(250L, conf.get(SchedulerOptions.LOCALITY_WAIT));
    assertEquals(3L << 20, conf.get(ShuffleOptions.MEMORY));
    assertEquals(4, conf.get(SchedulerOptions.TASK_MAX_FAILURES));
    assertNull(conf.get(CoreOptions.DEFAULT_PARALLELISM));
    assertEquals(2L * 60_000, Sizes.parseDurationMs("2min"));
    assertEquals(3_000L, Sizes.parseDurationMs("3s"));
    assertEquals(1L << 30, Sizes.parseBytes("1g"));
  }

  @Test
  void badValueNamesTheKeyAndTheValue() {
    WeftConf conf = new WeftConf(false).set("weft.task.maxFailures", "zero");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, conf::validate);
    assertTrue(e.getMessage().contains("weft.task.maxFailures"), e.getMessage());
    assertTrue(e.getMessage().contains("zero"), e.getMessage());
    WeftConf negative = new WeftConf(false).set("weft.shuffle.memoryFraction", "1.5");
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, negative::validate);
    assertTrue(e2.getMessage().contains("between 0 and 1"), e2.getMessage());
  }

  @Test
  void systemPropertiesAreLoadedAndCodeOverridesThem() {
    System.setProperty("weft.app.name", "from-sysprops");
    try {
      assertEquals("from-sysprops", new WeftConf().appName());
      assertEquals("from-code", new WeftConf().setAppName("from-code").appName());
      assertEquals("weft-app", new WeftConf(false).appName());
    } finally {
      System.clearProperty("weft.app.name");
    }
  }

  @Test
  void serializerClassIsConfigurable() {
    assertEquals(io.weft.serialization.JavaSerializer.class, io.weft.serialization.Serializers.fromConf(
        new WeftConf(false).set("weft.serializer", "io.weft.serialization.JavaSerializer")).getClass());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        io.weft.serialization.Serializers.fromConf(new WeftConf(false).set("weft.serializer", "no.Such")));
    assertTrue(e.getMessage().contains("weft.serializer=no.Such"), e.getMessage());
  }
}
