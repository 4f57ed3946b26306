package io.weft.cluster;

/**
 * Which rack a host is on, for RACK_LOCAL scheduling. A cluster backend supplies one
 * ({@link ClusterBackend#rackResolver}): the local backends know no racks; on YARN Hadoop's
 * topology mapping ({@code net.topology.*}) answers, e.g. {@code /rack1}.
 *
 * <p>{@link #rackOf} is called on the scheduler's event thread, once per host (the task scheduler
 * caches the answers), so an implementation that may be slow (a topology script) resolves ahead
 * in {@link #prefetch}, which the context calls on other threads with the hosts it is about to
 * ask about, and answers {@link #rackOf} from that cache.
 */
@FunctionalInterface
public interface RackResolver {
  /** The rack of {@code host}, or null when unknown (the host then has no RACK_LOCAL peers). */
  String rackOf(String host);

  /**
   * Resolves {@code hosts} now and remembers the answers, so later {@link #rackOf} calls for them
   * are quick. Called off the scheduler's thread (the job's caller when input splits are planned,
   * a YARN callback when a container is granted); may block. Does nothing by default.
   */
  default void prefetch(java.util.Collection<String> hosts) {}

  /** Knows no rack: RACK_LOCAL never applies. */
  RackResolver NONE = host -> null;
}
