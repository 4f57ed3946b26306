package io.weft.examples;

import java.util.Arrays;

/** The examples' optional first argument {@code --explain}: print the physical plan, then run. */
final class ExplainFlag {
  static final String FLAG = "--explain";

  private ExplainFlag() {}

  static boolean requested(String[] args) {
    return args.length > 0 && args[0].equals(FLAG);
  }

  /** The arguments without the flag. */
  static String[] strip(String[] args) {
    return requested(args) ? Arrays.copyOfRange(args, 1, args.length) : args;
  }
}
