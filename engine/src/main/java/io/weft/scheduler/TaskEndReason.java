package io.weft.scheduler;

import java.io.Serializable;

/**
 * Why a task attempt ended without success. The scheduler reacts to each kind differently:
 * a user exception and the loss of the executor running the attempt count towards
 * {@code weft.task.maxFailures} (a task may be what kills its JVM), and a failure that no retry
 * can fix fails the stage at once; a fetch failure re-runs the lost map output instead; a kill
 * does not count against the task.
 */
public sealed interface TaskEndReason extends Serializable {
  /** A short, human-readable description for logs and job failure messages. */
  String describe();

  /**
   * The task threw. {@code exception} is the serialized exception, or null when it could not be
   * serialized; the class name, message and stack trace are always there. {@code retry} says
   * whether another attempt may succeed, and where.
   */
  record ExceptionFailure(String className, String message, String stackTrace, byte[] exception,
      Retry retry) implements TaskEndReason {
    /** A failure another attempt may get past, anywhere: the usual case. */
    public ExceptionFailure(String className, String message, String stackTrace, byte[] exception) {
      this(className, message, stackTrace, exception, Retry.ANYWHERE);
    }

    public boolean retryable() {
      return retry != Retry.NEVER;
    }

    @Override
    public String describe() {
      return className + (message == null ? "" : ": " + message);
    }
  }

  /** Whether and where a failed task may run again. Every retry counts towards {@code weft.task.maxFailures}. */
  enum Retry {
    /** On any executor, the one that ran it included. */
    ANYWHERE,
    /**
     * On another executor: the one that ran it is ending its JVM (a task's OutOfMemoryError), so
     * it gets no more tasks; its loss follows.
     */
    ELSEWHERE,
    /** Not at all: no attempt can succeed (a class missing on the executors, an OutOfMemoryError in local mode's only JVM). The stage fails at once. */
    NEVER
  }

  /** The task could not read a map output block of shuffle {@code shuffleId}. */
  record FetchFailed(String executorId, int shuffleId, int mapIndex, int reduceId, String message)
      implements TaskEndReason {
    @Override
    public String describe() {
      return "FetchFailed(executor " + executorId + ", shuffle " + shuffleId + ", map " + mapIndex
          + ", reduce " + reduceId + "): " + message;
    }
  }

  /** The executor running the task died or was removed. */
  record ExecutorLost(String executorId, String reason) implements TaskEndReason {
    @Override
    public String describe() {
      return "executor " + executorId + " lost: " + reason;
    }
  }

  /** The task was killed (job cancelled, or its output commit was denied to a duplicate). */
  record TaskKilled(String reason) implements TaskEndReason {
    @Override
    public String describe() {
      return "killed: " + reason;
    }
  }
}
