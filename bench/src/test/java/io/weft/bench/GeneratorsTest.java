package io.weft.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The generators' promises, checked on 1 MB in memory: determinism, sizes, record formats, and
 * the untidy or skewed features the tests and benchmark rely on.
 */
class GeneratorsTest {
  private static final long SIZE = 1 << 20;

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
    for (DataGenerator g : List.of(new TextGenerator(3), new TeraGenGenerator(3), new JoinGenerator(3))) {
      TreeMap<String, byte[]> a = generate(g, 7);
      TreeMap<String, byte[]> b = generate(g, 7);
      TreeMap<String, byte[]> c = generate(g, 8);
      assertEquals(a.keySet(), b.keySet());
      a.forEach((name, bytes) -> assertArrayEquals(bytes, b.get(name), name));
      assertFalse(java.util.Arrays.equals(a.lastEntry().getValue(), c.lastEntry().getValue()),
          g.getClass().getSimpleName() + " ignores its seed");
    }
  }

  @Test
  void writesAtLeastTheTargetInTheRequestedFiles() throws IOException {
    TreeMap<String, byte[]> files = generate(new TextGenerator(3), 1);
    assertEquals(Set.of("part-00000", "part-00001", "part-00002"), files.keySet());
    long total = files.values().stream().mapToLong(b -> b.length).sum();
    assertTrue(total >= SIZE && total < SIZE + 3 * 200, "size " + total);
  }

  @Test
  void teraRecordsAreHundredBytesWithPrintableKeysAndUniqueRows() throws IOException {
    byte[] all = concat(generate(new TeraGenGenerator(2), 1));
    assertEquals(0, all.length % TeraGenGenerator.RECORD_BYTES);
    Set<String> rows = new HashSet<>();
    for (int off = 0; off < all.length; off += TeraGenGenerator.RECORD_BYTES) {
      String line = new String(all, off, TeraGenGenerator.RECORD_BYTES - 1, StandardCharsets.US_ASCII);
      assertEquals('\n', all[off + TeraGenGenerator.RECORD_BYTES - 1]);
      assertFalse(line.contains("\n") || line.contains("\t"), line);
      for (char ch : line.substring(0, TeraGenGenerator.KEY_LENGTH).toCharArray()) {
        assertTrue(ch > ' ' && ch <= '~', "key char " + (int) ch);
      }
      assertTrue(rows.add(line.substring(11, 31)), "row number repeated: " + line);
    }
  }

  @Test
  void textHasEmptyLinesAndUntidyWhiteSpace() throws IOException {
    String text = new String(concat(generate(new TextGenerator(1), 1)), StandardCharsets.US_ASCII);
    List<String> lines = text.lines().toList();
    assertTrue(lines.stream().anyMatch(String::isEmpty), "empty lines");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(" ") || l.startsWith("\t")), "leading white space");
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(" ") || l.endsWith("\t")), "trailing white space");
    assertTrue(lines.stream().anyMatch(l -> l.contains("  ") || l.contains("\t")), "runs of white space");
    assertTrue(text.contains(" " + TextGenerator.vocabulary(1).get(100) + " "), "the grep word occurs");
  }

  @Test
  void joinHasUniqueUsersFewDozenCountriesAndAboutTwoPercentUnknownUsers() throws IOException {
    TreeMap<String, byte[]> files = generate(new JoinGenerator(2), 1);
    Set<String> users = new HashSet<>();
    Set<String> countries = new HashSet<>();
    for (String line : text(files.get("users/part-00000")).lines().toList()) {
      String[] f = line.split("\t", -1);
      assertEquals(3, f.length, line);
      assertTrue(users.add(f[0]), "user twice: " + f[0]);
      countries.add(f[1]);
    }
    assertTrue(countries.size() > 24 && countries.size() <= JoinGenerator.COUNTRY_COUNT, countries.toString());
    long events = 0;
    long unknown = 0;
    for (String name : List.of("events/part-00000", "events/part-00001")) {
      for (String line : text(files.get(name)).lines().toList()) {
        String[] f = line.split("\t", -1);
        long amount = Long.parseLong(f[2]);
        assertTrue(amount >= 1 && amount <= 1000, line);
        events++;
        unknown += users.contains(f[0]) ? 0 : 1;
      }
    }
    double share = unknown / (double) events;
    assertTrue(share > 0.01 && share < 0.03, "unknown-user share " + share);
  }

  private static TreeMap<String, byte[]> generate(DataGenerator g, long seed) throws IOException {
    TreeMap<String, byte[]> files = new TreeMap<>();
    g.generate(name -> new ByteArrayOutputStream() {
      @Override
      public void close() throws IOException {
        files.put(name, toByteArray());
      }
    }, SIZE, seed);
    return files;
  }

  private static byte[] concat(TreeMap<String, byte[]> files) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    files.values().forEach(all::writeBytes);
    return all.toByteArray();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
