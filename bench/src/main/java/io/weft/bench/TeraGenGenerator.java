package io.weft.bench;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * TeraSort-like records for Sort: each is {@value #RECORD_BYTES} bytes, a line of 99 characters
 * and {@code '\n'}:
 *
 * <pre>
 * KKKKKKKKKK 00000000000000000042 ABCDEFGH...   (key, row number, filler)
 * </pre>
 *
 * <p>The key is 10 random printable ASCII characters from {@code '!'} to {@code '~'} (no space,
 * tab or newline, so it survives any line or field splitting); keys may repeat, which Sort must
 * handle. The 20-digit row number is unique across all files, which makes every line distinct
 * and lets a test see a lost or duplicated record. The filler pads to the fixed width.
 */
public final class TeraGenGenerator implements DataGenerator {
  public static final int RECORD_BYTES = 100;
  public static final int KEY_LENGTH = 10;
  private static final int ROW_DIGITS = 20;
  private static final int FILLER_LENGTH = RECORD_BYTES - KEY_LENGTH - 1 - ROW_DIGITS - 1 - 1;

  private final int files;

  /** As many files as {@link DataGenerator#defaultFileCount} says for the size. */
  public TeraGenGenerator() {
    this(0);
  }

  /** Exactly {@code files} files; 0 for the default count. */
  public TeraGenGenerator(int files) {
    if (files < 0) {
      throw new IllegalArgumentException("files must be >= 0, got " + files);
    }
    this.files = files;
  }

  @Override
  public long generate(OutputFactory out, long targetBytes, long seed) throws IOException {
    long rows = (targetBytes + RECORD_BYTES - 1) / RECORD_BYTES;
    int fileCount = files > 0 ? files : DataGenerator.defaultFileCount(targetBytes);
    SplittableRandom root = new SplittableRandom(seed);
    byte[] record = new byte[RECORD_BYTES];
    long row = 0;
    long total = 0;
    for (int f = 0; f < fileCount; f++) {
      long fileRows = rows / fileCount + (f < rows % fileCount ? 1 : 0);
      SplittableRandom random = root.split();
      try (AsciiWriter w = new AsciiWriter(out.create(DataGenerator.partName(f)))) {
        for (long i = 0; i < fileRows; i++, row++) {
          fill(record, random, row);
          w.write(record);
        }
        total += w.written();
      }
    }
    return total;
  }

  private static void fill(byte[] record, SplittableRandom random, long row) {
    int p = 0;
    for (int i = 0; i < KEY_LENGTH; i++) {
      record[p++] = (byte) ('!' + random.nextInt('~' - '!' + 1));
    }
    record[p++] = ' ';
    long n = row;
    for (int i = ROW_DIGITS - 1; i >= 0; i--) {
      record[p + i] = (byte) ('0' + n % 10);
      n /= 10;
    }
    p += ROW_DIGITS;
    record[p++] = ' ';
    // TeraGen-style filler: runs of one letter, shifted by the row so lines differ.
    for (int i = 0; i < FILLER_LENGTH; i++) {
      record[p++] = (byte) ('A' + (int) ((row + i / 4) % 26));
    }
    record[p] = '\n';
  }
}
