package io.weft.driver;

import io.weft.plan.Node;
import io.weft.scheduler.SchedulerEvent;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what the program can no longer reach, so an application that runs for hours does not
 * fill its executors' disks and memory: when a shuffle's dependency object (held by every dataset
 * downstream of the shuffle) or a persisted dataset's node is garbage collected on the driver, the
 * scheduler is told ({@link SchedulerEvent.ShuffleUnreachable}, {@link
 * SchedulerEvent.NodeUnpersisted}) and deletes the shuffle's files and map-output registrations on
 * every executor, or the node's cached blocks. This is the approach of Spark's {@code
 * ContextCleaner}: weak references watched on a daemon thread.
 *
 * <p>The scheduler keeps no reference to a shuffle once the jobs that used it ended, so only the
 * program's datasets keep one alive. A collected {@code Broadcast} is destroyed the same way
 * (driver copy and executors' copies). A later job over a dataset that is still referenced reuses the
 * shuffle's files as before. A collected reliable checkpoint's node takes its directory with it
 * (deleted on the cleaner thread, which then waits for the file system), a local checkpoint's its
 * shuffle files.
 *
 * <p>Threading: {@code register*} from any thread; the cleaner thread posts events to the
 * scheduler, and runs the clean-up actions registered with {@link #register(Object, Runnable)} itself.
 */
public final class ContextCleaner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContextCleaner.class);

  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  /** Keeps the weak references themselves reachable until their referent is collected. */
  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
  private final Consumer<SchedulerEvent> post;
  private final Thread thread;
  private volatile boolean stopped;

  /** A referent and what cleans up after it. */
  private static final class Watched extends WeakReference<Object> {
    final Runnable cleanup;

    Watched(Object referent, Runnable cleanup, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.cleanup = cleanup;
    }
  }

  public ContextCleaner(Consumer<SchedulerEvent> post) {
    this.post = post;
    this.thread = new Thread(this::run, "weft-context-cleaner");
    thread.setDaemon(true);
    thread.start();
  }

  /** When {@code dependency} is collected, shuffle {@code shuffleId} is removed everywhere. */
  public void registerShuffle(Object dependency, int shuffleId) {
    SchedulerEvent cleanup = new SchedulerEvent.ShuffleUnreachable(shuffleId);
    watched.add(new Watched(dependency, () -> post.accept(cleanup), queue));
  }

  /** When persisted {@code node} is collected, its cached blocks are dropped from the executors. */
  public void registerPersisted(Node<?> node) {
    SchedulerEvent cleanup = new SchedulerEvent.NodeUnpersisted(node.id());
    watched.add(new Watched(node, () -> post.accept(cleanup), queue));
  }

  /** When local checkpoint {@code node} is collected, its files (shuffle {@code shuffleId}) go. */
  public void registerLocalCheckpoint(Node<?> node, int shuffleId) {
    SchedulerEvent cleanup = new SchedulerEvent.LocalCheckpointUnreachable(shuffleId);
    watched.add(new Watched(node, () -> post.accept(cleanup), queue));
  }

  /**
   * When {@code referent} (a {@code Broadcast}, a checkpoint's node) is collected, runs
   * {@code cleanup} on the cleaner thread. {@code cleanup} must not hold {@code referent}, or it
   * is never collected; it should be short, posting work or one file-system call (deleting a
   * checkpoint's directory): it runs on the cleaner's one thread.
   */
  public void register(Object referent, Runnable cleanup) {
    watched.add(new Watched(referent, cleanup, queue));
  }

  private void run() {
    while (!stopped) {
      try {
        Reference<?> ref = queue.remove(200);
        if (ref instanceof Watched w && watched.remove(w)) {
          w.cleanup.run();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("Context cleaner: a clean-up could not be posted", e);
      }
    }
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
