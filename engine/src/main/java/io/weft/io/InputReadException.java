package io.weft.io;

/**
 * Reading one split of an input file failed inside a task: a corrupt compressed file, a
 * truncated block, a file that vanished after the job was planned. The message names the file
 * and the byte range, so the user does not have to dig the path out of a Hadoop stack trace;
 * the cause is the underlying I/O error.
 */
public class InputReadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
