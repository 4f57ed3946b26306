package io.weft.executor;

import java.io.IOException;

/**
 * Where an executor whose driver went away finds the driver that replaced it: on YARN, the
 * ApplicationMaster of the application's next attempt publishes its address in the staging
 * directory ({@code io.weft.yarn.DriverAddressFile}). {@link ExecutorProcess} asks it over and
 * over, within {@code weft.executor.reconnect.timeout}, until it names a driver other than the
 * lost one; then the executor reconnects, authenticates with the same application secret and
 * registers again under its own id, keeping its shuffle files.
 *
 * <p>Called on the executor's main thread only; may block on a file system, briefly.
 */
public interface DriverLocator {
  /** A driver's address. */
  record Address(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** The most recently published driver address, or null when none is published (yet). */
  Address latest() throws IOException;
}
