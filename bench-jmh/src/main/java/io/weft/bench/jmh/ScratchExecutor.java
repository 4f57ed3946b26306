package io.weft.bench.jmh;

import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.executor.ExecutorEnv;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.storage.LocalDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * An executor's environment for one benchmark trial, in a temporary directory of its own: the
 * benchmark's input files go into {@link #dir}, spills and shuffle files into its {@code local}
 * sub-directory. {@link #close} deletes it all: {@link ExecutorBenchmark}, the base of the benchmarks
 * that use one, does so in the trial's tear-down.
 *
 * <p>Threading: one benchmark thread ({@code Scope.Thread} state).
 */
final class ScratchExecutor implements AutoCloseable {
  private final Path dir;
  private final ExecutorEnv env;
  private long taskIds;

  private ScratchExecutor(Path dir, ExecutorEnv env) {
    this.dir = dir;
    this.env = env;
  }

  /**
   * @param prefix names the temporary directory
   * @param memoryBytes the execution memory of the executor (what a sorter may hold before it spills)
   */
  static ScratchExecutor create(String prefix, WeftConf conf, long memoryBytes) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    LocalDirs dirs = new LocalDirs(Files.createDirectories(dir.resolve("local")));
    return new ScratchExecutor(dir, new ExecutorEnv("jmh", "localhost", 0, conf, dirs,
        new IndexShuffleBlockResolver(dirs, 1 << 20), null, memoryBytes, null, null));
  }

  /** Where the benchmark writes its input. */
  Path dir() {
    return dir;
  }

  /** A new task (its own id) on this executor; the caller marks it completed. */
  TaskContext newTask() {
    return new TaskContext(0, 0, 0, 0, taskIds++, env, Map.of());
  }

  @Override
  public void close() throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
