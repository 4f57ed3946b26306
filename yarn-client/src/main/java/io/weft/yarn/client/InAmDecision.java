package io.weft.yarn.client;

import io.weft.WeftConf;
import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Resolves {@code weft.yarn.inAm.mode} at submission, before the ApplicationMaster's container is
 * sized: {@code on} and {@code off} stand; {@code auto} becomes {@code on} when the application's
 * arguments name at least one existing path on a Hadoop file system and those paths together hold
 * at most {@code weft.yarn.inAm.maxInputBytes} in at most {@code weft.yarn.inAm.maxTasks} splits,
 * else {@code off}.
 *
 * <p>Why at submission and from the arguments: the AM's container size must be known before it
 * exists, and executors are asked for the moment the AM registers, before the user's main has
 * built a single dataset, so neither can wait for the first job's input. A program's inputs are
 * nearly always its arguments (Oozie actions, WordCount); an argument that is not a path, or names
 * nothing, is skipped. The test is conservative: no existing path means executors, and a split
 * count is bounded from above as files plus {@code length / blockSize} (one content summary per
 * argument, so a directory of many files costs one call). A wrong guess only costs speed, never a
 * result: the tasks run through the same scheduler and shuffle either way.
 *
 * <p>Example: {@code auto}, 128m and 8 tasks, arguments {@code /in/words.txt /out/counts} with a
 * 12 KB {@code words.txt} and no {@code /out/counts}: one path, 12 KB, at most 1 + 0 splits, so
 * the application runs in the AM. A 1 GB input with 128 MB blocks (at most 9 splits) does not.
 */
final class InAmDecision {
  private InAmDecision() {}

  /** What the inputs the arguments name add up to. */
  record Inputs(int paths, long bytes, long maxSplits) {}

  /**
   * The resolved mode ({@code "on"} or {@code "off"}) for {@code conf}, and one line for the user
   * saying why; reads the file system only for {@code auto}.
   */
  record Resolved(String mode, String note) {
    boolean inAm() {
      return mode.equals("on");
    }
  }

  static Resolved resolve(WeftConf conf, List<String> appArgs, Configuration hadoopConf) {
    String mode = conf.get(YarnOptions.IN_AM_MODE);
    String key = YarnOptions.IN_AM_MODE.key();
    if (mode.equals("on")) {
      return new Resolved("on", "Running inside the ApplicationMaster (" + key + "=on): no executor containers");
    }
    if (mode.equals("off")) {
      return new Resolved("off", null);
    }
    Inputs in = measure(appArgs, hadoopConf);
    long maxBytes = conf.get(YarnOptions.IN_AM_MAX_INPUT_BYTES);
    int maxTasks = conf.get(YarnOptions.IN_AM_MAX_TASKS);
    String measured = in.paths() + " input path(s), " + human(in.bytes()) + ", at most " + in.maxSplits() + " split(s)";
    if (in.paths() > 0 && in.bytes() <= maxBytes && in.maxSplits() <= maxTasks) {
      return new Resolved("on", "Running inside the ApplicationMaster (" + key + "=auto: " + measured
          + " within " + human(maxBytes) + " and " + maxTasks + " tasks): no executor containers");
    }
    return new Resolved("off", "Running on executor containers (" + key + "=auto: "
        + (in.paths() == 0 ? "no argument names an existing input path" : measured + ", over "
            + human(maxBytes) + " or " + maxTasks + " tasks") + ")");
  }

  /** Sums the arguments that name existing paths; an argument that cannot be a path is skipped. */
  static Inputs measure(List<String> appArgs, Configuration hadoopConf) {
    int paths = 0;
    long bytes = 0;
    long splits = 0;
    for (String arg : appArgs) {
      ContentSummary summary = summary(arg, hadoopConf);
      if (summary == null) {
        continue;
      }
      paths++;
      bytes += summary.getLength();
      long blockSize = Math.max(1, blockSize(arg, hadoopConf));
      splits += summary.getFileCount() + summary.getLength() / blockSize;
    }
    return new Inputs(paths, bytes, splits);
  }

  private static ContentSummary summary(String arg, Configuration hadoopConf) {
    if (arg.isBlank() || arg.startsWith("-")) {
      return null; // an option, not a path
    }
    try {
      Path p = new Path(arg);
      FileSystem fs = p.getFileSystem(hadoopConf);
      return fs.exists(p) ? fs.getContentSummary(p) : null;
    } catch (IOException | IllegalArgumentException e) {
      return null; // not a path (or a scheme with no file system): not an input
    }
  }

  private static long blockSize(String arg, Configuration hadoopConf) {
    try {
      Path p = new Path(arg);
      return p.getFileSystem(hadoopConf).getDefaultBlockSize(p);
    } catch (IOException | IllegalArgumentException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    int exp = (int) (Math.log(bytes) / Math.log(1024));
    return String.format(Locale.ROOT, "%.1f %sB", bytes / Math.pow(1024, exp), "KMGTPE".charAt(exp - 1));
  }
}
