package io.weft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.executor.DriverEndpoint;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM-wide hand-off of a program host's backend factory. */
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
  void everyThreadSeesItWhileBoundAndNoneAfter() throws Exception {
    Named host = new Named("hosted");
    // a pool thread started before the binding (as the common pool's may be) must see it too
    ExecutorService earlier = Executors.newSingleThreadExecutor();
    try {
      earlier.submit(() -> { }).get(10, TimeUnit.SECONDS);
      ExecutorService during;
      try (HostedBackend.Binding b = HostedBackend.bind(host)) {
        assertSame(host, HostedBackend.bound("hosted").orElseThrow());
        assertEquals(Optional.empty(), HostedBackend.bound("local[2]"), "only for the master it accepts");
        assertSame(host, earlier.submit(() -> HostedBackend.bound("hosted")).get(10, TimeUnit.SECONDS).orElseThrow(),
            "a thread started before the binding sees it");
        during = Executors.newSingleThreadExecutor();
        assertSame(host, during.submit(() -> HostedBackend.bound("hosted")).get(10, TimeUnit.SECONDS).orElseThrow());
      }
      try {
        assertTrue(HostedBackend.bound("hosted").isEmpty(), "gone once closed");
        assertTrue(during.submit(() -> HostedBackend.bound("hosted")).get(10, TimeUnit.SECONDS).isEmpty(),
            "a thread started during the binding does not keep it");
      } finally {
        during.shutdownNow();
      }
    } finally {
      earlier.shutdownNow();
    }
  }

  @Test
  void oneProgramAtATime() {
    Named first = new Named("hosted");
    try (HostedBackend.Binding b = HostedBackend.bind(first)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> HostedBackend.bind(new Named("hosted")));
      assertTrue(e.getMessage().contains("already bound"), e.getMessage());
      assertSame(first, HostedBackend.bound("hosted").orElseThrow(), "the refused bind changed nothing");
    }
    try (HostedBackend.Binding b = HostedBackend.bind(new Named("hosted"))) {
      assertTrue(HostedBackend.bound("hosted").isPresent(), "bindable again once the first is closed");
    }
  }

  @Test
  void closingAStaleBindingDoesNotUnbindTheCurrentOne() {
    HostedBackend.Binding stale = HostedBackend.bind(new Named("hosted"));
    stale.close();
    Named current = new Named("hosted");
    try (HostedBackend.Binding b = HostedBackend.bind(current)) {
      stale.close();
      assertSame(current, HostedBackend.bound("hosted").orElseThrow());
    }
  }
}
