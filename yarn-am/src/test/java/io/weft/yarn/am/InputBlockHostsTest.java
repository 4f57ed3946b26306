package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.cluster.LocalityDemand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block hosts of inputs named up front, on the local file system (one block per small file, on "localhost"). */
class InputBlockHostsTest {
  @TempDir Path tmp;

  @Test
  void eachBlockOfEachFileCountsOnceForItsHostsAndAnUnlistableInputIsLeftOut() throws Exception {
    Files.createDirectories(tmp.resolve("in/sub"));
    Files.writeString(tmp.resolve("in/a.txt"), "a\n");
    Files.writeString(tmp.resolve("in/sub/b.txt"), "b\n");
    Files.writeString(tmp.resolve("c.txt"), "c\n");

    LocalityDemand d = InputBlockHosts.demandOf(new Configuration(),
        tmp.resolve("in").toUri() + ", " + tmp.resolve("c.txt").toUri() + "," + tmp.resolve("missing").toUri());

    assertEquals(new LocalityDemand(3, 3, Map.of("localhost", 3)), d);
  }
}
