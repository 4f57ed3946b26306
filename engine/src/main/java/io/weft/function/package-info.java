/**
 * Serializable single-method interfaces for user functions. Every one may throw a checked
 * exception: a task that throws fails, is retried up to {@code weft.task.maxFailures} times, and
 * then fails its job with the original exception as the cause.
 */
package io.weft.function;
