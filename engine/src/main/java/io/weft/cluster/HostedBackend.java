package io.weft.cluster;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The backend factory a program host hands to the one application it runs in its JVM.
 *
 * <p>Why it exists: the YARN ApplicationMaster runs the user's {@code main} in its own JVM, and
 * the {@code WeftContext} that main creates must use the AM's registered YARN clients. A factory
 * found by {@link java.util.ServiceLoader} is constructed without arguments and cannot be given
 * them; user code calls {@code WeftContext.create(conf)} and cannot pass them either. So the host
 * constructs its factory with everything it needs and binds it for the run of main
 * ({@link #bind}); {@code WeftContext} asks {@link #bound} before ServiceLoader. This is the one
 * hand-off across user code: everything behind the factory is passed explicitly.
 *
 * <p>Scope: the whole JVM, from {@link #bind} until the binding is closed, so a context created on
 * any thread of the program (its own pools, the common fork-join pool) finds it, and no thread
 * keeps it afterwards. One program at a time: a second {@link #bind} while one is open fails.
 * Threading: thread-safe.
 */
public final class HostedBackend {
  private static final AtomicReference<ClusterBackendFactory> BOUND = new AtomicReference<>();

  private HostedBackend() {}

  /** Ends a {@link #bind binding}. */
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Makes {@code factory} the backend factory of every context created in this JVM until the
   * returned binding is closed.
   *
   * @throws IllegalStateException when another program's factory is bound
   */
  public static Binding bind(ClusterBackendFactory factory) {
    if (factory == null) {
      throw new IllegalArgumentException("HostedBackend.bind needs a ClusterBackendFactory, got null");
    }
    if (!BOUND.compareAndSet(null, factory)) {
      throw new IllegalStateException("A hosted program's backend factory (" + BOUND.get()
          + ") is already bound in this JVM: one program at a time");
    }
    return () -> BOUND.compareAndSet(factory, null);
  }

  /** The bound factory, if there is one and it accepts {@code master}. */
  public static Optional<ClusterBackendFactory> bound(String master) {
    ClusterBackendFactory factory = BOUND.get();
    return factory != null && factory.accepts(master) ? Optional.of(factory) : Optional.empty();
  }
}
