package io.weft.yarn.client;

import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/weft}'s entry point: {@code submit}, {@code quickstart}. The only place in Weft that
 * calls {@code System.exit}.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args)));
  }

  static int run(List<String> args) {
    if (args.isEmpty()) {
      System.err.println("Usage: weft <submit|quickstart> [arguments]\n\n" + SubmitArguments.USAGE);
      return 2;
    }
    List<String> rest = args.subList(1, args.size());
    return switch (args.get(0)) {
      case "submit" -> new WeftSubmit(System.out, System.err).run(rest);
      case "quickstart" -> new Quickstart(System.out, System.err).run(rest);
      default -> {
        System.err.println("weft: unknown command '" + args.get(0) + "' (expected submit or quickstart)");
        yield 2;
      }
    };
  }
}
