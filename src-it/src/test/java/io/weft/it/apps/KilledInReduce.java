package io.weft.it.apps;

import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import io.weft.status.WeftListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The program of YarnAmRestartIT: whose ApplicationMaster is killed ({@code kill -9} of its own
 * JVM) while its sort is in the reduce stage, once. Arguments: input, summary output, sorted
 * output, kill marker, reduce gate, facts (all on HDFS).
 *
 * <ol>
 *   <li>If the kill marker exists (this is the attempt after the kill), opens the gate.
 *   <li>Saves a summary of the input (line count per first character; no shuffle), a job that
 *       finishes before the kill, so the next attempt finds it committed.
 *   <li>Sorts the lines by their first 10 characters into 4 parts and saves them. Reduce tasks
 *       wait (bounded) for the gate, so before the kill they never finish.
 *   <li>Without the marker, when the reduce stage is submitted and the journal holds the finished
 *       map stage (the events the kill must follow), writes the marker and kills its own JVM.
 * </ol>
 * After the kill it writes what its listener saw to the facts file once the context closed (the
 * bus drained): the executors that registered ({@code executors=1,2}) and how many stages of the
 * sort's save were submitted ({@code sortStagesSubmitted=1} when its map stage was recovered).
 * It prints one line at the end: {@code amrestart: attempt=N}.
 */
public final class KilledInReduce {
  private KilledInReduce() {}

  public static void main(String[] args) throws Exception {
    Path marker = new Path(args[3]);
    Path gate = new Path(args[4]);
    String gatePath = args[4];
    Configuration hadoop = new Configuration();
    FileSystem fs = marker.getFileSystem(hadoop);
    boolean afterKill = fs.exists(marker);
    if (afterKill) {
      fs.create(gate, true).close();
    }
    Facts facts = new Facts();
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      wc.addListener(facts);
      if (!afterKill) {
        wc.addListener(new KillInReduce(fs, marker, new Path(wc.conf().get("weft.recovery.journalDir"))));
      }
      wc.textFile(args[0], 4).map(l -> l.substring(0, 1) + "\t" + l.length()).saveAsTextFile(args[1]);
      wc.textFile(args[0], 4).sortBy(KilledInReduce::key, true, 4)
          .mapPartitions((Iterator<String> it) -> {
            awaitGate(gatePath);
            return it;
          }).saveAsTextFile(args[2]);
    }
    if (afterKill) {
      try (var out = fs.create(new Path(args[5]), true)) {
        out.write(facts.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    System.out.println("amrestart: attempt=" + System.getProperty("weft.recovery.attempt"));
  }

  public static String key(String line) {
    return line.substring(0, 10);
  }

  /** Waits (bounded) until the next attempt's driver opened the gate. Runs in reduce tasks. */
  private static void awaitGate(String gate) throws IOException, InterruptedException {
    Path p = new Path(gate);
    FileSystem fs = p.getFileSystem(new Configuration());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!fs.exists(p)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nobody opened " + gate);
      }
      Thread.sleep(50);
    }
  }

  /** What the test asserts about an attempt: its executors, and the sort's submitted stages. */
  private static final class Facts implements WeftListener {
    private final java.util.SortedSet<String> executors = new java.util.TreeSet<>();
    private List<Integer> shuffleJobStages = List.of();
    private int sortStagesSubmitted;

    @Override
    public void onEvent(ListenerEvent event) {
      if (event instanceof ListenerEvent.ExecutorAdded e) {
        executors.add(e.executorId());
      } else if (event instanceof ListenerEvent.JobStarted j && j.stageIds().size() >= 2) {
        shuffleJobStages = j.stageIds();
      } else if (event instanceof ListenerEvent.StageSubmitted s && shuffleJobStages.contains(s.stageId())) {
        sortStagesSubmitted++;
      }
    }

    @Override
    public String toString() {
      return "executors=" + String.join(",", executors) + "\nsortStagesSubmitted=" + sortStagesSubmitted + "\n";
    }
  }

  /**
   * On the submission of the second stage of the job with a shuffle (the sort's save: its map
   * stage is submitted first, the reduce stage once it finished), waits for the journal to hold
   * the finished map stage (written off the scheduler thread), writes the marker and kill -9s this
   * JVM. Runs on the listener bus's thread.
   */
  private static final class KillInReduce implements WeftListener {
    private final FileSystem fs;
    private final Path marker;
    private final Path journal;
    private List<Integer> shuffleJobStages = List.of();
    private int submitted;

    KillInReduce(FileSystem fs, Path marker, Path journalDir) {
      this.fs = fs;
      this.marker = marker;
      this.journal = new Path(journalDir, "attempt-1.journal");
    }

    @Override
    public void onEvent(ListenerEvent event) {
      if (event instanceof ListenerEvent.JobStarted j && j.stageIds().size() >= 2) {
        shuffleJobStages = j.stageIds();
      } else if (event instanceof ListenerEvent.StageSubmitted s && shuffleJobStages.contains(s.stageId())
          && ++submitted == 2) {
        try {
          awaitJournaledMapStage();
          fs.create(marker, true).close();
          long pid = ProcessHandle.current().pid();
          System.out.println("amrestart: killing the ApplicationMaster (pid " + pid + ") in the reduce stage");
          System.out.flush();
          new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void awaitJournaledMapStage() throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!read().contains("\nmap-stage-finished\t")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the finished map stage never reached " + journal);
        }
        Thread.sleep(20);
      }
    }

    private String read() throws IOException {
      StringBuilder sb = new StringBuilder("\n");
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(journal), StandardCharsets.UTF_8))) {
        char[] buf = new char[8192];
        int n;
        while ((n = r.read(buf)) > 0) {
          sb.append(buf, 0, n);
        }
      }
      return sb.toString();
    }
  }
}
