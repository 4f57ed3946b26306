package io.weft.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a file input (comma-separated paths, directories, globs) into splits on the driver,
 * delegating listing, glob expansion, hidden-file filtering, codec splittability and block
 * placement to Hadoop's {@link TextInputFormat} (text) or {@link FileInputFormat} (binary formats).
 *
 * <p>Split size follows Spark's "goal size": {@code max split size = total input bytes /
 * minPartitions}, so a small input still gets at least (about) {@code minPartitions} splits,
 * while a big input is never split beyond one block per split. Worked example: one 100 MB file
 * with a 128 MB block size and minPartitions 4 gives a 25 MB max, hence 4 splits; the same file
 * with minPartitions 1 gives 1 split (the block size caps a split at 128 MB). A user-set smaller
 * {@code mapreduce.input.fileinputformat.split.maxsize} wins. Hadoop lets the last split be up to
 * 10% larger than the others ({@code SPLIT_SLOP}), so the count can be one less than asked.
 * Unsplittable files (gzip) become one split each, whatever the goal.
 *
 * <p>Threading: stateless; called on the driver's thread that first asks for the partitions.
 * Failure: a missing path or an empty glob becomes an {@link InvalidInputException} naming every
 * offending path; other listing failures an {@link UncheckedIOException} naming the input.
 */
public final class SplitPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(SplitPlanner.class);

  private SplitPlanner() {}

  static TextFilePartition[] plan(Configuration conf, String paths, int minPartitions) {
    List<FileSplit> splits = splits(conf, paths, minPartitions, new ListingOnceTextInputFormat());
    TextFilePartition[] partitions = new TextFilePartition[splits.size()];
    for (int i = 0; i < partitions.length; i++) {
      FileSplit split = splits.get(i);
      partitions[i] = new TextFilePartition(i, split.getPath().toString(), split.getStart(),
          split.getLength(), hosts(split));
    }
    return partitions;
  }

  /**
   * Splits of a binary input (Avro, Parquet, SequenceFile) that its format can cut anywhere:
   * every file is split at the goal size, whatever its name. The format's reader decides which
   * records each byte range owns (see {@link FileSplitPartition}).
   */
  public static FileSplitPartition[] planSplittable(Configuration conf, String paths, int minPartitions) {
    List<FileSplit> splits = splits(conf, paths, minPartitions, new ListingOnceSplittableFormat());
    FileSplitPartition[] partitions = new FileSplitPartition[splits.size()];
    for (int i = 0; i < partitions.length; i++) {
      FileSplit split = splits.get(i);
      partitions[i] = new FileSplitPartition(i, split.getPath().toString(), split.getStart(),
          split.getLength(), hosts(split));
    }
    return partitions;
  }

  private static List<String> hosts(FileSplit split) {
    try {
      return Arrays.asList(split.getLocations());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a FileSplit only returns the hosts it was built with
    }
  }

  /** Listing and planning an input with a Hadoop {@link Job}: {@link #listInput}. */
  public interface Listing<T> {
    T list(Job job) throws IOException, InterruptedException;
  }

  /**
   * Runs {@code listing} with a job (a copy of {@code conf}) whose input is {@code paths}, where a
   * sub-directory of an input directory is skipped (otherwise it is taken for a file and
   * {@code getSplits} fails with an NPE), and turns its failures into the planner's: a missing
   * path or an empty glob an {@link InvalidInputException}, other listing failures an
   * {@link UncheckedIOException} naming the input. On a Kerberized cluster the job first gets
   * this process's delegation tokens ({@link SecureFileSystems#prepare}). Every format's planning
   * (text, Avro, Parquet, any Hadoop input format) lists through here.
   */
  public static <T> T listInput(Configuration conf, String paths, Listing<T> listing) {
    try {
      // Job.getInstance copies the conf, so the settings below never leak into the caller's.
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job, paths);
      job.getConfiguration().setBooleanIfUnset(FileInputFormat.INPUT_DIR_NONRECURSIVE_IGNORE_SUBDIRS, true);
      SecureFileSystems.prepare(job, java.util.List.of(FileInputFormat.getInputPaths(job)), "input " + paths);
      return listing.list(job);
    } catch (org.apache.hadoop.mapreduce.lib.input.InvalidInputException e) {
      throw new InvalidInputException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list input " + paths + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing input " + paths, e);
    }
  }

  private static List<FileSplit> splits(Configuration conf, String paths, int minPartitions,
      ListingOnce format) {
    return listInput(conf, paths, job -> {
      List<FileStatus> files = format.list(job);
      long totalBytes = files.stream().filter(FileStatus::isFile).mapToLong(FileStatus::getLen).sum();
      long goalSize = Math.max(1, totalBytes / minPartitions);
      long maxSplit = Math.min(goalSize, FileInputFormat.getMaxSplitSize(job));
      FileInputFormat.setMaxInputSplitSize(job, maxSplit);
      List<FileSplit> splits = new ArrayList<>();
      for (InputSplit split : format.getSplits(job)) {
        splits.add((FileSplit) split);
      }
      LOG.info("Input {}: {} files, {} bytes, {} splits (max split size {} bytes)",
          paths, files.size(), totalBytes, splits.size(), maxSplit);
      return splits;
    });
  }

  /** A Hadoop input format whose listing can be done before, and reused by, {@code getSplits}. */
  private interface ListingOnce {
    List<FileStatus> list(JobContext job) throws IOException;

    List<InputSplit> getSplits(JobContext job) throws IOException, InterruptedException;
  }

  /** {@link ListingOnceTextInputFormat} for formats that are splittable whatever the file name. */
  private static final class ListingOnceSplittableFormat extends FileInputFormat<Object, Object>
      implements ListingOnce {
    private List<FileStatus> listed;

    @Override
    public List<FileStatus> list(JobContext job) throws IOException {
      listed = new ArrayList<>(super.listStatus(job));
      return listed;
    }

    @Override
    protected List<FileStatus> listStatus(JobContext job) throws IOException {
      return listed != null ? listed : super.listStatus(job);
    }

    @Override
    public org.apache.hadoop.mapreduce.RecordReader<Object, Object> createRecordReader(
        InputSplit split, org.apache.hadoop.mapreduce.TaskAttemptContext context) {
      throw new UnsupportedOperationException("only plans splits");
    }
  }

  /**
   * A {@link TextInputFormat} that lists its input once: the planner needs the listing to
   * compute the goal size before {@code getSplits}, which would list (and glob) again.
   */
  private static final class ListingOnceTextInputFormat extends TextInputFormat implements ListingOnce {
    private List<FileStatus> listed;

    @Override
    public List<FileStatus> list(JobContext job) throws IOException {
      listed = new ArrayList<>(super.listStatus(job));
      return listed;
    }

    @Override
    protected List<FileStatus> listStatus(JobContext job) throws IOException {
      return listed != null ? listed : super.listStatus(job);
    }
  }
}
