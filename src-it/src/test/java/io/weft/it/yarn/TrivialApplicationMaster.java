package io.weft.it.yarn;

import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * The smallest real ApplicationMaster: registers with the ResourceManager, unregisters with
 * SUCCEEDED and exits. It runs in a YARN container from a shipped jar (see YarnClusterIT), so
 * it proves that the shipped configuration and classpath are enough to reach the RM.
 *
 * <p>Threading: the main thread only. Failure: any exception ends the JVM with a stack trace
 * on stderr (in the container log) and a non-zero exit, which YARN reports as FAILED.
 */
public final class TrivialApplicationMaster {
  private TrivialApplicationMaster() {}

  public static void main(String[] args) throws Exception {
    // The conf dir is first on the classpath: this finds the RM's scheduler address there.
    YarnConfiguration conf = new YarnConfiguration();
    AMRMClient<ContainerRequest> rm = AMRMClient.createAMRMClient();
    rm.init(conf);
    rm.start();
    try {
      rm.registerApplicationMaster("", 0, "");
      System.out.println("TrivialApplicationMaster registered with " + conf.get(YarnConfiguration.RM_SCHEDULER_ADDRESS));
      rm.unregisterApplicationMaster(FinalApplicationStatus.SUCCEEDED, "trivial AM done", null);
      System.out.println("TrivialApplicationMaster unregistered");
    } finally {
      rm.stop();
    }
  }
}
