package io.weft.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A deterministic generator of benchmark input: the same size, seed and file count always give
 * the same bytes, so a benchmark can reuse its inputs and a test can regenerate them.
 *
 * <p>Implementations draw from one {@link java.util.SplittableRandom} per file, split in file
 * order from the seed, so the content of a file does not depend on how fast others were written.
 */
public interface DataGenerator {
  /** Above this size per file, the default file count grows: big inputs come in several files. */
  long DEFAULT_FILE_BYTES = 128L << 20;

  /**
   * Writes at least {@code targetBytes} (overshooting by less than one record per file) through
   * {@code out}, as files named {@code part-NNNNN} (or under sub-directories, see each
   * generator), and returns the number of bytes written.
   */
  long generate(OutputFactory out, long targetBytes, long seed) throws IOException;

  /** {@link #generate(OutputFactory, long, long)} into a local directory. */
  default long generate(Path dir, long targetBytes, long seed) throws IOException {
    return generate(OutputFactory.localDir(dir), targetBytes, seed);
  }

  /** The file count used when none is given: one per {@link #DEFAULT_FILE_BYTES}, 1 to 64. */
  static int defaultFileCount(long targetBytes) {
    return (int) Math.max(1, Math.min(64, (targetBytes + DEFAULT_FILE_BYTES - 1) / DEFAULT_FILE_BYTES));
  }

  /** The name of the {@code index}-th output file: {@code part-00000}, as Weft and Hadoop name them. */
  static String partName(int index) {
    return String.format("part-%05d", index);
  }
}
