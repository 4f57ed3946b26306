package io.weft.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PeakRss} reports a run's JVM whether the script that starts it {@code exec}s it (the usual
 * {@code bin/weft submit}) or runs it as a child (a build's first submission, which writes the
 * client's CDS archive as the JVM exits): the latter once reported the shell's 3.3 MiB.
 */
class PeakRssTest {
  private static final int HELD_MIB = 96;

  @Test
  @Timeout(60)
  void seesTheJvmAScriptRunsAsItsChild() throws Exception {
    // "; true" keeps bash from exec-ing its last command: the JVM stays its child
    long peak = peakOf("\"$0\" -Xmx256m -cp \"$1\" \"$2\" " + HELD_MIB + "; true");
    assertHeld(peak);
  }

  @Test
  @Timeout(60)
  void seesTheJvmAScriptExecs() throws Exception {
    long peak = peakOf("exec \"$0\" -Xmx256m -cp \"$1\" \"$2\" " + HELD_MIB);
    assertHeld(peak);
  }

  private static void assertHeld(long peak) {
    // the JVM's own mark: the array plus the JVM, and not the sum of several processes' marks
    assertTrue(peak >= HELD_MIB << 20, "peak " + peak + " bytes, expected at least " + HELD_MIB + " MiB");
    assertTrue(peak < (HELD_MIB + 400L) << 20, "peak " + peak + " bytes is more than one JVM holding " + HELD_MIB + " MiB");
  }

  /** Runs {@code script} in bash with java, the test class path and {@link Hold} as $0, $1 and $2; returns PeakRss's peak. */
  private static long peakOf(String script) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "VmHWM needs Linux's /proc");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of("bash", "-c", script, java, System.getProperty("java.class.path"), Hold.class.getName()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    PeakRss rss = PeakRss.watch(process);
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertTrue("ready".equals(line), "the child said " + line);
      // the child holds its memory until its stdin closes: wait until a sample has seen it
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (rss.peakSoFar() < HELD_MIB << 20 && System.nanoTime() < deadline) {
        Thread.sleep(5); // a bounded poll of the sampler's published peak, the event itself
      }
      process.getOutputStream().close();
      assertTrue(process.waitFor() == 0, "child exit " + process.exitValue());
    }
    return rss.peakBytes();
  }

  /** A child JVM that touches {@code args[0]} MiB, says "ready", and holds it until stdin closes. */
  public static final class Hold {
    public static void main(String[] args) throws IOException {
      byte[] held = new byte[Integer.parseInt(args[0]) << 20];
      for (int i = 0; i < held.length; i += 4096) {
        held[i] = 1;
      }
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold until the test closes stdin
      }
      System.out.println(held[held.length - 4096] == 1 ? "" : "lost");
    }
  }
}
