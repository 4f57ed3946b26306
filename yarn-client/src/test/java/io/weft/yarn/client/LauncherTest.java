package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class LauncherTest {
  @Test
  void genericOptionsSetTheHadoopConfAndLeaveTheCommandsOwnArguments() throws IOException {
    Configuration conf = new Configuration(false);
    List<String> rest = Launcher.genericOptions(conf, List.of("-D", "yarn.resourcemanager.address=rm:8032",
        "-Dfs.defaultFS=hdfs://nn:8020", "--master", "yarn", "--class", "C", "app.jar", "-D", "x=y"));
    assertEquals("rm:8032", conf.get("yarn.resourcemanager.address"));
    assertEquals("hdfs://nn:8020", conf.get("fs.defaultFS"));
    assertEquals(List.of("--master", "yarn", "--class", "C", "app.jar", "-D", "x=y"), rest,
        "options after the first non-generic argument belong to the command and the application");
  }

  @Test
  void statusAndKillNeedAnApplicationId() {
    assertEquals(2, Launcher.run(List.of("status")));
    assertEquals(2, Launcher.run(List.of("kill", "not-an-app-id")));
  }
}
