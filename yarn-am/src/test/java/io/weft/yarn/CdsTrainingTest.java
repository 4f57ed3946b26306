package io.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which classes the CDS training run loads whole from the relocated runtime jar: Weft's, Netty's
 * and Kryo's (relocated or not), never the rest of the libraries in the same jar (Avro, Parquet,
 * relocated Guava), which would only grow the archive with classes no container loads.
 */
class CdsTrainingTest {
  @Test
  void weftNettyAndKryoAreLoadedWholeTheOtherLibrariesOfTheShadedJarAreNot() {
    assertTrue(CdsTraining.loadsWhole("io/weft/Dataset.class"));
    assertTrue(CdsTraining.loadsWhole("io/weft/shaded/io/netty/channel/Channel.class"));
    assertTrue(CdsTraining.loadsWhole("io/netty/channel/Channel.class"));
    assertTrue(CdsTraining.loadsWhole("com/esotericsoftware/kryo/Kryo.class"));
    assertFalse(CdsTraining.loadsWhole("io/weft/shaded/com/google/common/collect/ImmutableList.class"));
    assertFalse(CdsTraining.loadsWhole("org/apache/parquet/hadoop/ParquetReader.class"));
    assertFalse(CdsTraining.loadsWhole("META-INF/versions/11/io/netty/X.class"));
  }
}
