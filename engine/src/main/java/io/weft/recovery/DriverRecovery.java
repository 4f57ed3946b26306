package io.weft.recovery;

import io.weft.WeftConf;
import io.weft.config.FaultToleranceOptions;
import io.weft.plan.Node;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a driver knows about earlier ApplicationMaster attempts of its application, and where it
 * journals for later ones. {@link #NONE} outside YARN (no {@code weft.recovery.journalDir}).
 *
 * <p>Outputs ({@link #beforeSave}, {@link #outputSetUp}, {@link #outputCommitted}): a save whose
 * lineage fingerprint and path match an earlier attempt's committed record, and whose directory
 * still holds {@code _SUCCESS}, is recovered, not rewritten; a save whose earlier attempt set up
 * the output directory (creating it) but never committed finds that directory deleted, so it can
 * run again. A committed output whose fingerprint does not match is left alone: the save then
 * fails as on any existing directory, never mixing or overwriting two computations.
 *
 * <p>Map stages: {@link #mapOutputs()} (see {@link MapOutputRecovery}).
 *
 * <p>Threading: the output methods run on the thread that saves (the user's driver thread);
 * journal appends are synchronized. The earlier records are read once, at construction.
 */
public class DriverRecovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriverRecovery.class);

  /** No journal and nothing to recover. */
  public static final DriverRecovery NONE = new DriverRecovery(1, null, List.of(), new Configuration(false));

  private final int attempt;
  private final Journal journal;
  private final List<JournalRecord> earlier;
  private final Configuration hadoopConf;
  private final MapOutputRecovery mapOutputs;
  /** By node identity (Node keeps Object's equals); weak, so finished datasets can go. */
  private final Map<Node<?>, Optional<String>> fingerprints = new WeakHashMap<>();

  DriverRecovery(int attempt, Journal journal, List<JournalRecord> earlier, Configuration hadoopConf) {
    this.attempt = attempt;
    this.journal = journal;
    this.earlier = List.copyOf(earlier);
    this.hadoopConf = hadoopConf;
    this.mapOutputs = new MapOutputRecovery(this.earlier, this::append, hadoopConf);
  }

  /**
   * The recovery of a driver started with {@code conf}: {@link #NONE} without
   * {@code weft.recovery.journalDir}; otherwise the earlier attempts' records and a new journal
   * for this attempt. A journal that cannot be read or created is logged and costs only
   * recomputation.
   */
  public static DriverRecovery fromConf(WeftConf conf, Configuration hadoopConf) {
    String dir = conf.get(FaultToleranceOptions.RECOVERY_JOURNAL_DIR);
    if (dir == null || dir.isBlank()) {
      return NONE;
    }
    int attempt = conf.get(FaultToleranceOptions.RECOVERY_ATTEMPT);
    Path journalDir = new Path(dir);
    List<JournalRecord> earlier = List.of();
    try {
      earlier = Journal.readEarlier(hadoopConf, journalDir, attempt);
    } catch (IOException e) {
      LOG.warn("Cannot read the journals of earlier attempts in {}: {}; recomputing everything", dir, e.toString());
    }
    Journal journal = null;
    try {
      journal = Journal.create(hadoopConf, journalDir, attempt);
    } catch (IOException e) {
      LOG.warn("Cannot create the recovery journal in {}: {}; a later attempt recomputes everything", dir, e.toString());
    }
    if (attempt > 1) {
      LOG.info("Attempt {}: {} journal records of earlier attempts", attempt, earlier.size());
    }
    return new DriverRecovery(attempt, journal, earlier, hadoopConf);
  }

  public int attempt() {
    return attempt;
  }

  /** The records earlier attempts journaled, in order. */
  public List<JournalRecord> earlierRecords() {
    return earlier;
  }

  /**
   * Map stages' journal and recovery; null when there is neither a journal nor an earlier record
   * (local mode, {@link #NONE}), so a driver that cannot use them pays nothing per stage.
   */
  public MapOutputRecovery mapOutputs() {
    return journal == null && earlier.isEmpty() ? null : mapOutputs;
  }

  /** Journals that job {@code jobId} was submitted. */
  public void jobSubmitted(int jobId, Node<?> node) {
    if (journal != null) {
      append(new JournalRecord(JournalRecord.JOB_SUBMITTED, fingerprint(node).orElse("-"),
          List.of(Integer.toString(jobId), node.toString())));
    }
  }

  /** Whether a save of {@code node} to {@code out} (qualified) is already done: see the class doc. */
  public boolean beforeSave(Path out, Node<?> node) {
    if (earlier.isEmpty()) {
      return false;
    }
    Optional<String> fp = fingerprint(node);
    String path = out.toString();
    try {
      FileSystem fs = out.getFileSystem(hadoopConf);
      boolean committed = earlier.stream().anyMatch(r -> r.kind().equals(JournalRecord.OUTPUT_COMMITTED)
          && out.equals(new Path(r.field(0))) && fp.isPresent() && r.fingerprint().equals(fp.get()));
      if (committed && fs.exists(new Path(out, FileOutputCommitter.SUCCEEDED_FILE_NAME))) {
        LOG.info("Recovered output {}: committed by an earlier attempt with the same lineage; not rewritten", path);
        return true;
      }
      boolean leftOver = earlier.stream().anyMatch(r -> r.kind().equals(JournalRecord.OUTPUT_SETUP)
          && out.equals(new Path(r.field(0))) && Boolean.parseBoolean(r.field(1)));
      boolean everCommitted = earlier.stream().anyMatch(r -> r.kind().equals(JournalRecord.OUTPUT_COMMITTED)
          && out.equals(new Path(r.field(0))));
      if (leftOver && !everCommitted && fs.exists(out)
          && !fs.exists(new Path(out, FileOutputCommitter.SUCCEEDED_FILE_NAME))) {
        LOG.info("Deleting {}: an earlier attempt created it and never committed it", path);
        fs.delete(out, true);
      }
    } catch (IOException e) {
      LOG.warn("Cannot check {} against the journal: {}; saving it as if new", path, e.toString());
    }
    return false;
  }

  /** Journals, before the directory is set up, that this attempt sets up {@code out}. */
  public void outputSetUp(Path out, boolean createsDir) {
    if (journal != null) {
      append(new JournalRecord(JournalRecord.OUTPUT_SETUP, "-", List.of(out.toString(), Boolean.toString(createsDir))));
    }
  }

  /** Journals that the save of {@code node} to {@code out} committed {@code parts} partitions. */
  public void outputCommitted(Path out, Node<?> node, int parts) {
    if (journal != null) {
      append(new JournalRecord(JournalRecord.OUTPUT_COMMITTED, fingerprint(node).orElse("-"),
          List.of(out.toString(), Integer.toString(parts))));
    }
  }

  /**
   * The node's fingerprint, computed once per node of this driver (a save asks up to three times:
   * before it runs, when its job is submitted, when it commits; a large parallelized collection
   * is serialized each time otherwise).
   */
  private Optional<String> fingerprint(Node<?> node) {
    synchronized (fingerprints) {
      return fingerprints.computeIfAbsent(node, n -> LineageFingerprint.of(n, hadoopConf));
    }
  }

  void append(JournalRecord r) {
    if (journal != null) {
      journal.append(r);
    }
  }

  @Override
  public void close() {
    mapOutputs.close(); // a stage finished just before the end is journaled too
    if (journal != null) {
      journal.close();
    }
  }
}
