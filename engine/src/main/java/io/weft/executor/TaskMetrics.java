package io.weft.executor;

import java.io.Serializable;

/**
 * Counters of one task attempt, filled in by the task's own thread and sent back with its result.
 * The driver reports them to listeners (and, with the UI issue, the event log).
 */
public final class TaskMetrics implements Serializable {
  private long inputRecords;
  private long inputBytes;
  private long shuffleWriteRecords;
  private long shuffleWriteBytes;
  private long shuffleReadRecords;
  private long shuffleReadBytes;
  private long spillCount;
  private long spillBytes;
  private long runTimeMs;
  private long resultBytes;
  private long gcTimeMs;
  private long fetchWaitNanos;
  private long outputRecords;
  private long outputBytes;
  // for the slow-stage diagnosis (io.weft.diagnosis)
  /** Shuffles this task read, or null: which map stages' sketches name its heavy keys. */
  private java.util.TreeSet<Integer> shufflesRead;
  /** The heaviest keys this map task wrote, or null. */
  private io.weft.diagnosis.KeySketch.Result writtenKeys;

  public void addInput(long records, long bytes) {
    inputRecords += records;
    inputBytes += bytes;
  }

  public void addShuffleWrite(long records, long bytes) {
    shuffleWriteRecords += records;
    shuffleWriteBytes += bytes;
  }

  public void addShuffleRead(long records, long bytes) {
    shuffleReadRecords += records;
    shuffleReadBytes += bytes;
  }

  /** One sorted run of {@code bytes} bytes went to disk. */
  public void addSpill(long bytes) {
    spillCount++;
    spillBytes += bytes;
  }

  public void setRunTimeMs(long ms) {
    runTimeMs = ms;
  }

  public void setResultBytes(long bytes) {
    resultBytes = bytes;
  }

  /** Time the JVM spent in garbage collection while the task ran (JVM-wide, as Spark counts it). */
  public void setGcTimeMs(long ms) {
    gcTimeMs = ms;
  }

  /** Records and bytes the task wrote to its output (a file sink). */
  public void addOutput(long records, long bytes) {
    outputRecords += records;
    outputBytes += bytes;
  }

  public long gcTimeMs() {
    return gcTimeMs;
  }

  public long outputRecords() {
    return outputRecords;
  }

  public long outputBytes() {
    return outputBytes;
  }

  public long inputRecords() {
    return inputRecords;
  }

  public long inputBytes() {
    return inputBytes;
  }

  public long shuffleWriteRecords() {
    return shuffleWriteRecords;
  }

  public long shuffleWriteBytes() {
    return shuffleWriteBytes;
  }

  public long shuffleReadRecords() {
    return shuffleReadRecords;
  }

  public long shuffleReadBytes() {
    return shuffleReadBytes;
  }

  public long spillCount() {
    return spillCount;
  }

  public long spillBytes() {
    return spillBytes;
  }

  public long runTimeMs() {
    return runTimeMs;
  }

  public long resultBytes() {
    return resultBytes;
  }

  /** The task thread waited {@code nanos} for a shuffle block to arrive. */
  public void addFetchWaitNanos(long nanos) {
    fetchWaitNanos += nanos;
  }

  public long fetchWaitMs() {
    return fetchWaitNanos / 1_000_000;
  }

  public void addShuffleReadId(int shuffleId) {
    if (shufflesRead == null) {
      shufflesRead = new java.util.TreeSet<>();
    }
    shufflesRead.add(shuffleId);
  }

  /** The shuffles this task read, ascending. */
  public java.util.Set<Integer> shufflesRead() {
    return shufflesRead == null ? java.util.Set.of() : java.util.Collections.unmodifiableSet(shufflesRead);
  }

  public void setWrittenKeys(io.weft.diagnosis.KeySketch.Result keys) {
    writtenKeys = keys;
  }

  /** The heaviest keys this shuffle map task wrote (its sketch), or null for other tasks. */
  public io.weft.diagnosis.KeySketch.Result writtenKeys() {
    return writtenKeys;
  }

  @Override
  public String toString() {
    return "TaskMetrics{in=" + inputRecords + "/" + inputBytes + "B, shuffleWrite=" + shuffleWriteRecords
        + "/" + shuffleWriteBytes + "B, shuffleRead=" + shuffleReadRecords + "/" + shuffleReadBytes
        + "B, spills=" + spillCount + "/" + spillBytes + "B, run=" + runTimeMs + "ms}";
  }
}
