package io.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A program whose main is started directly (yarn jar, java -cp) with no weft.master: it must not
 * quietly run in local[*], but fail at WeftContext.create with the weft submit command to use.
 * (The same under Hadoop's RunJar, in a child JVM, is YarnJarIT's.)
 */
class NoMasterTest {
  /** A user's program as the README shows it: no master in code. */
  static final class UsersMain {
    static long counted = -1;

    public static void main(String[] args) {
      try (WeftContext wc = WeftContext.create(new WeftConf(false).setAppName("users-own"))) {
        counted = wc.parallelize(List.of(1, 2, 3), 1).count();
      }
    }
  }

  @Test
  void withoutAMasterCreateFailsNamingTheSubmitCommandInsteadOfRunningLocally() {
    assertNull(new WeftConf(false).master(), "weft.master has no default");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> UsersMain.main(new String[0]));
    assertTrue(e.getMessage().contains("No master is configured (weft.master)"), e.getMessage());
    assertTrue(e.getMessage().contains("bin/weft submit --master yarn --class " + UsersMain.class.getName() + " "),
        e.getMessage());
    assertTrue(e.getMessage().contains("--master local[N]"), e.getMessage());
    assertEquals(-1, UsersMain.counted, "nothing ran");
  }

  @Test
  void aMasterFromTheSystemPropertiesWeftSubmitSetsIsUsed() {
    String before = System.setProperty("weft.master", "local[1]");
    try (WeftContext wc = WeftContext.create(new WeftConf().setAppName("submitted"))) {
      assertEquals(3, wc.parallelize(List.of(1, 2, 3), 1).count());
      assertEquals("local[1]", wc.conf().master());
    } finally {
      if (before == null) {
        System.clearProperty("weft.master");
      } else {
        System.setProperty("weft.master", before);
      }
    }
  }
}
