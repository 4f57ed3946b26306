package io.weft.executor;

import io.weft.WeftConf;
import io.weft.config.CoreOptions;
import io.weft.memory.UnifiedMemoryManager;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.Serializer;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.shuffle.fetch.ShuffleBlockFetcher;
import io.weft.storage.BlockManager;
import io.weft.storage.LocalDirs;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The services of one executor, shared by all its tasks: configuration, serializers, scratch
 * directories, the shuffle files (their resolver), the block store, the shuffle fetcher and the
 * way back to the driver.
 *
 * <p>Thread-safe: every member is either immutable or thread-safe itself.
 */
public final class ExecutorEnv {
  private final String executorId;
  private final String host;
  private final int blockServerPort;
  private final WeftConf conf;
  private final Serializer closureSerializer = new JavaSerializer();
  private final LocalDirs localDirs;
  private final IndexShuffleBlockResolver shuffleResolver;
  private final BlockManager blockManager;
  private final UnifiedMemoryManager memory;
  private final ShuffleBlockFetcher fetcher;
  private final DriverEndpoint driver;
  private final Configuration hadoopConf;
  private final ConcurrentHashMap<Long, Object> broadcasts = new ConcurrentHashMap<>();

  /**
   * An executor whose tasks share {@code shuffleMemoryPerTask} bytes of execution memory, a pool
   * of their own apart from the block manager's (tests and benchmarks that build one by hand).
   */
  public ExecutorEnv(String executorId, String host, int blockServerPort, WeftConf conf,
      LocalDirs localDirs, IndexShuffleBlockResolver shuffleResolver, BlockManager blockManager,
      long shuffleMemoryPerTask, ShuffleBlockFetcher fetcher, DriverEndpoint driver) {
    this(executorId, host, blockServerPort, conf, localDirs, shuffleResolver, blockManager,
        UnifiedMemoryManager.executionOnly(shuffleMemoryPerTask), fetcher, driver);
  }

  /**
   * An executor whose tasks take execution memory from {@code memory}, the pool its block
   * manager caches blocks in too.
   */
  public ExecutorEnv(String executorId, String host, int blockServerPort, WeftConf conf,
      LocalDirs localDirs, IndexShuffleBlockResolver shuffleResolver, BlockManager blockManager,
      UnifiedMemoryManager memory, ShuffleBlockFetcher fetcher, DriverEndpoint driver) {
    this.executorId = executorId;
    this.host = host;
    this.blockServerPort = blockServerPort;
    this.conf = conf;
    this.localDirs = localDirs;
    this.shuffleResolver = shuffleResolver;
    this.blockManager = blockManager;
    this.memory = memory;
    this.fetcher = fetcher;
    this.driver = driver;
    this.hadoopConf = hadoopConfiguration(conf);
  }

  /**
   * A Hadoop configuration from the classpath's *-site.xml plus every {@code weft.hadoop.*} setting,
   * with {@code file:} served by {@link io.weft.io.hadoop.NioLocalFileSystem} unless one of them
   * names another {@code fs.file.impl}.
   */
  public static Configuration hadoopConfiguration(WeftConf conf) {
    Configuration hc = new Configuration();
    for (Map.Entry<String, String> e : conf.getAll().entrySet()) {
      if (e.getKey().startsWith(CoreOptions.HADOOP_PREFIX)) {
        hc.set(e.getKey().substring(CoreOptions.HADOOP_PREFIX.length()), e.getValue());
      }
    }
    // file: paths without a chmod fork per created file (when no site file or setting names one)
    return io.weft.io.hadoop.NioLocalFileSystem.configure(hc);
  }

  public String executorId() {
    return executorId;
  }

  public String host() {
    return host;
  }

  public int blockServerPort() {
    return blockServerPort;
  }

  public WeftConf conf() {
    return conf;
  }

  public Serializer closureSerializer() {
    return closureSerializer;
  }

  public LocalDirs localDirs() {
    return localDirs;
  }

  /** This executor's shuffle files: commit map outputs, find blocks, remove shuffles. */
  public IndexShuffleBlockResolver shuffleResolver() {
    return shuffleResolver;
  }

  public BlockManager blockManager() {
    return blockManager;
  }

  /**
   * The executor's memory pool: tasks take execution memory for sorters, aggregation maps and
   * join buffers from it (and spill when it grants less), the block manager caches blocks in it.
   */
  public UnifiedMemoryManager memory() {
    return memory;
  }

  public ShuffleBlockFetcher fetcher() {
    return fetcher;
  }

  public DriverEndpoint driver() {
    return driver;
  }

  /** The value of broadcast {@code id}, fetched from the driver by the first task that asks. */
  public Object broadcastValue(long id) {
    return broadcasts.computeIfAbsent(id,
        k -> closureSerializer.newInstance().deserialize(driver.fetchBroadcast(k)));
  }

  /**
   * Forgets this executor's copy of broadcast {@code id} (destroyed, unpersisted or collected on
   * the driver); a later task that reads it asks the driver again.
   */
  public void removeBroadcast(long id) {
    broadcasts.remove(id);
  }

  /** The ids of the broadcasts this executor holds a copy of (tests, diagnostics). */
  public java.util.Set<Long> broadcastIds() {
    return java.util.Set.copyOf(broadcasts.keySet());
  }

  /** Shared, read-only by convention: tasks that need to change it take a copy. */
  public Configuration hadoopConf() {
    return hadoopConf;
  }
}
