package io.weft.cluster;

/**
 * Which rack a host is on, for RACK_LOCAL scheduling. A cluster backend supplies one
 * ({@link ClusterBackend#rackResolver}): the local backends know no racks; on YARN Hadoop's
 * topology mapping ({@code net.topology.*}) answers, e.g. {@code /rack1}.
 *
 * <p>Called on the scheduler's event thread, once per host (the task scheduler caches the
 * answers), so an implementation that runs a topology script must keep it quick.
 */
@FunctionalInterface
public interface RackResolver {
  /** The rack of {@code host}, or null when unknown (the host then has no RACK_LOCAL peers). */
  String rackOf(String host);

  /** Knows no rack: RACK_LOCAL never applies. */
  RackResolver NONE = host -> null;
}
