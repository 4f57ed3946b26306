package io.weft.io;

/**
 * The input of a file source cannot be used: a path does not exist, a glob matches nothing, or
 * listing it failed. Thrown on the driver while a source's partitions are computed, so a job
 * with a bad input fails before a single task runs.
 *
 * <p>The message names every offending path (Hadoop reports all of them at once, one per line),
 * e.g. {@code Input path does not exist: hdfs://nn:8020/data/in}; the cause is Hadoop's own
 * exception.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
