package io.weft;

/** Base of Weft's own runtime exceptions. */
public class WeftException extends RuntimeException {
  public WeftException(String message) {
    super(message);
  }

  public WeftException(String message, Throwable cause) {
    super(message, cause);
  }
}
