package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.junit.jupiter.api.Test;

/** Ctrl-C while weft submit follows an application: say it keeps running, or kill it when asked. */
class InterruptNoticeTest {
  private static final ApplicationId APP = ApplicationId.newInstance(1_700_000_000_000L, 3);
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<ApplicationId> killed = new ArrayList<>();

  private InterruptNotice notice(boolean kill) {
    return new InterruptNotice(APP, kill, killed::add, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void byDefaultSaysTheApplicationKeepsRunningAndHowToKillIt() {
    notice(false).run();
    assertTrue(errText().contains(APP + " keeps running on YARN"), errText());
    assertTrue(errText().contains("weft kill " + APP), errText());
    assertTrue(errText().contains("--kill-on-interrupt"), errText());
    assertEquals(List.of(), killed);
    assertEquals(1, errText().lines().count(), "one line: " + errText());
  }

  @Test
  void killOnInterruptKillsTheApplication() {
    notice(true).run();
    assertEquals(List.of(APP), killed);
    assertTrue(errText().contains("killed " + APP), errText());
  }

  @Test
  void saysNothingOnceTheApplicationEnded() {
    InterruptNotice n = notice(true);
    n.close();
    n.run();
    assertEquals("", errText());
    assertEquals(List.of(), killed);
  }
}
