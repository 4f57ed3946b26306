package io.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.shuffle.fetch.ShuffleBlockFetcher;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which blocks FetchAhead has requested when, against a fetcher that records requests. */
class FetchAheadTest {
  private static final MapOutputLocation THERE = new MapOutputLocation("exec-2", "localhost", 1);

  /** Records each request (as "map/reduce") and each release. */
  private static final class RecordingFetcher implements ShuffleBlockFetcher {
    final List<String> requested = new ArrayList<>();
    final List<String> released = new ArrayList<>();

    @Override
    public InputStream open(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
      throw new AssertionError("blocks are requested, not opened");
    }

    @Override
    public PendingBlock request(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
      String name = mapIndex + "/" + reduceId;
      requested.add(name);
      return new PendingBlock() {
        @Override
        public InputStream await() {
          return new ByteArrayInputStream(name.getBytes());
        }

        @Override
        public void release() {
          released.add(name);
        }
      };
    }
  }

  /** Blocks of reduce partitions 0 and 1 of maps 0..3 with the given sizes (0 = no block). */
  private static ShuffleBlocks blocks(long[][] sizes) {
    ShuffleBlocks.Builder b = new ShuffleBlocks.Builder(5, new int[] {0, 1});
    for (int m = 0; m < sizes.length; m++) {
      for (int r = 0; r < 2; r++) {
        if (sizes[m][r] > 0) {
          b.add(m, r, THERE, sizes[m][r]);
        }
      }
    }
    return b.build();
  }

  private static String name(ShuffleBlocks blocks, FetchAhead.Next next) {
    return blocks.mapIndex(next.block()) + "/" + blocks.reduceId(next.block());
  }

  @Test
  void requestsAheadWithinTheByteBoundAndHandsBlocksOutInMapOrder() {
    // reduce 0: 20, 20, 20, 5 (MB); reduce 1 is another task's
    ShuffleBlocks blocks = blocks(new long[][] {{20, 1}, {20, 1}, {20, 0}, {5, 1}});
    RecordingFetcher fetcher = new RecordingFetcher();
    FetchAhead ahead = new FetchAhead(blocks, 0, 1, fetcher, 48, 100);
    assertTrue(fetcher.requested.isEmpty(), "nothing is requested before the first read");

    assertEquals("0/0", name(blocks, ahead.next()));
    assertEquals(List.of("0/0", "1/0", "2/0", "3/0"), fetcher.requested,
        "the first taken, 20 + 20 + 5 in flight");
    assertEquals(3, ahead.outstanding());
    assertEquals("1/0", name(blocks, ahead.next()));
    assertEquals("2/0", name(blocks, ahead.next()));
    assertEquals("3/0", name(blocks, ahead.next()));
    assertFalse(ahead.hasNext());
    assertTrue(fetcher.released.isEmpty());
  }

  @Test
  void aBlockLargerThanTheBoundIsRequestedAlone() {
    ShuffleBlocks blocks = blocks(new long[][] {{100, 0}, {100, 0}, {1, 0}});
    RecordingFetcher fetcher = new RecordingFetcher();
    FetchAhead ahead = new FetchAhead(blocks, 0, 2, fetcher, 48, 100);
    assertEquals("0/0", name(blocks, ahead.next()));
    assertEquals(List.of("0/0", "1/0"), fetcher.requested,
        "the next 100 is requested once the first is taken, however large, but not the 1 after it");
    assertEquals("1/0", name(blocks, ahead.next()));
    assertEquals(List.of("0/0", "1/0", "2/0"), fetcher.requested);
    assertEquals("2/0", name(blocks, ahead.next()));
  }

  @Test
  void theBlockCountBoundsTinyBlocksAndReleaseGivesUpTheRest() {
    long[][] sizes = new long[40][];
    for (int m = 0; m < sizes.length; m++) {
      sizes[m] = new long[] {1, 1};
    }
    ShuffleBlocks blocks = blocks(sizes);
    RecordingFetcher fetcher = new RecordingFetcher();
    FetchAhead ahead = new FetchAhead(blocks, 0, 2, fetcher, 1 << 20, 8);
    assertEquals("0/0", name(blocks, ahead.next()));
    assertEquals(9, fetcher.requested.size(), "the one taken and 8 in flight");
    assertEquals(8, ahead.outstanding());
    ahead.releaseAll();
    assertEquals(fetcher.requested.subList(1, 9), fetcher.released);
    assertFalse(ahead.hasNext() && ahead.outstanding() > 0);
  }

  @Test
  void onlyListedBlocksOfTheRangeAreRequested() {
    // empty blocks are not in ShuffleBlocks at all (see ShuffleReads.blocks): no request for them
    ShuffleBlocks blocks = blocks(new long[][] {{0, 3}, {4, 0}, {0, 0}, {0, 7}});
    RecordingFetcher fetcher = new RecordingFetcher();
    FetchAhead ahead = new FetchAhead(blocks, 1, 2, fetcher, 48, 100);
    List<String> read = new ArrayList<>();
    while (ahead.hasNext()) {
      read.add(name(blocks, ahead.next()));
    }
    assertEquals(List.of("0/1", "3/1"), read);
    assertEquals(List.of("0/1", "3/1"), fetcher.requested);
  }

  @Test
  void aRequestThatCannotBeSentFailsNamingItsBlockAndReleasesTheTakenOne() {
    ShuffleBlocks blocks = blocks(new long[][] {{10, 0}, {10, 0}});
    RecordingFetcher recording = new RecordingFetcher();
    ShuffleBlockFetcher unreachableForMap1 = new ShuffleBlockFetcher() {
      @Override
      public InputStream open(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
        throw new AssertionError("blocks are requested, not opened");
      }

      @Override
      public PendingBlock request(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
        if (mapIndex == 1) {
          throw new FetchFailedException(location.executorId(), shuffleId, mapIndex, reduceId, "connection refused", null);
        }
        return recording.request(location, shuffleId, mapIndex, reduceId);
      }
    };
    // 15 bytes: block 0 alone first, block 1 requested once block 0 is taken
    FetchAhead ahead = new FetchAhead(blocks, 0, 1, unreachableForMap1, 15, 100);
    FetchFailedException e = org.junit.jupiter.api.Assertions.assertThrows(FetchFailedException.class, ahead::next);
    assertEquals(1, e.mapIndex());
    assertEquals(List.of("0/0"), recording.released, "the taken block is given up, not leaked");
  }
}
