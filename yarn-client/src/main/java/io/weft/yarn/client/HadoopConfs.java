package io.weft.yarn.client;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * The client's Hadoop configuration: core-, hdfs- and yarn-site.xml as found on the class path,
 * where {@code bin/weft} (and {@code yarn jar}) put {@code HADOOP_CONF_DIR} and
 * {@code YARN_CONF_DIR}. Stateless.
 */
final class HadoopConfs {
  private HadoopConfs() {}

  static Configuration load() {
    // HdfsConfiguration registers hdfs-site.xml as a default resource; YarnConfiguration, yarn-site.xml
    return new YarnConfiguration(new HdfsConfiguration());
  }
}
