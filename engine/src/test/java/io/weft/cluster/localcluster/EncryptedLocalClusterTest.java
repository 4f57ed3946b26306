package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * weft.network.crypto.enabled across processes: executors in child JVMs (told to encrypt through
 * their environment) register, take tasks, and fetch each other's shuffle blocks (file regions
 * read into sealed records) over encrypted connections; the result equals a plain-Java sum.
 */
@Timeout(180)
class EncryptedLocalClusterTest {
  @TempDir
  Path localDir;

  @Test
  void aShuffleBetweenExecutorJvmsIsCorrectWithEncryptionOn() {
    Random r = new Random(7);
    List<Pair<Integer, String>> data = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      data.add(Pair.of(r.nextInt(700), "v" + r.nextInt(100_000)));
    }
    Map<Integer, Long> expected = new HashMap<>();
    data.forEach(p -> expected.merge(p.key(), (long) p.value().length(), Long::sum));
    List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
    WeftConf conf = new WeftConf(false).setMaster("local-cluster[2,2,256]").setAppName("encrypted")
        .set("weft.local.dir", localDir.toString())
        .set("weft.executor.registration.timeout", "60s")
        .set("weft.network.crypto.enabled", "true");
    try (WeftContext wc = WeftContext.create(conf)) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t) {
          ends.add(t);
        }
      });
      Map<Integer, Long> result = wc.parallelizePairs(data, 8)
          .mapValues(v -> (long) v.length())
          .reduceByKey(Long::sum, 6)
          .collectAsMap();
      assertEquals(expected, result);
      wc.listenerBus().waitUntilEmpty(5_000);
    }
    Set<String> mapExecutors = new HashSet<>();
    for (ListenerEvent.TaskEnded t : ends) {
      assertTrue(t.succeeded(), String.valueOf(t.failure()));
      if (t.metrics().shuffleWriteRecords() > 0) {
        mapExecutors.add(t.executorId());
      }
    }
    assertEquals(Set.of("1", "2"), mapExecutors, "map outputs on both executors, so reducers fetched remotely");
  }
}
