package io.weft.network.endpoint;

import io.weft.executor.Executor;
import io.weft.executor.ExecutorCredentials;
import io.weft.network.protocol.Ack;
import io.weft.network.protocol.KillTask;
import io.weft.network.protocol.LaunchTask;
import io.weft.network.protocol.Messages;
import io.weft.network.protocol.RemoveBroadcast;
import io.weft.network.protocol.RemoveCachedNode;
import io.weft.network.protocol.RemoveShuffle;
import io.weft.network.protocol.StopExecutor;
import io.weft.network.protocol.UpdateCredentials;
import io.weft.network.rpc.ReplyChannel;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor's handler for what the driver sends down its control connection: launch and kill
 * tasks, drop shuffle files, cached blocks and broadcast copies, stop. Removals are acknowledged
 * once done (the driver may wait for them: {@code unpersist(true)}).
 *
 * <p>Created before the {@link Executor} exists (the executor's environment needs the control
 * connection, whose factory needs this handler, and the driver's settings, which come with the
 * registration answer), then {@link #bind bound} to it once the registration was accepted. The
 * driver may send tasks as soon as it accepted the registration: launches that arrive before
 * the bind are held and run by {@link #bind}; a stop that arrives before it stops the executor
 * as one after it would.
 *
 * <p>Threading: {@code receive} runs on a Netty thread and never blocks: launches and kills go
 * to the executor's own (non-blocking) methods; file deletion and the stop callback run on one
 * housekeeping thread owned by this handler. A lost control connection calls
 * {@code onDriverLost} (by default {@code onStop}: an executor without its driver has nothing
 * left to do; one that can find its driver's successor reconnects, {@link #unbind unbinding}
 * the old executor first). So give this handler only to the factory of the control connection,
 * not to the block-fetch pool.
 */
public final class ExecutorMessageHandler implements RpcHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorMessageHandler.class);

  private final Consumer<String> onStop;
  private final Consumer<TransportConnection> onDriverLost;
  private final ExecutorService housekeeping = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "executor-housekeeping");
    t.setDaemon(true);
    return t;
  });
  private volatile Executor executor;
  private final List<LaunchTask> beforeBind = new ArrayList<>();

  /** {@code onStop} receives the reason when the driver says stop or the connection is lost. */
  public ExecutorMessageHandler(Consumer<String> onStop) {
    this(onStop, connection -> onStop.accept("lost the connection to the driver at " + connection.remoteAddress()));
  }

  /**
   * {@code onDriverLost} receives each control connection that closed (on the housekeeping
   * thread); {@code onStop} the reason when a driver says stop.
   */
  public ExecutorMessageHandler(Consumer<String> onStop, Consumer<TransportConnection> onDriverLost) {
    this.onStop = onStop;
    this.onDriverLost = onDriverLost;
  }

  /**
   * Forgets the bound executor (its driver is gone and it is being stopped): launches from the
   * next driver are held until {@link #bind} binds the executor registered with that driver.
   */
  public synchronized void unbind() {
    this.executor = null;
  }

  /**
   * Binds the executor and runs the launches that arrived before it: the driver may send tasks
   * as soon as it accepted the registration, before the executor has read the driver's answer.
   */
  public void bind(Executor executor) {
    List<LaunchTask> early;
    synchronized (this) {
      this.executor = executor;
      early = new ArrayList<>(beforeBind);
      beforeBind.clear();
    }
    early.forEach(t -> executor.launch(TaskMessages.toTaskDescription(t)));
  }

  @Override
  public void receive(Object message, ReplyChannel reply) {
    if (message instanceof UpdateCredentials u) { // needs no executor: tokens belong to the process
      updateCredentials(u, reply);
      return;
    }
    if (executor == null) {
      synchronized (this) {
        if (executor == null && message instanceof LaunchTask t) {
          beforeBind.add(t);
          reply.reply(new Ack(null));
          return;
        }
        // a short job may end before the executor is bound: a stop then must not be lost, or
        // the executor lingers until the driver gives up on it and releases its container
        if (executor == null && message instanceof StopExecutor s) {
          later(() -> onStop.accept("the driver asked: " + s.getReason()));
          reply.reply(new Ack(null));
          return;
        }
      }
    }
    Executor ex = executor;
    if (ex == null) {
      reply.replyError("executor is not ready yet");
      return;
    }
    if (message instanceof LaunchTask t) {
      ex.launch(TaskMessages.toTaskDescription(t));
    } else if (message instanceof KillTask k) {
      LOG.info("killing task {}: {}", k.getTaskId(), k.getReason());
      ex.kill(k.getTaskId());
    } else if (message instanceof RemoveShuffle r) {
      laterThenAck(() -> ex.env().shuffleResolver().removeShuffle(r.getShuffleId()), reply);
      return;
    } else if (message instanceof RemoveCachedNode r) {
      laterThenAck(() -> ex.env().blockManager().removeNode(r.getNodeId()), reply);
      return;
    } else if (message instanceof RemoveBroadcast r) {
      laterThenAck(() -> ex.env().removeBroadcast(r.getBroadcastId()), reply);
      return;
    } else if (message instanceof StopExecutor s) {
      later(() -> onStop.accept("the driver asked: " + s.getReason()));
    } else {
      reply.replyError("an executor does not handle " + message.getClass().getSimpleName());
      return;
    }
    reply.reply(new Ack(null));
  }

  private static void updateCredentials(UpdateCredentials u, ReplyChannel reply) {
    try {
      ExecutorCredentials.add(Messages.bytes(u.getTokens()));
      reply.reply(new Ack(null));
    } catch (java.io.IOException e) {
      LOG.warn("Could not read the delegation tokens the driver sent: {}", e.toString());
      reply.replyError("unreadable credentials: " + e.getMessage());
    }
  }

  @Override
  public void connectionClosed(TransportConnection connection) {
    later(() -> onDriverLost.accept(connection));
  }

  /**
   * Runs a removal on the housekeeping thread and acknowledges it once done, so a driver that
   * asked (rather than sent) learns when the files are gone: {@code unpersist(true)}.
   */
  private void laterThenAck(Runnable removal, ReplyChannel reply) {
    boolean queued = later(() -> {
      try {
        removal.run();
        reply.reply(new Ack(null));
      } catch (RuntimeException e) {
        LOG.warn("removal failed", e);
        reply.replyError("removal failed on the executor: " + e);
      }
    });
    if (!queued) {
      reply.reply(new Ack("executor stopping: its directory goes with it"));
    }
  }

  /** Queues {@code work} on the housekeeping thread; false when the handler is closed. */
  private boolean later(Runnable work) {
    try {
      housekeeping.execute(work);
      return true;
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: the executor is already stopping, and its directory goes with it
      LOG.debug("housekeeping after close ignored");
      return false;
    }
  }

  @Override
  public void close() {
    housekeeping.shutdownNow();
  }
}
