package io.weft.recovery;

import io.weft.cluster.ExecutorInfo;
import io.weft.plan.ShuffleDependency;
import io.weft.scheduler.MapStatus;
import io.weft.shuffle.MapOutputLocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finished shuffle map stages across ApplicationMaster attempts: the scheduler journals every map
 * stage whose outputs all registered ({@link #mapStageFinished}), and before a later attempt runs
 * a map stage it asks {@link #recover} whether that stage's outputs are still there.
 *
 * <p>The decision ({@link #decide}): an earlier attempt's {@link JournalRecord#MAP_STAGE_FINISHED}
 * record applies only if its lineage fingerprint equals the stage's (same plan, functions, inputs,
 * partitioner) and its shuffle id is the stage's (block ids name the shuffle), and every one of
 * its map outputs is on an executor registered now at the same host and block-server port (an
 * executor of the earlier attempt that reconnected; executor ids are reused by a new attempt, so
 * the id alone proves nothing). All or nothing: a stage is never half taken from the journal and
 * half recomputed, so its outputs always come from one computation.
 *
 * <p>Threading: both methods are called on the scheduler's event thread; fingerprinting a finished
 * stage (which may stat input files) and the journal write happen on a daemon thread of this
 * class so the event loop never waits on HDFS. {@link #recover} fingerprints on the event thread,
 * only when an earlier attempt journaled a map stage.
 */
public final class MapOutputRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(MapOutputRecovery.class);
  private static final ObjectInputFilter STATUS_CLASSES = ObjectInputFilter.Config.createFilter(
      "io.weft.scheduler.*;io.weft.shuffle.MapOutputLocation;java.lang.*;java.util.*;!*");

  private final List<JournalRecord> earlierStages;
  private final Consumer<JournalRecord> journal;
  private final Configuration hadoopConf;
  private ExecutorService writer;

  MapOutputRecovery(List<JournalRecord> earlier, Consumer<JournalRecord> journal, Configuration hadoopConf) {
    this.earlierStages = earlier.stream().filter(r -> r.kind().equals(JournalRecord.MAP_STAGE_FINISHED)).toList();
    this.journal = journal;
    this.hadoopConf = hadoopConf;
  }

  /**
   * A recovery deciding from {@code earlier} (an earlier attempt's records) and journaling to
   * {@code journal}; {@link DriverRecovery} makes the driver's, tests their own.
   */
  public static MapOutputRecovery of(List<JournalRecord> earlier, Consumer<JournalRecord> journal,
      Configuration hadoopConf) {
    return new MapOutputRecovery(earlier, journal, hadoopConf);
  }

  /** Waits (bounded) until every finished stage handed to {@link #mapStageFinished} is journaled. */
  public void flush() {
    ExecutorService w;
    synchronized (this) {
      w = writer;
    }
    if (w == null) {
      return;
    }
    try {
      w.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Journaling finished map stages did not finish: {}", e.toString());
    }
  }

  /** Journals what was handed over (bounded, as {@link #flush}), then stops the journal thread. */
  public void close() {
    flush();
    synchronized (this) {
      if (writer != null) {
        writer.shutdownNow();
      }
    }
  }

  /** Journals that every map output of {@code dep} is registered, at {@code statuses}. */
  public void mapStageFinished(ShuffleDependency<?, ?, ?> dep, MapStatus[] statuses) {
    MapStatus[] copy = statuses.clone();
    synchronized (this) {
      if (writer != null && writer.isShutdown()) {
        return; // the context is closing: nothing more is journaled
      }
      if (writer == null) {
        writer = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "weft-journal");
          t.setDaemon(true);
          return t;
        });
      }
      writer.execute(() -> LineageFingerprint.ofShuffle(dep, hadoopConf).ifPresent(fp ->
          journal.accept(record(fp, dep.shuffleId(), copy))));
    }
  }

  /**
   * The map outputs of {@code dep} an earlier attempt finished and {@code live} executors still
   * serve, or empty (then the stage runs).
   */
  public Optional<MapStatus[]> recover(ShuffleDependency<?, ?, ?> dep, Collection<ExecutorInfo> live) {
    if (earlierStages.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> fp = LineageFingerprint.ofShuffle(dep, hadoopConf);
    if (fp.isEmpty()) {
      return Optional.empty();
    }
    Optional<MapStatus[]> found = decide(earlierStages, fp.get(), dep.shuffleId(), live);
    if (found.isPresent()) {
      LOG.info("Recovered shuffle {}: its {} map outputs, finished by an earlier attempt, are on executors "
          + "that reconnected; not re-running its map stage", dep.shuffleId(), found.get().length);
    } else {
      LOG.info("Shuffle {}: no map outputs of an earlier attempt to recover (no matching journal record, "
          + "or their executors are gone); computing it", dep.shuffleId());
    }
    return found;
  }

  /** The pure decision; see the class doc. The last matching record wins (a re-run after a loss). */
  static Optional<MapStatus[]> decide(List<JournalRecord> records, String fingerprint, int shuffleId,
      Collection<ExecutorInfo> live) {
    for (int i = records.size() - 1; i >= 0; i--) {
      JournalRecord r = records.get(i);
      if (!r.kind().equals(JournalRecord.MAP_STAGE_FINISHED) || !r.fingerprint().equals(fingerprint)
          || Integer.parseInt(r.field(0)) != shuffleId) {
        continue;
      }
      MapStatus[] statuses;
      try {
        statuses = decodeStatuses(r.field(1));
      } catch (IllegalStateException e) {
        LOG.warn("{}; computing shuffle {}", e.getMessage(), shuffleId);
        return Optional.empty();
      }
      for (MapStatus s : statuses) {
        if (s == null || !servedBy(s.location(), live)) {
          return Optional.empty();
        }
      }
      return Optional.of(statuses);
    }
    return Optional.empty();
  }

  private static boolean servedBy(MapOutputLocation loc, Collection<ExecutorInfo> live) {
    return live.stream().anyMatch(e -> e.executorId().equals(loc.executorId()) && e.host().equals(loc.host())
        && e.blockServerPort() == loc.port());
  }

  static JournalRecord record(String fingerprint, int shuffleId, MapStatus[] statuses) {
    List<String> fields = new ArrayList<>();
    fields.add(Integer.toString(shuffleId));
    fields.add(encodeStatuses(statuses));
    return new JournalRecord(JournalRecord.MAP_STAGE_FINISHED, fingerprint, fields);
  }

  static String encodeStatuses(MapStatus[] statuses) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(buf)) {
      out.writeObject(statuses);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(buf.toByteArray());
  }

  static MapStatus[] decodeStatuses(String text) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
      in.setObjectInputFilter(STATUS_CLASSES);
      return (MapStatus[]) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new IllegalStateException("a map-stage-finished journal record does not decode: " + e, e);
    }
  }
}
