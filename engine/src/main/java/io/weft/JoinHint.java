package io.weft;

/**
 * How a join should run, overriding the automatic choice (see {@code docs/JOINS.md}).
 *
 * <ul>
 *   <li>{@link #AUTO}: a broadcast hash join when one side that may be broadcast is estimated
 *       under {@code weft.join.broadcastThreshold}, else a shuffle join;
 *   <li>{@link #BROADCAST}: collect the smaller side that may be broadcast to the driver and ship
 *       it to every executor, whatever its size (it must fit in the driver's and each executor's
 *       memory). A join that must keep unmatched records of both sides ({@code fullOuterJoin})
 *       cannot be broadcast and runs as a shuffle join; {@code explain()} says why;
 *   <li>{@link #SHUFFLE}: always a shuffle join.
 * </ul>
 */
public enum JoinHint {
  AUTO,
  BROADCAST,
  SHUFFLE
}
