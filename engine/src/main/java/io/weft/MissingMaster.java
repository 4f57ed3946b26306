package io.weft;

import io.weft.util.ClassLocations;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The message of a {@link WeftContext} started with no {@code weft.master}: the program's
 * {@code main} was launched directly ({@code yarn jar}, {@code hadoop jar}, {@code java -cp})
 * instead of by {@code weft submit}, which always sets one. Weft refuses rather than fall back to
 * {@code local[*]}: on an edge node that would quietly run a cluster-sized job on one machine.
 *
 * <p>The message gives the {@code weft submit} command to use, with the program's main class (the
 * innermost {@code main} on the calling thread's stack) and the jar it came from, when known.
 * Stateless.
 */
final class MissingMaster {
  private MissingMaster() {}

  static String message() {
    Optional<Class<?>> main = mainClass();
    String className = main.map(Class::getName).orElse("<main class>");
    String jar = main.flatMap(ClassLocations::jarOf).map(Path::toString).orElse("<app.jar>");
    return "No master is configured (weft.master), so Weft does not know where to run this application."
        + " A program whose main is started directly (yarn jar, hadoop jar, java -cp) must be run by"
        + " weft submit instead:\n"
        + "  bin/weft submit --master yarn --class " + className + " " + jar + " [args]\n"
        + "(or --master local[N] to run it on this machine with N task slots), or set the master in"
        + " the program (WeftConf.setMaster).";
  }

  /** The class of the innermost {@code main} method on this thread's stack. */
  private static Optional<Class<?>> mainClass() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(frames -> frames.filter(f -> f.getMethodName().equals("main")).findFirst())
        .map(StackWalker.StackFrame::getDeclaringClass);
  }
}
