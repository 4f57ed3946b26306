package io.weft.io.avro;

/**
 * A reader (or projection) schema cannot be resolved against the schema a file was written with.
 * The message names the file and, for each problem, the reader's and the file's side.
 */
public class SchemaMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SchemaMismatchException(String message) {
    super(message);
  }
}
