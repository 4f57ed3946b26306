package io.weft.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Text for WordCount and Grep: lines of lower-case words drawn from a Zipf-distributed
 * vocabulary of {@value #VOCABULARY_SIZE} distinct words (a few very common, a long tail of
 * rare ones, as in natural text). White space is deliberately untidy, because that is what
 * word splitting gets wrong: about 3% of lines are empty, some start or end with spaces or tabs,
 * and some words are separated by several spaces or a tab. Only {@code ' '}, {@code '\t'} and
 * {@code '\n'} appear as white space.
 *
 * <p>The vocabulary depends only on the seed ({@link #vocabulary(long)}), so a test or the
 * benchmark can pick a word to grep for that is known to occur.
 */
public final class TextGenerator implements DataGenerator {
  public static final int VOCABULARY_SIZE = 5000;
  private static final int MAX_WORDS_PER_LINE = 18;
  private static final byte[] SPACE = {' '};
  private static final byte[][] ODD_GAPS = {
      " ".getBytes(StandardCharsets.US_ASCII), "  ".getBytes(StandardCharsets.US_ASCII),
      "\t".getBytes(StandardCharsets.US_ASCII), " \t ".getBytes(StandardCharsets.US_ASCII),
      "   ".getBytes(StandardCharsets.US_ASCII), "\t\t".getBytes(StandardCharsets.US_ASCII)};

  private final int files;

  /** As many files as {@link DataGenerator#defaultFileCount} says for the size. */
  public TextGenerator() {
    this(0);
  }

  /** Exactly {@code files} files; 0 for the default count. */
  public TextGenerator(int files) {
    if (files < 0) {
      throw new IllegalArgumentException("files must be >= 0, got " + files);
    }
    this.files = files;
  }

  /**
   * The vocabulary of {@code seed}, most frequent word first: distinct words of 2 to 12
   * letters {@code a-z}.
   */
  public static List<String> vocabulary(long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_7E47L);
    Set<String> words = new LinkedHashSet<>();
    StringBuilder sb = new StringBuilder();
    while (words.size() < VOCABULARY_SIZE) {
      sb.setLength(0);
      // Two dice: lengths cluster around 7, like English.
      int length = 2 + random.nextInt(6) + random.nextInt(6);
      for (int i = 0; i < length; i++) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      words.add(sb.toString());
    }
    return Collections.unmodifiableList(new ArrayList<>(words));
  }

  @Override
  public long generate(OutputFactory out, long targetBytes, long seed) throws IOException {
    List<String> vocabulary = vocabulary(seed);
    byte[][] words = new byte[vocabulary.size()][];
    for (int i = 0; i < words.length; i++) {
      words[i] = vocabulary.get(i).getBytes(StandardCharsets.US_ASCII);
    }
    ZipfSampler zipf = new ZipfSampler(words.length, 1.0);
    int fileCount = files > 0 ? files : DataGenerator.defaultFileCount(targetBytes);
    SplittableRandom root = new SplittableRandom(seed);
    long total = 0;
    for (int f = 0; f < fileCount; f++) {
      long share = targetBytes / fileCount + (f < targetBytes % fileCount ? 1 : 0);
      SplittableRandom random = root.split();
      try (AsciiWriter w = new AsciiWriter(out.create(DataGenerator.partName(f)))) {
        while (w.written() < share) {
          writeLine(w, random, words, zipf);
        }
        total += w.written();
      }
    }
    return total;
  }

  private static void writeLine(AsciiWriter w, SplittableRandom random, byte[][] words, ZipfSampler zipf)
      throws IOException {
    int shape = random.nextInt(100);
    if (shape < 3) {
      w.write((byte) '\n');
      return;
    }
    if (shape < 8) {
      w.write(ODD_GAPS[random.nextInt(ODD_GAPS.length)]);
    }
    int n = 1 + random.nextInt(MAX_WORDS_PER_LINE);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        w.write(random.nextInt(20) == 0 ? ODD_GAPS[random.nextInt(ODD_GAPS.length)] : SPACE);
      }
      w.write(words[zipf.sample(random)]);
    }
    if (shape >= 95) {
      w.write(ODD_GAPS[random.nextInt(ODD_GAPS.length)]);
    }
    w.write((byte) '\n');
  }
}
