package io.weft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.executor.DriverEndpoint;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The thread-scoped hand-off of a program host's backend factory. */
@Timeout(30)
class HostedBackendTest {

  /** A factory for one master name that never makes a backend: only its identity matters here. */
  private record Named(String master) implements ClusterBackendFactory {
    @Override
    public boolean accepts(String m) {
      return m.equals(master);
    }

    @Override
    public ClusterBackend create(WeftConf conf, DriverEndpoint driver) {
      throw new UnsupportedOperationException("not used");
    }
  }

  @Test
  void boundOnThisThreadAndThreadsItStartsUntilClosed() throws Exception {
    Named host = new Named("hosted");
    try (HostedBackend.Binding b = HostedBackend.bind(host)) {
      assertSame(host, HostedBackend.bound("hosted").orElseThrow());
      assertEquals(Optional.empty(), HostedBackend.bound("local[2]"), "only for the master it accepts");
      assertSame(host, onNewThread().orElseThrow(), "a thread the driver starts sees it");
    }
    assertTrue(HostedBackend.bound("hosted").isEmpty(), "gone once closed");
    assertTrue(onNewThread().isEmpty(), "threads started after the run see nothing");
  }

  @Test
  void otherThreadsDoNotSeeIt() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    CompletableFuture<Void> bound = new CompletableFuture<>();
    Thread driver = new Thread(() -> {
      try (HostedBackend.Binding b = HostedBackend.bind(new Named("hosted"))) {
        bound.complete(null);
        release.join();
      }
    }, "test-driver");
    driver.start();
    bound.get(10, TimeUnit.SECONDS);
    try {
      assertTrue(HostedBackend.bound("hosted").isEmpty(), "not on a thread that did not bind it");
    } finally {
      release.complete(null);
      driver.join(10_000);
    }
  }

  @Test
  void aNestedBindingRestoresTheOuterOne() {
    Named outer = new Named("hosted");
    Named inner = new Named("hosted");
    try (HostedBackend.Binding o = HostedBackend.bind(outer)) {
      try (HostedBackend.Binding i = HostedBackend.bind(inner)) {
        assertSame(inner, HostedBackend.bound("hosted").orElseThrow());
      }
      assertSame(outer, HostedBackend.bound("hosted").orElseThrow());
    }
  }

  private static Optional<ClusterBackendFactory> onNewThread() throws Exception {
    CompletableFuture<Optional<ClusterBackendFactory>> seen = new CompletableFuture<>();
    Thread t = new Thread(() -> seen.complete(HostedBackend.bound("hosted")));
    t.start();
    return seen.get(10, TimeUnit.SECONDS);
  }
}
