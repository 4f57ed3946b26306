package io.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.shuffle.IndexShuffleBlockResolver.BlockSegment;
import io.weft.shuffle.IndexShuffleBlockResolver.ShuffleIndexException;
import io.weft.storage.LocalDirs;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader and writer of shuffle index files, and its per-executor cache. */
class IndexShuffleBlockResolverTest {
  @TempDir Path tmp;
  private LocalDirs dirs;
  private IndexShuffleBlockResolver resolver;

  @BeforeEach
  void setUp() {
    dirs = new LocalDirs(tmp.resolve("exec"));
    resolver = new IndexShuffleBlockResolver(dirs, 1 << 20);
  }

  /** Commits a map output whose blocks are {@code lengths} bytes of the block's index. */
  private long[] commit(int shuffleId, int mapIndex, long... lengths) throws IOException {
    File data = dirs.tempFile("data");
    try (RandomAccessFile f = new RandomAccessFile(data, "rw")) {
      for (int r = 0; r < lengths.length; r++) {
        for (long i = 0; i < lengths[r]; i++) {
          f.write(r);
        }
      }
    }
    return resolver.commit(shuffleId, mapIndex, data, lengths);
  }

  @Test
  void committedBlocksAreFoundWhereTheyWereWritten() throws IOException {
    assertArrayEquals(new long[] {3, 0, 5}, commit(1, 0, 3, 0, 5));
    assertEquals(new BlockSegment(resolver.dataFile(1, 0), 0, 3), resolver.blockSegment(1, 0, 0));
    assertEquals(new BlockSegment(resolver.dataFile(1, 0), 3, 0), resolver.blockSegment(1, 0, 1));
    BlockSegment last = resolver.blockSegment(1, 0, 2);
    assertEquals(new BlockSegment(resolver.dataFile(1, 0), 3, 5), last);
    byte[] bytes = Files.readAllBytes(last.file().toPath());
    assertEquals(2, bytes[(int) last.offset()], "block 2's bytes");
    assertEquals(0, dirs.tempFileCount(), "temporary data and index files are gone");
  }

  @Test
  void anIndexIsReadOncePerExecutorNotOncePerBlock() throws IOException {
    for (int m = 0; m < 4; m++) {
      commit(2, m, 1, 2, 3, 4, 5, 6, 7, 8);
    }
    for (int round = 0; round < 10; round++) {
      for (int m = 0; m < 4; m++) {
        for (int r = 0; r < 8; r++) {
          assertEquals(r + 1, resolver.blockSegment(2, m, r).length());
        }
      }
    }
    assertEquals(4, resolver.indexFileReads(), "one read per map output for 320 look-ups");
    assertEquals(4, resolver.cachedIndexes());
  }

  @Test
  void removingAShuffleDropsItsCachedIndexesAndFilesButNoOthers() throws IOException {
    commit(3, 0, 1, 1);
    commit(4, 0, 2, 2);
    resolver.blockSegment(3, 0, 0);
    resolver.blockSegment(4, 0, 0);
    assertEquals(2, resolver.cachedIndexes());
    resolver.removeShuffle(3);
    assertEquals(1, resolver.cachedIndexes());
    assertFalse(resolver.indexFile(3, 0).exists());
    assertFalse(resolver.dataFile(3, 0).exists());
    assertThrows(ShuffleIndexException.class, () -> resolver.blockSegment(3, 0, 0), "not served from the cache");
    assertEquals(2, resolver.blockSegment(4, 0, 1).length());
  }

  @Test
  void theCacheStaysWithinItsBoundByDroppingTheLeastRecentlyUsed() throws IOException {
    // each index of 1,001 offsets weighs about 8 KB: room for two
    resolver.setCacheBytes(20_000);
    long[] lengths = new long[1000];
    for (int m = 0; m < 3; m++) {
      commit(5, m, lengths);
    }
    resolver.blockSegment(5, 0, 0);
    resolver.blockSegment(5, 1, 0);
    resolver.blockSegment(5, 0, 1); // 0 is now the most recent
    resolver.blockSegment(5, 2, 0); // evicts 1
    assertEquals(2, resolver.cachedIndexes());
    long reads = resolver.indexFileReads();
    resolver.blockSegment(5, 0, 2);
    assertEquals(reads, resolver.indexFileReads(), "map 0 still cached");
    resolver.blockSegment(5, 1, 2);
    assertEquals(reads + 1, resolver.indexFileReads(), "map 1 was evicted and is read again");
    resolver.setCacheBytes(0);
    assertEquals(0, resolver.cachedIndexes());
  }

  @Test
  void aSecondCommitKeepsTheFirstAndACommitAfterALossReplacesTheCachedIndex() throws IOException {
    commit(6, 0, 4, 4);
    assertEquals(4, resolver.blockSegment(6, 0, 1).length());
    assertArrayEquals(new long[] {4, 4}, commit(6, 0, 1, 1), "the complete first output is kept");
    assertEquals(4, resolver.blockSegment(6, 0, 1).length());
    // the output is lost (its files deleted) and the map task re-run: readers must see the new index
    assertTrue(resolver.dataFile(6, 0).delete());
    assertArrayEquals(new long[] {1, 2}, commit(6, 0, 1, 2));
    assertEquals(2, resolver.blockSegment(6, 0, 1).length());
  }

  /** Commits a map output of blocks of {@code lengths} bytes, every byte {@code fill}. */
  private long[] commitFilled(int shuffleId, int mapIndex, int fill, long... lengths) throws IOException {
    File data = dirs.tempFile("data");
    long total = 0;
    for (long l : lengths) {
      total += l;
    }
    byte[] bytes = new byte[(int) total];
    java.util.Arrays.fill(bytes, (byte) fill);
    Files.write(data.toPath(), bytes);
    return resolver.commit(shuffleId, mapIndex, data, lengths);
  }

  /** The bytes block {@code reduceId} of a map output is served from. */
  private byte[] served(int shuffleId, int mapIndex, int reduceId) throws IOException {
    BlockSegment s = resolver.blockSegment(shuffleId, mapIndex, reduceId);
    byte[] all = Files.readAllBytes(s.file().toPath());
    return java.util.Arrays.copyOfRange(all, (int) s.offset(), (int) (s.offset() + s.length()));
  }

  @Test
  void inANewEpochACommitReplacesAnOutputOfTheOldOneWhichIsServedUntilThen() throws IOException {
    commitFilled(8, 0, 'a', 3, 2);
    commitFilled(8, 1, 'x', 1, 1);
    resolver.newEpoch(); // a new driver: the old outputs stay, for it may adopt them
    assertArrayEquals("aaa".getBytes(), served(8, 0, 0), "an adopted output is served without a commit");
    // the new driver recomputes map 0 (its input changed): same lengths, different bytes
    assertArrayEquals(new long[] {3, 2}, commitFilled(8, 0, 'b', 3, 2));
    assertArrayEquals("bbb".getBytes(), served(8, 0, 0), "the new epoch's output replaced the old one");
    assertArrayEquals("bb".getBytes(), served(8, 0, 1));
    // a duplicate attempt in the same epoch still keeps the first commit of that epoch
    assertArrayEquals(new long[] {3, 2}, commitFilled(8, 0, 'c', 1, 4), "the epoch's first output is kept");
    assertArrayEquals("bbb".getBytes(), served(8, 0, 0));
    assertArrayEquals("x".getBytes(), served(8, 1, 0), "map 1, not recomputed, is untouched");
  }

  @Test
  void withinOneEpochADuplicateWithTheSameLengthsButOtherBytesIsDropped() throws IOException {
    commitFilled(9, 0, 'a', 2);
    assertArrayEquals(new long[] {2}, commitFilled(9, 0, 'b', 2));
    assertArrayEquals("aa".getBytes(), served(9, 0, 0));
    // a removed shuffle forgets its epoch's commits: the id may come back as a new shuffle
    resolver.removeShuffle(9);
    commitFilled(9, 0, 'c', 2);
    assertArrayEquals("cc".getBytes(), served(9, 0, 0));
  }

  @Test
  void badFilesAreErrorsNamingTheFile() throws IOException {
    ShuffleIndexException missing = assertThrows(ShuffleIndexException.class, () -> resolver.blockSegment(7, 0, 0));
    assertTrue(missing.getMessage().contains(resolver.indexFile(7, 0).getPath()), missing.getMessage());

    commit(7, 1, 10, 10);
    ShuffleIndexException beyond = assertThrows(ShuffleIndexException.class, () -> resolver.blockSegment(7, 1, 2));
    assertTrue(beyond.getMessage().contains("too short for reduce partition 2"), beyond.getMessage());

    commit(7, 2, 10, 10);
    try (RandomAccessFile f = new RandomAccessFile(resolver.dataFile(7, 2), "rw")) {
      f.setLength(15);
    }
    assertEquals(10, resolver.blockSegment(7, 2, 0).length(), "a block before the cut is still whole");
    ShuffleIndexException cut = assertThrows(ShuffleIndexException.class, () -> resolver.blockSegment(7, 2, 1));
    assertTrue(cut.getMessage().contains("has 15 bytes, index says at least 20"), cut.getMessage());

    commit(7, 3, 10, 10);
    try (RandomAccessFile f = new RandomAccessFile(resolver.indexFile(7, 3), "rw")) {
      f.seek(8);
      f.writeLong(25); // offsets 0, 25, 20: decreasing
    }
    ShuffleIndexException corrupt = assertThrows(ShuffleIndexException.class, () -> resolver.blockSegment(7, 3, 0));
    assertTrue(corrupt.getMessage().contains("corrupt index file " + resolver.indexFile(7, 3)), corrupt.getMessage());
  }
}
