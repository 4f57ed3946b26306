package io.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code bin/weft bench --compare} relies on: the output check tells equal outputs from
 * different ones whatever their split into part files and order, and the plain single-threaded
 * floor computes what Weft's examples compute, on the benchmark's own generated inputs.
 */
class CompareEnginesTest {
  @TempDir
  Path dir;

  @Test
  void outputDigestIgnoresSplitAndOrderButNotContent() throws IOException {
    OutputDigest one = digest("a", List.of("x\t1", "y\t2", "z\t3"));
    OutputDigest split = digest("b", List.of("z\t3"), List.of("y\t2", "x\t1"));
    OutputDigest changed = digest("c", List.of("x\t1", "y\t2", "z\t4"));
    OutputDigest swapped = digest("d", List.of("x\t2", "y\t1", "z\t3"));
    OutputDigest lost = digest("e", List.of("x\t1", "y\t2"));
    assertTrue(one.sameRecords(split));
    assertFalse(one.sameRecords(changed));
    assertFalse(one.sameRecords(swapped));
    assertFalse(one.sameRecords(lost));
    assertEquals(3, one.lines());
  }

  @Test
  void sortednessIsCheckedByKeyAcrossPartFiles() throws IOException {
    assertTrue(digest("s1", List.of("aaaaaaaaaa 2", "aaaaaaaaaa 1"), List.of("bbbbbbbbbb 0")).sortedByKey(),
        "equal keys may come in any order");
    assertFalse(digest("s2", List.of("bbbbbbbbbb 0"), List.of("aaaaaaaaaa 1")).sortedByKey());
  }

  @Test
  @Timeout(120)
  void plainJobsWriteWhatWeftsExamplesWrite() throws Exception {
    BenchmarkInputs inputs =
        BenchmarkInputs.prepare(dir.resolve("in"), 1 << 20, 5, new PrintStream(OutputStream.nullOutputStream()));
    String before = System.getProperty("weft.master");
    System.setProperty("weft.master", "local[2]");
    try {
      for (Workload w : Workload.all(inputs)) {
        Path weftOut = dir.resolve("weft-" + w.job());
        Path plainOut = dir.resolve("plain-" + w.job());
        Method main = Class.forName(w.mainClass()).getMethod("main", String[].class);
        main.invoke(null, (Object) w.appArgs(weftOut).toArray(new String[0]));
        List<String> plainArgs = new java.util.ArrayList<>(List.of(w.job()));
        plainArgs.addAll(w.appArgs(plainOut));
        PlainJobs.main(plainArgs.toArray(new String[0]));
        OutputDigest weft = OutputDigest.of(weftOut);
        OutputDigest plain = OutputDigest.of(plainOut);
        assertNotEquals(0, weft.lines(), w.name());
        assertTrue(weft.sameRecords(plain), w.name() + ": Weft " + weft + ", plain " + plain);
        if (w.sorted()) {
          assertTrue(weft.sortedByKey() && plain.sortedByKey(), w.name() + " output not sorted");
        }
      }
    } finally {
      if (before == null) {
        System.clearProperty("weft.master");
      } else {
        System.setProperty("weft.master", before);
      }
    }
  }

  @SafeVarargs
  private OutputDigest digest(String name, List<String>... parts) throws IOException {
    Path out = Files.createDirectories(dir.resolve(name));
    for (int i = 0; i < parts.length; i++) {
      Files.write(out.resolve(String.format("part-%05d", i)), parts[i]);
    }
    Files.writeString(out.resolve("_SUCCESS"), "");
    return OutputDigest.of(out);
  }
}
