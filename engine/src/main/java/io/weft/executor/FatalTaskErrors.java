package io.weft.executor;

import io.weft.scheduler.TaskEndReason;
import io.weft.serialization.JavaSerializer;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Task failures that retrying the same way cannot fix, turned into a {@link TaskEndReason} that
 * says what to change.
 *
 * <ul>
 *   <li>A {@link VirtualMachineError} ({@code OutOfMemoryError}, {@code StackOverflowError},
 *       {@code InternalError}): the JVM that threw it is no longer trustworthy (a half-finished
 *       allocation may have left any object broken). In an executor JVM the executor reports the
 *       failure and ends the JVM; the cluster manager replaces it and the retry, counted against
 *       {@code weft.task.maxFailures}, runs in a fresh JVM. In local mode the JVM is the driver's
 *       own, so the task is not retried at all: the job fails at once. Either way an
 *       {@code OutOfMemoryError}'s message names the heap setting to raise.
 *   <li>A class that cannot be found: it will not appear by retrying, so the failure is not
 *       retryable. {@link JavaSerializer} makes sure the missing class, not a follow-on
 *       {@code ClassCastException}, is what arrives here.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class FatalTaskErrors {
  private FatalTaskErrors() {}

  /** Where an executor runs: which heap a task's memory comes from, and whether the JVM is its own. */
  public record Placement(String jvm, String heapSetting, boolean ownJvm) {
    /** Local mode: tasks run in the driver's JVM, which must not be ended for one task. */
    public static Placement driverJvm() {
      return new Placement("the driver's JVM (local mode runs tasks there)",
          "give the driver more heap with -Xmx (for bin/weft, in WEFT_JAVA_OPTS)", false);
    }

    /** An executor in its own JVM; {@code heapSetting} says how its heap is sized. */
    public static Placement executorJvm(String executorId, String heapSetting) {
      return new Placement("executor " + executorId + "'s JVM", heapSetting, true);
    }
  }

  /** The first {@link VirtualMachineError} in {@code t}'s cause chain, or null. */
  public static VirtualMachineError vmError(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof VirtualMachineError e) {
        return e;
      }
    }
    return null;
  }

  /**
   * The end reason of a task that hit {@code error} in {@code where}. Built defensively: right
   * after an {@code OutOfMemoryError} even the stack trace may not fit, and the reason must
   * still get out.
   */
  public static TaskEndReason vmErrorReason(VirtualMachineError error, Placement where) {
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;
    String what = error instanceof OutOfMemoryError
        ? "the task ran out of memory (" + error.getMessage() + ") in " + where.jvm() + ", heap "
            + heapMb + " MiB; " + where.heapSetting()
        : "the task hit a fatal JVM error (" + error + ") in " + where.jvm();
    String message = what + (where.ownJvm()
        ? "; that JVM was stopped, a retry runs in another"
        : "; not retried in the same JVM");
    TaskEndReason.Retry retry = where.ownJvm() ? TaskEndReason.Retry.ELSEWHERE : TaskEndReason.Retry.NEVER;
    try {
      VirtualMachineError copy = error instanceof OutOfMemoryError
          ? new OutOfMemoryError(message) : new InternalError(message);
      copy.setStackTrace(error.getStackTrace());
      return failure(copy, retry);
    } catch (Throwable again) {
      return new TaskEndReason.ExceptionFailure(error.getClass().getName(), message, null, null, retry);
    }
  }

  /**
   * The end reason of a task that could not load a class, or null if {@code t} is not about a
   * missing class. {@code NoClassDefFoundError}s count too (code that ran and referred to the
   * class), except "could not initialize class", which is a failed static initializer.
   */
  public static TaskEndReason missingClassReason(Throwable t) {
    String name = missingClassName(t);
    if (name == null) {
      return null;
    }
    // the original chain stays as the cause: it shows where the class was needed
    return failure(new ClassNotFoundException(
        name + ", not on the executors' class path: add it with --jars", t), TaskEndReason.Retry.NEVER);
  }

  static String missingClassName(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof ClassNotFoundException cnf && cnf.getMessage() != null) {
        return cnf.getMessage();
      }
      if (c instanceof NoClassDefFoundError ncdf && ncdf.getMessage() != null
          && !ncdf.getMessage().startsWith("Could not initialize class")) {
        return ncdf.getMessage().replace('/', '.');
      }
    }
    return null;
  }

  private static TaskEndReason failure(Throwable error, TaskEndReason.Retry retry) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    byte[] serialized;
    try {
      serialized = JavaSerializer.instance().serialize(error);
    } catch (RuntimeException e) {
      serialized = null;
    }
    return new TaskEndReason.ExceptionFailure(error.getClass().getName(), error.getMessage(),
        trace.toString(), serialized, retry);
  }
}
