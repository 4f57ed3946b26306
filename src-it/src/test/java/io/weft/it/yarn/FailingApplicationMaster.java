package io.weft.it.yarn;

/**
 * An ApplicationMaster that dies before registering, as a broken one would: YARN must report
 * the application FAILED and keep the container's stderr, launch script and directory listing
 * for the test to print.
 *
 * <p>Threading: the main thread only. Failure: that is its purpose; exits non-zero.
 */
public final class FailingApplicationMaster {
  /** What the container's stderr must contain. */
  public static final String MESSAGE = "FailingApplicationMaster gives up on purpose";

  private FailingApplicationMaster() {}

  public static void main(String[] args) {
    throw new IllegalStateException(MESSAGE);
  }
}
