package io.weft.io;

/**
 * The output directory of a save already exists. Thrown on the driver before any task runs, so
 * an earlier result is never mixed with or overwritten by a new one. The message is Hadoop's own,
 * e.g. {@code Output directory hdfs://nn:8020/data/out already exists}.
 */
public class OutputAlreadyExistsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutputAlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
