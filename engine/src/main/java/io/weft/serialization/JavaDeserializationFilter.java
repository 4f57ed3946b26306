package io.weft.serialization;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ObjectInputFilter} every Java deserialization of the engine runs behind (task
 * binaries, task outcomes, broadcasts, the Java fallback of records): it refuses the classes
 * that well-known deserialization gadget chains are built from and caps the size of the graph a
 * stream may build, so bytes that reach a driver or an executor past the authenticated
 * transport (or a corrupted block) cannot run code or exhaust memory while being read.
 *
 * <p>The refused classes are those of the public gadget catalogues (ysoserial and its
 * successors): Commons Collections functors, Xalan's {@code TemplatesImpl}, the Spring, Groovy,
 * BeanShell, Rhino, Jython, C3P0 and Commons BeanUtils gadgets, {@code javax.management}
 * (CC5's entry point), the RMI server classes and the JDK's {@code AnnotationInvocationHandler}.
 * No Weft class, no JDK collection and no user function needs any of them.
 *
 * <p>Limits ({@link #DEFAULT_LIMITS}): graph depth 2,000, array length 512 Mi elements, 100 Mi
 * references. They are far above what a task or a broadcast needs and stop a crafted stream from
 * asking for a 2 GiB array or a stack-exhausting nesting.
 *
 * <p>Extra patterns ({@code weft.serializer.java.filter}, syntax of
 * {@link ObjectInputFilter.Config#createFilter}): class patterns are checked <em>before</em> the
 * built-in ones (so {@code !com.example.Legacy*} refuses more, and an explicit
 * {@code com.example.Needed} allows a class a built-in pattern would refuse); limits
 * ({@code maxdepth=}, {@code maxarray=}, {@code maxrefs=}, {@code maxbytes=}) replace the
 * built-in ones. A class no pattern names is allowed.
 *
 * <p>Process-wide: a driver or executor JVM runs one application, so {@link #configure} is called
 * once with the application's setting (by {@code WeftContext} and by the executor on
 * registration); streams created afterwards use it. Thread-safe.
 */
public final class JavaDeserializationFilter {
  private static final Logger LOG = LoggerFactory.getLogger(JavaDeserializationFilter.class);

  /** Gadget classes and packages; a leading {@code !} refuses, {@code .**} covers sub-packages. */
  public static final List<String> REFUSED = List.of(
      "org.apache.commons.collections.functors.*",
      "org.apache.commons.collections4.functors.*",
      "org.apache.commons.collections.Transformer",
      "org.apache.commons.collections4.Transformer",
      "org.apache.xalan.xsltc.trax.TemplatesImpl",
      "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
      "com.sun.org.apache.xalan.internal.xsltc.**",
      "org.springframework.beans.factory.**",
      "org.springframework.core.SerializableTypeWrapper*",
      "org.springframework.aop.framework.**",
      "org.springframework.transaction.jta.**",
      "org.codehaus.groovy.runtime.**",
      "groovy.lang.**",
      "bsh.**",
      "org.mozilla.javascript.**",
      "org.python.core.**",
      "com.mchange.v2.c3p0.**",
      "org.apache.commons.beanutils.BeanComparator",
      "org.apache.commons.fileupload.disk.DiskFileItem",
      "org.hibernate.tuple.component.**",
      "com.sun.rowset.JdbcRowSetImpl",
      "com.sun.jndi.**",
      "javax.management.**",
      "java.rmi.server.**",
      "java.rmi.registry.**",
      "sun.rmi.server.**",
      "sun.rmi.transport.**",
      "sun.reflect.annotation.AnnotationInvocationHandler");

  public static final String DEFAULT_LIMITS = "maxdepth=2000;maxarray=536870912;maxrefs=104857600";

  private static volatile ObjectInputFilter current = build("");

  private JavaDeserializationFilter() {}

  /** The filter new streams get. */
  public static ObjectInputFilter current() {
    return current;
  }

  /**
   * Makes {@code extraPatterns} (the value of {@code weft.serializer.java.filter}; empty for
   * none) part of the process's filter. A malformed pattern fails here, naming the setting.
   */
  public static void configure(String extraPatterns) {
    current = build(extraPatterns);
  }

  /** The filter for {@code extraPatterns}, without installing it (tests; {@link #configure}). */
  public static ObjectInputFilter build(String extraPatterns) {
    List<String> userClasses = new ArrayList<>();
    List<String> userLimits = new ArrayList<>();
    for (String p : (extraPatterns == null ? "" : extraPatterns).split(";")) {
      String t = p.trim();
      if (!t.isEmpty()) {
        (t.contains("=") ? userLimits : userClasses).add(t);
      }
    }
    List<String> all = new ArrayList<>(userClasses);
    REFUSED.forEach(r -> all.add("!" + r));
    all.add(DEFAULT_LIMITS);
    all.addAll(userLimits);
    ObjectInputFilter patterns;
    try {
      // the JDK applies limits in order, so the user's limits (last) replace the defaults
      patterns = ObjectInputFilter.Config.createFilter(String.join(";", all));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad weft.serializer.java.filter '" + extraPatterns + "': "
          + e.getMessage(), e);
    }
    return new Logging(patterns);
  }

  /**
   * What the current filter says about a class on its own (no stream, depth 1): how Kryo's
   * class names are checked ({@link FilteringClassResolver}). Arrays are judged by their
   * component type, as in a stream.
   */
  public static ObjectInputFilter.Status checkClass(Class<?> type) {
    return current.checkInput(new ClassOnly(type));
  }

  private record ClassOnly(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
    @Override
    public long arrayLength() {
      return -1;
    }

    @Override
    public long depth() {
      return 1;
    }

    @Override
    public long references() {
      return 0;
    }

    @Override
    public long streamBytes() {
      return 0;
    }
  }

  /** Logs each refusal, so the operator sees which class or limit stopped a stream. */
  private record Logging(ObjectInputFilter patterns) implements ObjectInputFilter {
    @Override
    public Status checkInput(FilterInfo info) {
      Status s = patterns.checkInput(info);
      if (s == Status.REJECTED) {
        LOG.warn("Refused to deserialize {} (depth {}, array length {}, references {}): "
            + "a refused gadget class or over a limit (weft.serializer.java.filter)",
            info.serialClass() == null ? "a stream" : info.serialClass().getName(),
            info.depth(), info.arrayLength(), info.references());
      }
      return s;
    }
  }
}
