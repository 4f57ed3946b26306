package io.weft;

import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ClusterBackendFactory;
import io.weft.cluster.ExecutorInfo;
import io.weft.cluster.SchedulerCallbacks;
import io.weft.config.CoreOptions;
import io.weft.config.SecurityOptions;
import io.weft.driver.ContextCleaner;
import io.weft.driver.DriverServices;
import io.weft.executor.ExecutorEnv;
import io.weft.io.TextFileNode;
import io.weft.io.avro.AvroFileNode;
import io.weft.io.hadoop.HadoopFileNode;
import io.weft.io.parquet.ParquetFileNode;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import io.weft.plan.ParallelCollectionNode;
import io.weft.recovery.DriverRecovery;
import io.weft.scheduler.DagScheduler;
import io.weft.scheduler.EventLoop;
import io.weft.scheduler.JobGroup;
import io.weft.scheduler.JobWaiter;
import io.weft.scheduler.OutputCommitCoordinator;
import io.weft.scheduler.ResultFn;
import io.weft.scheduler.SchedulerEvent;
import io.weft.scheduler.TaskOutcome;
import io.weft.serialization.JavaDeserializationFilter;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.Serializer;
import io.weft.serialization.Serializers;
import io.weft.status.ListenerBus;
import io.weft.status.ListenerEvent;
import io.weft.status.WeftListener;
import io.weft.util.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of a Weft program: creates datasets from files and collections, runs jobs, and
 * owns the scheduler and the cluster backend. Close it (try-with-resources) to stop executors and
 * delete their scratch files.
 *
 * <pre>{@code
 * try (WeftContext wc = WeftContext.create(new WeftConf().setAppName("wordcount"))) {
 *   wc.textFile(in).flatMap(...).mapToPair(...).reduceByKey(Long::sum).saveAsTextFile(out);
 * }
 * }</pre>
 *
 * <p>Threading: thread-safe; several threads may run jobs at once (they are scheduled FIFO).
 * Jobs block the calling thread until they end.
 */
public final class WeftContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WeftContext.class);

  private final WeftConf conf;
  private final Configuration hadoopConf;
  /** This application's own directory under the one given to setCheckpointDir, or null. */
  private volatile String checkpointDir;
  private final ClusterBackend backend;
  /** Journal and recovery across YARN ApplicationMaster attempts; NONE elsewhere. */
  private final DriverRecovery recovery;
  private final ListenerBus bus = new ListenerBus();
  private final EventLoop<SchedulerEvent> loop = new EventLoop<>("weft-dag-scheduler");
  /** Removes shuffles and cached blocks of datasets the program dropped. */
  private final ContextCleaner cleaner = new ContextCleaner(loop::post);
  /** Counts of what the scheduler holds, read on its thread. */
  private final io.weft.status.StatusTracker statusTracker;
  private final DagScheduler scheduler;
  /** The application's start and end events and its event log. */
  private final io.weft.status.ApplicationEvents appEvents;
  private final DriverServices driverServices;
  private final io.weft.driver.BlockRemovals removals;
  private final Map<Long, LongAccumulator> accumulators = new ConcurrentHashMap<>();
  private final AtomicInteger nextNodeId = new AtomicInteger();
  private final AtomicInteger nextShuffleId = new AtomicInteger();
  private final AtomicInteger nextJobId = new AtomicInteger();
  /** The job group of each thread's next jobs; inherited by threads it starts, as Spark's is. */
  private final InheritableThreadLocal<JobGroup> jobGroup = new InheritableThreadLocal<>();
  private final AtomicLong nextBroadcastId = new AtomicLong();
  private final AtomicLong nextAccumulatorId = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final int defaultParallelism;
  private final Serializer serializer;
  private final Thread shutdownHook = new Thread(this::close, "weft-context-shutdown");

  private WeftContext(WeftConf conf) {
    conf.validate();
    this.conf = conf.copy();
    JavaDeserializationFilter.configure(this.conf.get(SecurityOptions.JAVA_FILTER));
    this.serializer = Serializers.fromConf(this.conf);
    this.hadoopConf = ExecutorEnv.hadoopConfiguration(this.conf);
    OutputCommitCoordinator commits = new OutputCommitCoordinator();
    this.driverServices = new DriverServices(commits);
    this.removals = new io.weft.driver.BlockRemovals(driverServices, loop::post,
        2 * this.conf.get(io.weft.config.NetworkOptions.TIMEOUT));
    this.backend = findBackend(this.conf).create(this.conf, driverServices);
    backend.listeners().forEach(bus::addListener);
    if (this.conf.get(io.weft.config.DiagnosisOptions.ENABLED)) {
      bus.addListener(new io.weft.diagnosis.StageDiagnostician(bus, this.conf.get(io.weft.config.DiagnosisOptions.SKEW_RATIO)));
    }
    this.appEvents = io.weft.status.ApplicationEvents.start(this.conf, hadoopConf, bus);
    this.scheduler = new DagScheduler(loop, backend, Clock.SYSTEM, this.conf, bus,
        this::mergeAccumulators, commits);
    this.statusTracker = new io.weft.status.StatusTracker(event -> {
      checkOpen(); // a closed context's loop answers nothing: fail now, not after the time-out
      loop.post(event);
    }, this.conf.get(io.weft.config.NetworkOptions.TIMEOUT));
    this.recovery = DriverRecovery.fromConf(this.conf, hadoopConf);
    scheduler.useMapOutputRecovery(recovery.mapOutputs());
    loop.start(scheduler::handle, error -> scheduler.stopAfterInternalError("an event", error));
    LOG.info("Starting Weft application '{}' on {}", this.conf.appName(), this.conf.master());
    try {
      backend.start(new SchedulerCallbacks() {
        @Override
        public void executorAdded(ExecutorInfo executor) {
          loop.post(new SchedulerEvent.ExecutorAdded(executor));
        }

        @Override
        public void executorLost(String executorId, String reason) {
          loop.post(new SchedulerEvent.ExecutorLost(executorId, reason));
        }

        @Override
        public void taskEnded(long taskId, TaskOutcome outcome) {
          loop.post(new SchedulerEvent.TaskEnded(taskId, outcome));
        }

        @Override
        public void executorHeartbeat(String executorId) {
          loop.post(new SchedulerEvent.HeartbeatReceived(executorId));
        }

        @Override
        public void executorMemory(ListenerEvent.ExecutorMemoryUpdated update) {
          bus.post(update); // straight to the listeners: the scheduler has no use for it
        }

        @Override
        public void executorsExhausted(String reason) {
          loop.post(new SchedulerEvent.ExecutorsExhausted(reason));
        }
      });
    } catch (RuntimeException e) {
      stopServices();
      throw e;
    }
    Integer configured = this.conf.get(CoreOptions.DEFAULT_PARALLELISM);
    this.defaultParallelism = configured != null ? configured : backend.defaultParallelism();
    // SIGTERM (a scheduler killing the program, Ctrl-C) still stops the executors and removes
    // the application's scratch files
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a context for {@code conf}'s master ({@code weft.master}: {@code local[N]},
   * {@code local-cluster[N,C,M]} or {@code yarn}). {@code weft submit} always sets one; a conf
   * without any (a program started directly, say by {@code yarn jar}) fails here with an
   * {@link IllegalStateException} giving the {@code weft submit} command to use, rather than
   * running a cluster-sized job in this JVM.
   */
  public static WeftContext create(WeftConf conf) {
    if (conf.master() == null) {
      throw new IllegalStateException(MissingMaster.message());
    }
    return new WeftContext(conf);
  }

  private static ClusterBackendFactory findBackend(WeftConf conf) {
    String master = conf.master();
    // a program host (the YARN ApplicationMaster) running this main hands its factory over
    java.util.Optional<ClusterBackendFactory> hosted = io.weft.cluster.HostedBackend.bound(master);
    if (hosted.isPresent()) {
      return hosted.get();
    }
    for (ClusterBackendFactory f : ServiceLoader.load(ClusterBackendFactory.class, WeftContext.class.getClassLoader())) {
      if (f.accepts(master)) {
        return f;
      }
    }
    throw new IllegalArgumentException("No cluster backend for weft.master=" + master
        + " (expected local, local[N], local[*] or yarn; yarn needs the weft-yarn-am jar on the classpath)");
  }

  public WeftConf conf() {
    return conf.copy();
  }

  /** The Hadoop configuration for file access on the driver: *-site.xml plus {@code weft.hadoop.*}. */
  public Configuration hadoopConfiguration() {
    return hadoopConf;
  }

  public int defaultParallelism() {
    return defaultParallelism;
  }

  /** The record serializer of shuffles ({@code weft.serializer}). */
  public Serializer serializer() {
    return serializer;
  }

  // ---------------------------------------------------------------- creating datasets

  /** Lines of a text file, a directory or a glob, in Hadoop's partitioning (about one per block). */
  public Dataset<String> textFile(String path) {
    return textFile(path, Math.min(2, defaultParallelism));
  }

  /** Lines of text files, in at least {@code minPartitions} partitions when the input allows. */
  public Dataset<String> textFile(String path, int minPartitions) {
    checkOpen();
    return new Dataset<>(new TextFileNode(this, path, minPartitions));
  }

  /**
   * Records of Avro data files (a file, a directory or a glob) as generic records, each read with
   * its file's own schema; about one partition per block, split at Avro sync markers
   * (docs/FORMATS.md). Generic records are not {@code Serializable}: shuffles move them with the
   * Avro fast path of the record serializer; map them to own types before {@code collect}.
   */
  public Dataset<GenericRecord> avroFile(String path) {
    return avroFile(path, (Schema) null);
  }

  /**
   * Records of Avro data files read with {@code readerSchema} (Avro schema resolution: added
   * fields take their defaults, removed fields are skipped); a schema that cannot be resolved
   * against a file's fails the job naming both.
   */
  public Dataset<GenericRecord> avroFile(String path, Schema readerSchema) {
    checkOpen();
    return new Dataset<>(new AvroFileNode<>(this, path, Math.min(2, defaultParallelism), readerSchema,
        null, null));
  }

  /** Records of Avro data files as instances of a generated specific record class. */
  public <T extends SpecificRecord> Dataset<T> avroFile(String path, Class<T> recordClass) {
    checkOpen();
    return new Dataset<>(new AvroFileNode<>(this, path, Math.min(2, defaultParallelism), null,
        recordClass, null));
  }

  /**
   * Rows of Parquet files (a file, a directory or a glob) as Avro records; about one partition
   * per block, each reading the row groups whose midpoint lies in it (docs/FORMATS.md).
   */
  public Dataset<GenericRecord> parquetFile(String path) {
    return parquetFile(path, null, null);
  }

  /** Rows of Parquet files with only the columns of {@code projection} (an Avro record schema). */
  public Dataset<GenericRecord> parquetFile(String path, Schema projection) {
    return parquetFile(path, projection, null);
  }

  /**
   * Rows of Parquet files, projected to {@code projection}'s columns (null: all) and filtered by
   * {@code filter} (Parquet's {@code FilterApi}; null: all rows): row groups whose statistics
   * exclude every match are skipped without being read.
   */
  public Dataset<GenericRecord> parquetFile(String path, Schema projection, FilterPredicate filter) {
    checkOpen();
    return new Dataset<>(new ParquetFileNode<>(this, path, Math.min(2, defaultParallelism), projection,
        filter, null));
  }

  /**
   * Key-value pairs of SequenceFiles, one partition per block; keys and values are copies of the
   * reader's Writables (map them to Java values before a shuffle or {@code collect}: Writables are
   * not Serializable).
   */
  public <K, V> PairDataset<K, V> sequenceFile(String path, Class<K> keyClass, Class<V> valueClass) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<? extends InputFormat<K, V>> format = (Class) SequenceFileInputFormat.class;
    return hadoopFile(path, format, keyClass, valueClass);
  }

  /**
   * Key-value pairs read by any {@code org.apache.hadoop.mapreduce.InputFormat}, one partition per
   * split it makes; Writables are copied out of the reader's reused objects.
   */
  public <K, V> PairDataset<K, V> hadoopFile(String path, Class<? extends InputFormat<K, V>> formatClass,
      Class<K> keyClass, Class<V> valueClass) {
    checkOpen();
    return new PairDataset<>(new HadoopFileNode<>(this, path, formatClass, keyClass, valueClass, null));
  }

  public <T> Dataset<T> parallelize(List<T> data) {
    return parallelize(data, defaultParallelism);
  }

  /** A dataset of {@code data} cut into {@code numSlices} contiguous slices. */
  public <T> Dataset<T> parallelize(List<T> data, int numSlices) {
    checkOpen();
    return new Dataset<>(new ParallelCollectionNode<>(this, data, numSlices));
  }

  public <K, V> PairDataset<K, V> parallelizePairs(List<Pair<K, V>> data) {
    return parallelizePairs(data, defaultParallelism);
  }

  public <K, V> PairDataset<K, V> parallelizePairs(List<Pair<K, V>> data, int numSlices) {
    return new PairDataset<>(parallelize(data, numSlices).node());
  }

  /** Ships {@code value} once to each executor; tasks read it with {@link Broadcast#value()}. */
  public <T> Broadcast<T> broadcast(T value) {
    checkOpen();
    long id = nextBroadcastId.getAndIncrement();
    driverServices.putBroadcast(id, JavaSerializer.instance().serialize(value));
    Broadcast<T> broadcast = new Broadcast<>(id, value, removals);
    cleaner.register(broadcast, () -> removals.destroyBroadcast(id, false));
    return broadcast;
  }

  /** A counter tasks add to; read its total on the driver after an action. */
  public LongAccumulator longAccumulator(String name) {
    LongAccumulator acc = new LongAccumulator(nextAccumulatorId.getAndIncrement(), name);
    accumulators.put(acc.id(), acc);
    return acc;
  }

  public void addListener(WeftListener listener) {
    bus.addListener(listener);
  }

  public void removeListener(WeftListener listener) {
    bus.removeListener(listener);
  }

  /** The listener bus (tests wait on it to see every event of a finished job). */
  public ListenerBus listenerBus() {
    return bus;
  }

  // ---------------------------------------------------------------- running jobs

  /** Runs {@code fn} on every partition of {@code node}; results in partition order. */
  public <T, U> List<U> runJob(Node<T> node, ResultFn<T, U> fn) {
    int[] all = new int[node.numPartitions()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return runJob(node, fn, all);
  }

  /**
   * Runs {@code fn} on the given partitions of {@code node} and blocks until the job ends.
   * The lineage's partitions are computed here, on the caller's thread, so a missing input fails
   * now with its own message instead of inside the scheduler.
   */
  public <T, U> List<U> runJob(Node<T> node, ResultFn<T, U> fn, int[] partitions) {
    checkOpen();
    computeLineagePartitions(node);
    int jobId = nextJobId.getAndIncrement();
    JobWaiter waiter = new JobWaiter(jobId, partitions.length);
    recovery.jobSubmitted(jobId, node);
    if (partitions.length == 0) {
      return waiter.await();
    }
    loop.post(new SchedulerEvent.JobSubmitted(jobId, node, fn, partitions.clone(), waiter, callSite(),
        jobGroup.get()));
    return waiter.await();
  }

  // ---------------------------------------------------------------- cancelling jobs

  /**
   * Puts the jobs this thread (and threads it starts afterwards) submits from now on into group
   * {@code groupId}, so another thread can cancel them together with {@link #cancelJobGroup}.
   * {@code description} appears in logs and in the cancelled job's message.
   */
  public void setJobGroup(String groupId, String description) {
    jobGroup.set(new JobGroup(groupId, description));
  }

  /** This thread's later jobs belong to no group. */
  public void clearJobGroup() {
    jobGroup.remove();
  }

  /**
   * Cancels the running jobs of group {@code groupId}: their tasks are interrupted (a task also
   * stops at its next record), an output job's partial output is aborted, and each job's caller
   * gets a {@link JobCancelledException} naming the group once its tasks have ended. Returns at
   * once; the context stays usable.
   */
  public void cancelJobGroup(String groupId) {
    loop.post(new SchedulerEvent.JobGroupCancelled(groupId, "job group '" + groupId + "' was cancelled"));
  }

  /** Cancels every running job, as {@link #cancelJobGroup} does for one group. */
  public void cancelAllJobs() {
    loop.post(new SchedulerEvent.JobGroupCancelled(null, "all jobs were cancelled"));
  }

  /**
   * Cancels one job, by the id that {@link io.weft.status.WeftListener}s see in its
   * {@code JobStarted} event; as {@link #cancelJobGroup} otherwise. An unknown or finished job is
   * ignored.
   */
  public void cancelJob(int jobId) {
    loop.post(new SchedulerEvent.JobCancelled(jobId, "job " + jobId + " was cancelled"));
  }

  /**
   * Also resolves the racks of the input splits' hosts here, off the scheduler's thread: a
   * topology script may be slow ({@link io.weft.cluster.RackResolver#prefetch}).
   */
  private void computeLineagePartitions(Node<?> node) {
    Set<Integer> seen = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    Deque<Node<?>> toVisit = new ArrayDeque<>();
    toVisit.push(node);
    while (!toVisit.isEmpty()) {
      Node<?> n = toVisit.pop();
      if (seen.add(n.id())) {
        for (io.weft.plan.Partition p : n.partitions()) {
          hosts.addAll(n.preferredLocations(p));
        }
        for (Dependency d : n.dependencies()) {
          toVisit.push(d.parent());
        }
      }
    }
    if (!hosts.isEmpty()) {
      backend.rackResolver().prefetch(hosts);
    }
  }

  /** The user's code that started the job, for logs: the first stack frame outside Weft's engine. */
  private static String callSite() {
    return StackWalker.getInstance().walk(frames -> frames
        .filter(f -> !f.getClassName().startsWith("io.weft.") || f.getClassName().startsWith("io.weft.examples."))
        .findFirst()
        .map(f -> f.getMethodName() + " at " + f.getFileName() + ":" + f.getLineNumber())
        .orElse("unknown"));
  }

  void unpersist(Node<?> node, boolean blocking) {
    removals.unpersistNode(node.id(), blocking);
  }

  private void mergeAccumulators(Map<Long, Long> updates) {
    updates.forEach((id, delta) -> {
      LongAccumulator acc = accumulators.get(id);
      if (acc != null) {
        acc.merge(delta);
      }
    });
  }

  public int newNodeId() {
    return nextNodeId.getAndIncrement();
  }

  public int newShuffleId() {
    return nextShuffleId.getAndIncrement();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("WeftContext '" + conf.appName() + "' is closed");
    }
  }

  /**
   * Fails running jobs, stops the executors and deletes their scratch files. Idempotent. Also
   * run by a shutdown hook when the JVM exits with the context open.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting and the hook may run too: close is idempotent
      }
    }
    stopServices();
    LOG.info("Weft application '{}' stopped", conf.appName());
  }

  /** What earlier ApplicationMaster attempts journaled, and this attempt's journal (engine use). */
  public DriverRecovery recovery() {
    return recovery;
  }

  /**
   * Read-only numbers about what the driver holds (registered executors, shuffles, map-output
   * registrations), for watching a long-running or iterative program stay steady; see
   * {@link io.weft.status.StatusTracker}.
   */
  public io.weft.status.StatusTracker statusTracker() {
    return statusTracker;
  }

  /** Watches datasets for the clean-up of their shuffles and cached blocks (engine use). */
  public ContextCleaner cleaner() {
    return cleaner;
  }

  private void stopServices() {
    cleaner.close();
    loop.post(new SchedulerEvent.JobCancelled(-1, "context closed"));
    loop.stop();
    try {
      backend.stop();
    } finally {
      try {
        if (appEvents != null) {
          appEvents.end();
        }
      } finally {
        bus.waitUntilEmpty(2_000);
        bus.stop();
        try {
          deleteCheckpoints();
        } finally {
          recovery.close();
        }
      }
    }
  }

  // ---------------------------------------------------------------- checkpoints

  /**
   * Where {@link Dataset#checkpoint()} writes: this application gets its own new directory under
   * {@code dir} (on YARN a directory of the cluster's file system, e.g. HDFS; a relative path
   * is under the user's home there), removed when the context closes.
   */
  public void setCheckpointDir(String dir) {
    try {
      org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(dir);
      org.apache.hadoop.fs.FileSystem fs = base.getFileSystem(hadoopConf);
      org.apache.hadoop.fs.Path own = fs.makeQualified(
          new org.apache.hadoop.fs.Path(base, conf.appName() + "-" + java.util.UUID.randomUUID()));
      if (!fs.mkdirs(own)) {
        throw new java.io.IOException("mkdirs returned false");
      }
      checkpointDir = own.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot create checkpoint directory under " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * This application's checkpoint directory.
   *
   * @throws IllegalStateException if {@link #setCheckpointDir} was not called
   */
  public String checkpointDir() {
    String dir = checkpointDir;
    if (dir == null) {
      throw new IllegalStateException("checkpoint() needs a checkpoint directory: call "
          + "WeftContext.setCheckpointDir(dir) first (on YARN a directory on HDFS)");
    }
    return dir;
  }

  private void deleteCheckpoints() {
    String dir = checkpointDir;
    if (dir != null) {
      try {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
        path.getFileSystem(hadoopConf).delete(path, true);
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn("Could not delete checkpoint directory {}", dir, e);
      }
    }
  }
}
