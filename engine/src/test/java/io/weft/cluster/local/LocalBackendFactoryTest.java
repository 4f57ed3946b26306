package io.weft.cluster.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.WeftContext;
import org.junit.jupiter.api.Test;

class LocalBackendFactoryTest {
  private final LocalBackendFactory factory = new LocalBackendFactory();

  @Test
  void acceptsLocalMastersOnly() {
    assertTrue(factory.accepts("local"));
    assertTrue(factory.accepts("local[4]"));
    assertTrue(factory.accepts("local[*]"));
    assertFalse(factory.accepts("yarn"));
    assertFalse(factory.accepts("local[two]"));
  }

  @Test
  void slotCountComesFromTheMaster() {
    assertEquals(1, LocalBackendFactory.slots("local"));
    assertEquals(3, LocalBackendFactory.slots("local[3]"));
    assertEquals(Runtime.getRuntime().availableProcessors(), LocalBackendFactory.slots("local[*]"));
    assertThrows(IllegalArgumentException.class, () -> LocalBackendFactory.slots("local[0]"));
  }

  @Test
  void unknownMasterFailsNamingTheSetting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WeftContext.create(new WeftConf(false).setMaster("mesos://x")));
    assertTrue(e.getMessage().contains("weft.master=mesos://x"), e.getMessage());
  }

  @Test
  void defaultParallelismIsTheSlotCount() {
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[3]"))) {
      assertEquals(3, wc.defaultParallelism());
      assertEquals(3, wc.parallelize(java.util.List.of(1, 2, 3, 4)).getNumPartitions());
    }
  }
}
