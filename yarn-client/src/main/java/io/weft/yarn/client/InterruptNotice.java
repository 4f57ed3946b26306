package io.weft.yarn.client;

import java.io.PrintStream;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.hadoop.yarn.api.records.ApplicationId;

/**
 * What happens when the user interrupts {@code weft submit} (Ctrl-C, SIGTERM) while it follows
 * an application on YARN: by default one line saying that the application keeps running and how
 * to stop it; with {@code weft.yarn.killOnInterrupt} ({@code --kill-on-interrupt}) the
 * application is killed. Installed as a shutdown hook for as long as the client waits; once the
 * application ended (or the client stopped waiting) it says nothing.
 *
 * <p>Threading: {@link #run} on the JVM's shutdown thread, {@link #close} on the client's.
 */
final class InterruptNotice implements Runnable, AutoCloseable {
  /** Runs before Hadoop's own hook (priority 10) closes the file systems and clients. */
  private static final int PRIORITY = 50;

  /** Kills an application; the YARN client's kill in production. */
  interface Killer {
    void kill(ApplicationId appId) throws Exception;
  }

  private final ApplicationId appId;
  private final boolean kill;
  private final Killer killer;
  private final PrintStream err;
  private volatile boolean done;

  InterruptNotice(ApplicationId appId, boolean kill, Killer killer, PrintStream err) {
    this.appId = appId;
    this.kill = kill;
    this.killer = killer;
    this.err = err;
  }

  /** Installs a notice as a shutdown hook; {@link #close} removes it. */
  static InterruptNotice install(ApplicationId appId, boolean kill, Killer killer, PrintStream err) {
    InterruptNotice notice = new InterruptNotice(appId, kill, killer, err);
    ShutdownHookManager.get().addShutdownHook(notice, PRIORITY);
    return notice;
  }

  @Override
  public void run() {
    if (done) {
      return;
    }
    if (!kill) {
      err.println("weft: interrupted; " + appId + " keeps running on YARN. Stop it with: weft kill " + appId
          + "   (follow it with: weft status " + appId + "; --kill-on-interrupt kills it on Ctrl-C)");
      return;
    }
    try {
      killer.kill(appId);
      err.println("weft: interrupted; killed " + appId + " (weft.yarn.killOnInterrupt)");
    } catch (Exception e) {
      err.println("weft: interrupted; could not kill " + appId + " (" + e.getMessage()
          + "); it may keep running: weft kill " + appId);
    }
  }

  /** The client stopped waiting (the application ended): nothing to say any more. */
  @Override
  public void close() {
    done = true;
    try {
      ShutdownHookManager.get().removeShutdownHook(this);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook has run or will see done
    }
  }
}
