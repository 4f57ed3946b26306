package io.weft.executor;

import java.io.IOException;

/**
 * Where an executor whose driver went away finds the driver that replaced it: on YARN, the
 * ApplicationMaster of the application's next attempt publishes its address in the staging
 * directory ({@code io.weft.yarn.DriverAddressFile}). {@link ExecutorProcess} asks it over and
 * over, within {@code weft.executor.reconnect.timeout}, until it names a driver other than the
 * lost one (a later attempt, see {@link Address#replaces}); then the executor reconnects,
 * authenticates with the same application secret and registers again under its own id, keeping
 * its shuffle files.
 *
 * <p>Called on the executor's main thread only; may block on a file system, briefly.
 */
public interface DriverLocator {
  /**
   * A driver's address and the application attempt it belongs to ({@link #UNKNOWN_ATTEMPT} when
   * not known). A new attempt's driver may listen on the same host and port as the lost one (a
   * fixed driver port), so the attempt, when known, is what tells a new driver from the lost one.
   */
  record Address(String host, int port, int attempt) {
    public static final int UNKNOWN_ATTEMPT = -1;

    public Address(String host, int port) {
      this(host, port, UNKNOWN_ATTEMPT);
    }

    /**
     * Whether this published address is a driver other than {@code lost}: a later attempt when
     * both attempts are known, else (no attempt to compare) another host or port.
     */
    public boolean replaces(Address lost) {
      if (attempt != UNKNOWN_ATTEMPT && lost.attempt != UNKNOWN_ATTEMPT) {
        return attempt > lost.attempt;
      }
      return !(host.equals(lost.host) && port == lost.port);
    }

    @Override
    public String toString() {
      return host + ":" + port + (attempt == UNKNOWN_ATTEMPT ? "" : " (attempt " + attempt + ")");
    }
  }

  /** The most recently published driver address, or null when none is published (yet). */
  Address latest() throws IOException;
}
