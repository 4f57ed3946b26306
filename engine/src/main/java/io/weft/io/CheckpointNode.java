package io.weft.io;

import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.commit.HadoopCommitProtocol;
import io.weft.plan.Dependency;
import io.weft.plan.Iterators;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.serialization.DeserializationStream;
import io.weft.serialization.SerializationStream;
import io.weft.serialization.Serializer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A reliable checkpoint: a dataset's partitions written once, through the commit protocol, to the
 * application's checkpoint directory ({@link WeftContext#setCheckpointDir}), and this node, which
 * reads them back as the root of a new lineage. Everything before the checkpoint (its shuffles,
 * its {@code parallelize}d data, its task binaries) is no longer referenced from here, so an
 * iterative program's lineage and task size stay flat when it checkpoints every few iterations.
 * The checkpointed dataset keeps its partitioner, so a join with a dataset partitioned the same
 * way still needs no shuffle.
 *
 * <p>Files: one {@code part-NNNNN} per partition, the records as the context's serializer writes a
 * stream (the format is internal to one application). The directory is removed when this node
 * is no longer reachable (the context cleaner) and, with all of the application's, when its
 * context closes.
 * Partitions prefer the hosts of their file's first block.
 */
public final class CheckpointNode<T> extends Node<T> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CheckpointNode.class);
  private final String dir;
  private final int numPartitions;
  private final Partitioner partitioner;
  private final Serializer serializer;

  private CheckpointNode(WeftContext ctx, String dir, int numPartitions, Partitioner partitioner,
      Serializer serializer) {
    super(ctx);
    this.dir = dir;
    this.numPartitions = numPartitions;
    this.partitioner = partitioner;
    this.serializer = serializer;
  }

  /**
   * Runs a job writing {@code node}'s partitions under the context's checkpoint directory and
   * returns the node that reads them back.
   *
   * @throws IllegalStateException if no checkpoint directory was set
   */
  public static <T> CheckpointNode<T> write(Node<T> node) {
    WeftContext ctx = node.context();
    String dir = ctx.checkpointDir() + "/node-" + node.id() + "-" + ctx.newShuffleId();
    Serializer serializer = ctx.serializer();
    CommittedOutput.save(ctx, node, dir, (attempt, task, records) -> {
      Path file = attempt.newTaskFile(HadoopCommitProtocol.partFileName(task.partitionId()));
      try (SerializationStream out = serializer.newInstance().serializeStream(
          new BufferedOutputStream(attempt.fileSystem().create(file, false), 64 * 1024))) {
        while (records.hasNext()) {
          out.writeObject(records.next());
        }
      }
    });
    CheckpointNode<T> checkpoint = new CheckpointNode<>(ctx, dir, node.numPartitions(), node.partitioner(), serializer);
    checkpoint.setName("checkpoint of " + node);
    ctx.cleaner().register(checkpoint, deleteWhenUnreachable(dir, ctx.hadoopConfiguration()));
    return checkpoint;
  }

  /**
   * Deletes {@code dir} once its node is collected: the directory is this node's own (a new one per
   * checkpoint), so nothing can read it any more, and an iterative program checkpointing every
   * few iterations keeps one or two checkpoints on the file system rather than all of them. Runs on
   * the cleaner's thread (as Spark's checkpoint clean-up does); holds only the path, not the node.
   */
  private static Runnable deleteWhenUnreachable(String dir, org.apache.hadoop.conf.Configuration conf) {
    return () -> {
      Path path = new Path(dir);
      try {
        path.getFileSystem(conf).delete(path, true);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Could not delete checkpoint {} (no dataset refers to it any more)", dir, e);
      }
    };
  }

  /** The directory holding this checkpoint's files. */
  public String dir() {
    return dir;
  }

  /** One partition's file and the hosts of its first block. */
  private record FilePartition(int index, String file, List<String> hosts) implements Partition {}

  @Override
  protected Partition[] computePartitions() {
    Partition[] parts = new Partition[numPartitions];
    try {
      Path base = new Path(dir);
      FileSystem fs = base.getFileSystem(context().hadoopConfiguration());
      for (int i = 0; i < numPartitions; i++) {
        Path file = new Path(base, HadoopCommitProtocol.partFileName(i));
        FileStatus status;
        try {
          status = fs.getFileStatus(file);
        } catch (FileNotFoundException e) {
          throw new IllegalStateException("checkpoint file " + file + " is missing: was the checkpoint directory "
              + "cleaned while the application ran?", e);
        }
        BlockLocation[] blocks = fs.getFileBlockLocations(status, 0, Math.max(1, status.getLen()));
        List<String> hosts = blocks.length == 0 ? List.of()
            : Arrays.stream(blocks[0].getHosts()).filter(h -> !h.equals("localhost")).toList();
        parts[i] = new FilePartition(i, file.toString(), hosts);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list checkpoint " + dir + ": " + e.getMessage(), e);
    }
    return parts;
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }

  @Override
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  public List<String> preferredLocations(Partition partition) {
    return ((FilePartition) partition).hosts();
  }

  /**
   * The partition's records. Not a {@link FileRecordIterator}: a dataset may hold null records,
   * which that iterator would take for the end of its input.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Iterator<T> compute(Partition partition, TaskContext task) {
    Path file = new Path(((FilePartition) partition).file());
    DeserializationStream in;
    try {
      FileSystem fs = file.getFileSystem(task.env().hadoopConf());
      in = serializer.newInstance().deserializeStream(new BufferedInputStream(fs.open(file), 64 * 1024));
    } catch (IOException e) {
      throw new InputReadException("Cannot read checkpoint file " + file + ": " + e, e);
    }
    task.addCompletionListener(() -> {
      try {
        in.close();
      } catch (IOException e) {
        // every record was read or the task is failing anyway: nothing to report
      }
    });
    return Iterators.interruptible((Iterator<T>) in.asIterator());
  }
}
