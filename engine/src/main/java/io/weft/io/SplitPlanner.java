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
 * Turns a text input (comma-separated paths, directories, globs) into splits on the driver,
 * delegating listing, glob expansion, hidden-file filtering, codec splittability and block
 * placement to Hadoop's {@link TextInputFormat}.
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
final class SplitPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(SplitPlanner.class);

  private SplitPlanner() {}

  static TextFilePartition[] plan(Configuration conf, String paths, int minPartitions) {
    try {
      // Job.getInstance copies the conf, so the settings below never leak into the caller's.
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job, paths);
      // Otherwise a sub-directory of an input dir is taken for a file and getSplits fails with an NPE.
      job.getConfiguration().setBooleanIfUnset(
          FileInputFormat.INPUT_DIR_NONRECURSIVE_IGNORE_SUBDIRS, true);
      ListingOnceTextInputFormat format = new ListingOnceTextInputFormat();
      List<FileStatus> files = format.list(job);
      long totalBytes = files.stream().filter(FileStatus::isFile).mapToLong(FileStatus::getLen).sum();
      long goalSize = Math.max(1, totalBytes / minPartitions);
      long maxSplit = Math.min(goalSize, FileInputFormat.getMaxSplitSize(job));
      FileInputFormat.setMaxInputSplitSize(job, maxSplit);
      List<InputSplit> splits = format.getSplits(job);
      TextFilePartition[] partitions = new TextFilePartition[splits.size()];
      for (int i = 0; i < partitions.length; i++) {
        FileSplit split = (FileSplit) splits.get(i);
        List<String> hosts = Arrays.asList(split.getLocations());
        partitions[i] = new TextFilePartition(i, split.getPath().toString(), split.getStart(),
            split.getLength(), hosts);
      }
      LOG.info("Input {}: {} files, {} bytes, {} splits (max split size {} bytes)",
          paths, files.size(), totalBytes, partitions.length, maxSplit);
      return partitions;
    } catch (org.apache.hadoop.mapreduce.lib.input.InvalidInputException e) {
      throw new InvalidInputException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list input " + paths + ": " + e.getMessage(), e);
    }
  }

  /**
   * A {@link TextInputFormat} that lists its input once: the planner needs the listing to
   * compute the goal size before {@code getSplits}, which would list (and glob) again.
   */
  private static final class ListingOnceTextInputFormat extends TextInputFormat {
    private List<FileStatus> listed;

    List<FileStatus> list(JobContext job) throws IOException {
      listed = new ArrayList<>(super.listStatus(job));
      return listed;
    }

    @Override
    protected List<FileStatus> listStatus(JobContext job) throws IOException {
      return listed != null ? listed : super.listStatus(job);
    }
  }
}
