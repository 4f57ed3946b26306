package io.weft.cluster;

/**
 * An executor as the scheduler sees it: where it runs, where its block server listens (other
 * executors fetch shuffle blocks there; 0 in local mode) and how many tasks it runs at once.
 */
public record ExecutorInfo(String executorId, String host, int blockServerPort, int slots) {}
