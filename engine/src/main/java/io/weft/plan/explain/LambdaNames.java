package io.weft.plan.explain;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Names the API operation that made a serializable lambda, from the name javac gives its body:
 * a lambda written inside {@code Dataset.flatMap} compiles to a method
 * {@code lambda$flatMap$0}, so its operation is {@code flatMap}. That lets {@code explain()} say
 * "flatMap" for a {@code MapPartitionsNode} without every transformation labelling its node.
 */
final class LambdaNames {
  private LambdaNames() {}

  /** The enclosing method's name, or null if {@code fn} is not a serializable lambda. */
  static String enclosingMethod(Object fn) {
    if (!(fn instanceof Serializable) || !fn.getClass().getName().contains("$$Lambda")) {
      return null;
    }
    try {
      Method replace = fn.getClass().getDeclaredMethod("writeReplace");
      replace.setAccessible(true);
      if (!(replace.invoke(fn) instanceof SerializedLambda lambda)) {
        return null;
      }
      String impl = lambda.getImplMethodName();
      if (!impl.startsWith("lambda$")) {
        return impl; // a method reference: its target's name
      }
      int end = impl.indexOf('$', "lambda$".length());
      String method = end < 0 ? impl.substring("lambda$".length()) : impl.substring("lambda$".length(), end);
      // Dataset.filter builds its node in filterNode (shared with PairDataset.filter)
      return method.endsWith("Node") ? method.substring(0, method.length() - "Node".length()) : method;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // not introspectable here (a security manager, a future JDK): explain() omits the name
    }
  }
}
