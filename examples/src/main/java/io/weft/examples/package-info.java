/**
 * Example programs, written as a user would write them against Weft's public API. Their
 * command-line contracts are stable: tests, the quickstart and the benchmark run them.
 */
package io.weft.examples;
