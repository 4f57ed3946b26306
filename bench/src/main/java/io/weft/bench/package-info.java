/**
 * Benchmark inputs and the benchmark driver. The generators write deterministic data (the same
 * seed and size always give the same bytes) through an {@link io.weft.bench.OutputFactory}, so
 * integration tests can write them to a local directory or to HDFS; {@link
 * io.weft.bench.Benchmark} times the examples on them ({@code bin/weft bench}).
 */
package io.weft.bench;
