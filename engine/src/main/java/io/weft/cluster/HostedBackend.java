package io.weft.cluster;

import java.util.Optional;

/**
 * The backend factory a program host hands to the application it runs in its own JVM.
 *
 * <p>Why it exists: the YARN ApplicationMaster runs the user's {@code main} on a driver thread of
 * its own, and the {@code WeftContext} that main creates must use the AM's registered YARN
 * clients. A factory found by {@link java.util.ServiceLoader} is constructed without arguments
 * and cannot be given them; user code calls {@code WeftContext.create(conf)} and cannot pass them
 * either. So the host constructs its factory with everything it needs and binds it to the driver
 * thread for the run of main ({@link #bind}); {@code WeftContext} asks {@link #bound} before
 * ServiceLoader. This is the one hand-off across user code: everything behind the factory is
 * passed explicitly.
 *
 * <p>Scope: the calling thread and the threads it starts while bound (as with the driver's
 * context class loader, a context must be created on the driver thread or one it started), until
 * the binding is closed. Threading: {@link #bind} and {@link Binding#close} on the host's driver
 * thread; {@link #bound} on any thread, answering for that thread.
 */
public final class HostedBackend {
  private static final InheritableThreadLocal<ClusterBackendFactory> BOUND = new InheritableThreadLocal<>();

  private HostedBackend() {}

  /** Ends a {@link #bind binding} on the thread that made it. */
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Makes {@code factory} the backend factory of every context created on the calling thread (or
   * on a thread it starts) until the returned binding is closed; replaces, and on close restores,
   * an earlier binding of this thread.
   */
  public static Binding bind(ClusterBackendFactory factory) {
    if (factory == null) {
      throw new IllegalArgumentException("HostedBackend.bind needs a ClusterBackendFactory, got null");
    }
    ClusterBackendFactory previous = BOUND.get();
    BOUND.set(factory);
    return () -> {
      if (previous == null) {
        BOUND.remove();
      } else {
        BOUND.set(previous);
      }
    };
  }

  /** The factory bound to the calling thread, if there is one and it accepts {@code master}. */
  public static Optional<ClusterBackendFactory> bound(String master) {
    ClusterBackendFactory factory = BOUND.get();
    return factory != null && factory.accepts(master) ? Optional.of(factory) : Optional.empty();
  }
}
