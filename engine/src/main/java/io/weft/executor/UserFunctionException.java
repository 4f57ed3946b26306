package io.weft.executor;

/**
 * Carries a checked exception thrown by a user function through iterator code that cannot
 * declare it. The executor unwraps it, so the job fails with the user's original exception.
 */
public final class UserFunctionException extends RuntimeException {
  public UserFunctionException(Throwable cause) {
    super(cause);
  }

  /** Rethrows unchecked exceptions and errors as they are; wraps checked ones. */
  public static RuntimeException wrap(Exception e) {
    if (e instanceof RuntimeException re) {
      return re;
    }
    return new UserFunctionException(e);
  }
}
