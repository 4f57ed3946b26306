package io.weft.shuffle;

import io.weft.storage.LocalDirs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that knows the shuffle file format of an executor (as Spark's
 * {@code IndexShuffleBlockResolver}): map output M of shuffle S is a data file holding every
 * reduce block one after the other and an index file of R+1 big-endian longs, the offset of each
 * block and the total length, so block r is bytes [index[r], index[r+1]) of the data file.
 *
 * <p>Writers commit through {@link #commit}; readers ({@code LocalShuffleBlockFetcher} for blocks
 * on this executor, {@code BlockFetchHandler} for other executors' requests) find a block with
 * {@link #blockSegment}. A parsed index is kept in a small cache bounded in bytes
 * ({@code weft.shuffle.indexCache.size}), so an index file is read once per executor rather than
 * once per reduce task: with 20,000 map outputs and 5,000 reducers that is the difference between
 * 20,000 and up to 100 million file opens. Entries go when their shuffle is removed
 * ({@link #removeShuffle}) or their output is committed again. The bound may change while the
 * resolver is in use ({@link #setCacheBytes}): an executor in its own JVM creates the resolver
 * before its block server starts and learns the application's settings only at registration.
 *
 * <p>Epochs: an executor that outlives its driver (ExecutorProcess, on an ApplicationMaster
 * restart) keeps its shuffle files, and the next driver reuses the same shuffle ids. An output
 * written for the old driver is served as it is if the new driver adopts it (it then commits
 * nothing), but when the new driver recomputes the map task its output must win: the inputs may
 * have changed. So a commit keeps an existing output only if it was committed in the current
 * epoch ({@link #newEpoch}, one per driver connection); an older one is replaced.
 *
 * <p>Failure handling: a missing, short or corrupt index, or a block beyond the end of its data
 * file, is a {@link ShuffleIndexException} naming the file; a bad index is not cached.
 *
 * <p>Thread-safe: task threads and Netty threads call it at once. The cache is guarded by its own
 * lock, held only to look up or insert (an index is read outside it; two threads missing the same
 * entry both read it, which is harmless). Commits are serialized by one lock per resolver.
 */
public final class IndexShuffleBlockResolver {
  private static final Logger LOG = LoggerFactory.getLogger(IndexShuffleBlockResolver.class);

  private final LocalDirs dirs;
  /** Parsed indexes by {@link #key}, least recently used first; guarded by itself. */
  private final LinkedHashMap<Long, ParsedIndex> offsets = new LinkedHashMap<>(16, 0.75f, true);
  private long cachedBytes;
  private long cacheBytes;
  private final AtomicLong indexFileReads = new AtomicLong();
  private final Object commitLock = new Object();
  /** The {@link #key}s of the outputs committed in the current epoch; guarded by {@link #commitLock}. */
  private final Set<Long> committedThisEpoch = new HashSet<>();

  /** @param cacheBytes the most parsed index bytes kept in memory ({@code weft.shuffle.indexCache.size}) */
  public IndexShuffleBlockResolver(LocalDirs dirs, long cacheBytes) {
    this.dirs = dirs;
    this.cacheBytes = cacheBytes;
  }

  /**
   * Starts a new epoch (a new driver): outputs committed before it are still served, but a commit
   * of the same map output after it replaces them instead of being dropped in their favour.
   */
  public void newEpoch() {
    synchronized (commitLock) {
      committedThisEpoch.clear();
    }
  }

  /** Changes the cache's bound, dropping least recently used indexes beyond it. */
  public void setCacheBytes(long bytes) {
    synchronized (offsets) {
      cacheBytes = bytes;
      evict();
    }
  }

  /** An index file's offsets and the length its data file had when the index was read. */
  private record ParsedIndex(long[] offsets, long dataLength) {}

  /** Where one block is: a range of a data file. */
  public record BlockSegment(File file, long offset, long length) {}

  /** A block cannot be found or its files are inconsistent; the message names the file. */
  public static final class ShuffleIndexException extends RuntimeException {
    ShuffleIndexException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public File dataFile(int shuffleId, int mapIndex) {
    return dirs.shuffleDataFile(shuffleId, mapIndex);
  }

  public File indexFile(int shuffleId, int mapIndex) {
    return dirs.shuffleIndexFile(shuffleId, mapIndex);
  }

  /** Index files parsed so far (each miss of the cache reads one); tests count them. */
  public long indexFileReads() {
    return indexFileReads.get();
  }

  /** Block {@code reduceId} of map output {@code mapIndex} of shuffle {@code shuffleId}. */
  public BlockSegment blockSegment(int shuffleId, int mapIndex, int reduceId) {
    ParsedIndex parsed = offsets(shuffleId, mapIndex);
    long[] index = parsed.offsets();
    if (reduceId < 0 || reduceId + 1 >= index.length) {
      throw new ShuffleIndexException("index file " + indexFile(shuffleId, mapIndex) + " has "
          + (index.length * 8L) + " bytes, too short for reduce partition " + reduceId, null);
    }
    File data = dataFile(shuffleId, mapIndex);
    long end = index[reduceId + 1];
    if (parsed.dataLength() < end) {
      // a truncated file fails only the blocks it cut, as a reader of the bytes would
      throw new ShuffleIndexException("data file " + data + (parsed.dataLength() > 0 || data.exists()
          ? " has " + parsed.dataLength() + " bytes, index says at least " + end : " is missing"), null);
    }
    return new BlockSegment(data, index[reduceId], end - index[reduceId]);
  }

  /**
   * Commits a map output whose blocks, of {@code lengths}, are in {@code tmpData}: writes the index
   * and renames both files into place, index last, so a reader that finds the index finds the
   * matching data. If a complete, consistent output of the same map task is already there and was
   * committed in the current epoch (a retried or duplicate attempt won), it is kept and this
   * attempt's data dropped; its lengths are returned. One from an earlier epoch (an earlier
   * driver) is replaced. Returns the lengths of the committed output.
   */
  public long[] commit(int shuffleId, int mapIndex, File tmpData, long[] lengths) {
    File data = dataFile(shuffleId, mapIndex);
    File index = indexFile(shuffleId, mapIndex);
    File tmpIndex = dirs.tempFile("shuffle_" + shuffleId + "_" + mapIndex + ".index");
    try {
      writeIndex(tmpIndex, lengths);
      synchronized (commitLock) {
        long key = key(shuffleId, mapIndex);
        long[] existing = committedThisEpoch.contains(key) ? validLengths(index, data, lengths.length) : null;
        if (existing != null) {
          LOG.info("map output {} already committed by another attempt; keeping it", data.getName());
          return existing;
        }
        try {
          Files.move(tmpData.toPath(), data.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          Files.move(tmpIndex.toPath(), index.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot commit shuffle output " + data, e);
        }
        committedThisEpoch.add(key);
        forget(key);
        return lengths;
      }
    } finally {
      if (tmpIndex.exists() && !tmpIndex.delete()) {
        LOG.warn("could not delete temporary shuffle index {}", tmpIndex);
      }
    }
  }

  /** Forgets the cached indexes of a shuffle and deletes its files. */
  public void removeShuffle(int shuffleId) {
    synchronized (commitLock) {
      committedThisEpoch.removeIf(k -> (int) (k >>> 32) == shuffleId);
    }
    synchronized (offsets) {
      for (Iterator<Map.Entry<Long, ParsedIndex>> it = offsets.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Long, ParsedIndex> e = it.next();
        if ((int) (e.getKey() >>> 32) == shuffleId) {
          cachedBytes -= weight(e.getValue());
          it.remove();
        }
      }
    }
    dirs.removeShuffle(shuffleId);
  }

  /** Indexes in the cache now; tests check it empties. */
  public int cachedIndexes() {
    synchronized (offsets) {
      return offsets.size();
    }
  }

  private ParsedIndex offsets(int shuffleId, int mapIndex) {
    long key = key(shuffleId, mapIndex);
    synchronized (offsets) {
      ParsedIndex cached = offsets.get(key);
      if (cached != null) {
        return cached;
      }
    }
    ParsedIndex read = readIndex(shuffleId, mapIndex);
    synchronized (offsets) {
      ParsedIndex previous = offsets.put(key, read);
      cachedBytes += weight(read) - (previous == null ? 0 : weight(previous));
      evict();
    }
    return read;
  }

  private void forget(long key) {
    synchronized (offsets) {
      ParsedIndex previous = offsets.remove(key);
      if (previous != null) {
        cachedBytes -= weight(previous);
      }
    }
  }

  /** Drops least recently used entries until the cache fits; caller holds the cache's lock. */
  private void evict() {
    for (Iterator<ParsedIndex> it = offsets.values().iterator(); cachedBytes > cacheBytes && it.hasNext(); ) {
      cachedBytes -= weight(it.next());
      it.remove();
    }
  }

  private static long weight(ParsedIndex index) {
    return 96 + 8L * index.offsets().length;
  }

  /** Reads and checks a whole index: starts at 0 and never decreases. */
  private ParsedIndex readIndex(int shuffleId, int mapIndex) {
    File index = indexFile(shuffleId, mapIndex);
    File data = dataFile(shuffleId, mapIndex);
    indexFileReads.incrementAndGet();
    long[] result;
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(index)))) {
      long length = index.length();
      if (length < 16 || length % 8 != 0) {
        throw new ShuffleIndexException("index file " + index + " has " + length + " bytes, not 8 per offset", null);
      }
      result = new long[(int) (length / 8)];
      for (int i = 0; i < result.length; i++) {
        result[i] = in.readLong();
        if ((i == 0 && result[0] != 0) || (i > 0 && result[i] < result[i - 1])) {
          throw new ShuffleIndexException("corrupt index file " + index, null);
        }
      }
    } catch (IOException e) {
      throw new ShuffleIndexException("cannot read index file " + index + ": " + e, e);
    }
    return new ParsedIndex(result, data.length()); // 0 when missing
  }

  private static long key(int shuffleId, int mapIndex) {
    return ((long) shuffleId << 32) | (mapIndex & 0xFFFFFFFFL);
  }

  private static void writeIndex(File file, long[] lengths) {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(file)))) {
      long offset = 0;
      out.writeLong(0);
      for (long length : lengths) {
        offset += length;
        out.writeLong(offset);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write shuffle index " + file, e);
    }
  }

  /** The block lengths of an existing output if its index and data agree, else null. */
  static long[] validLengths(File index, File data, int numPartitions) {
    if (!index.isFile() || !data.isFile() || index.length() != (numPartitions + 1L) * 8) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(index)))) {
      long[] lengths = new long[numPartitions];
      long offset = in.readLong();
      if (offset != 0) {
        return null;
      }
      for (int r = 0; r < numPartitions; r++) {
        long next = in.readLong();
        if (next < offset) {
          return null;
        }
        lengths[r] = next - offset;
        offset = next;
      }
      return offset == data.length() ? lengths : null;
    } catch (IOException e) {
      return null; // unreadable: treat as absent and overwrite
    }
  }
}
