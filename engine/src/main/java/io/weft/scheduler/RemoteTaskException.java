package io.weft.scheduler;

import io.weft.WeftException;

/**
 * Stands in for a task's exception that could not be sent back as itself (its class was not
 * serializable or not on the driver's classpath): same class name, message and stack trace.
 */
public final class RemoteTaskException extends WeftException {
  private final String className;
  private final String remoteStackTrace;

  public RemoteTaskException(String className, String message, String remoteStackTrace) {
    super(className + (message == null ? "" : ": " + message));
    this.className = className;
    this.remoteStackTrace = remoteStackTrace;
  }

  public String className() {
    return className;
  }

  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}
