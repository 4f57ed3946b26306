package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.Test;

class AmIpFilterTest {
  @Test
  void onlyTheProxyIsServedAndOthersAreSentThrough() {
    AmIpFilter f = new AmIpFilter(Set.of("10.0.0.5"), "http://rm:8088/proxy/application_1_0001/");
    assertTrue(f.serves("10.0.0.5", "/api/v1/applications"));
    assertFalse(f.serves("10.0.0.6", "/api/v1/applications"));
    assertTrue(f.serves("10.0.0.6", "/progress"), "the client's progress line reads the AM directly");
    assertEquals("http://rm:8088/proxy/application_1_0001/api/v1/applications/x/stages/1/tasks?offset=100",
        f.redirectFor("/api/v1/applications/x/stages/1/tasks", "offset=100"));
    assertEquals("http://rm:8088/proxy/application_1_0001/", f.redirectFor("/", null));
  }

  @Test
  void theProxyAddressComesFromTheWebProxyElseTheResourceManager() {
    Configuration conf = new Configuration(false);
    conf.set(YarnConfiguration.RM_WEBAPP_ADDRESS, "localhost:8088");
    AmIpFilter f = AmIpFilter.fromConf(conf, "application_1_0001");
    assertTrue(f.serves("127.0.0.1", "/"));
    assertEquals("http://localhost:8088/proxy/application_1_0001/", f.redirectFor("/", null));
    conf.set(YarnConfiguration.PROXY_ADDRESS, "127.0.0.1:9046");
    assertEquals("http://127.0.0.1:9046/proxy/application_1_0001/x", AmIpFilter.fromConf(conf, "application_1_0001")
        .redirectFor("/x", null));
  }

  @Test
  void anUnknownProxyServesOnlyTheProgressLine() {
    Configuration conf = new Configuration(false);
    conf.set(YarnConfiguration.RM_WEBAPP_ADDRESS, "0.0.0.0:0");
    AmIpFilter f = AmIpFilter.fromConf(conf, "application_1_0001");
    assertTrue(f.serves("10.1.2.3", "/progress"));
    assertFalse(f.serves("127.0.0.1", "/"), "fails closed");
    assertFalse(f.serves("10.1.2.3", "/api/v1/applications"));
  }
}
