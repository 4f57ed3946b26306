package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.WeftContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's record class (with an enum, a list and a null field) as the key and a user's POJO
 * (no no-argument constructor, not Serializable, holding a map) as the value go through
 * shuffles with the default serializer, on executors in other JVMs. The classes are compiled
 * here into a directory the engine's class loader cannot see and loaded on the driver by a
 * user-jar class loader, as {@code weft submit} does: Kryo must resolve them through the task's
 * context class loader. Results are compared with the same computation in plain Java.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class UserTypesThroughShuffleTest {
  private static final String VISIT = "com.example.UserTypes$Visit";

  @TempDir
  static Path dir;
  private static Path classes;

  @BeforeAll
  static void compile() throws Exception {
    classes = compileUserTypes(dir.resolve("user"));
  }

  @Test
  void reduceAndGroupAcrossExecutorJvms() throws Exception {
    runAndCompare("local-cluster[2,1,512]", "");
  }

  @Test
  void reduceAndGroupAcrossExecutorJvmsWithRegisteredClasses() throws Exception {
    runAndCompare("local-cluster[2,1,512]", VISIT + ",com.example.UserTypes$Tally,com.example.UserTypes$Kind");
  }

  @Test
  void reduceAndGroupInLocalModeThroughTheUserLoader() throws Exception {
    runAndCompare("local[2]", "");
  }

  @Test
  void javaSerializerCannotShuffleTheseTypesWhichIsWhyKryoIsThere() throws Exception {
    // the control: the same job under weft.serializer=java fails, so the passes above are Kryo's
    try (URLClassLoader user = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      withContextLoader(user, () -> {
        try (WeftContext wc = WeftContext.create(conf("local[2]", "").set("weft.serializer", "java"))) {
          Method reduced = user.loadClass("com.example.UserTypes").getMethod("reduced", WeftContext.class,
              int.class, int.class, int.class);
          InvocationTargetException e = assertThrows(InvocationTargetException.class,
              () -> reduced.invoke(null, wc, 1000, 4, 3));
          String message = String.valueOf(e.getCause().getMessage());
          assertTrue(message.contains("NotSerializableException"), message);
        }
        return null;
      });
    }
  }

  private void runAndCompare(String master, String registered) throws Exception {
    try (URLClassLoader user = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> types = user.loadClass("com.example.UserTypes");
      // the executors' class path is the driver's plus the context loader's jars (weft submit's)
      withContextLoader(user, () -> {
        try (WeftContext wc = WeftContext.create(conf(master, registered))) {
          int n = 20_000;
          Method reduced = types.getMethod("reduced", WeftContext.class, int.class, int.class, int.class);
          Method expectedReduced = types.getMethod("expectedReduced", int.class);
          assertEquals(expectedReduced.invoke(null, n), reduced.invoke(null, wc, n, 6, 4));
          Method grouped = types.getMethod("grouped", WeftContext.class, int.class, int.class, int.class);
          Method expectedGrouped = types.getMethod("expectedGrouped", int.class);
          assertEquals(expectedGrouped.invoke(null, n), grouped.invoke(null, wc, n, 6, 5));
        }
        return null;
      });
    }
  }

  private static WeftConf conf(String master, String registered) {
    return new WeftConf(false).setMaster(master).setAppName("user-types")
        .set("weft.local.dir", dir.resolve("local").toString())
        .set("weft.executor.registration.timeout", "60s")
        .set("weft.kryo.classesToRegister", registered)
        // small buffers, so both sides spill and merge records read back through Kryo
        .set("weft.shuffle.memory", "256k");
  }

  private interface Body {
    Object run() throws Exception;
  }

  private static void withContextLoader(ClassLoader loader, Body body) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      body.run();
    } finally {
      t.setContextClassLoader(saved);
    }
  }

  /** Compiles com.example.UserTypes: the user's types, the Weft job, and the plain-Java job. */
  private static Path compileUserTypes(Path root) throws Exception {
    Path src = root.resolve("src/com/example/UserTypes.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, """
        package com.example;

        import io.weft.Pair;
        import io.weft.WeftContext;
        import java.util.*;
        import java.util.stream.*;

        public final class UserTypes {
          public enum Kind { VIEW, CLICK, BUY }

          /** Not Serializable; note is null for every fourth visit. */
          public record Visit(String user, Kind kind, List<String> tags, String note) {}

          /** A POJO: no no-argument constructor, not Serializable, a map inside. */
          public static final class Tally {
            private final long count;
            private final long sum;
            private final Map<String, Integer> byTag;

            public Tally(long count, long sum, Map<String, Integer> byTag) {
              this.count = count;
              this.sum = sum;
              this.byTag = byTag;
            }

            public Tally plus(Tally o) {
              Map<String, Integer> m = new HashMap<>(byTag);
              o.byTag.forEach((k, v) -> m.merge(k, v, Integer::sum));
              return new Tally(count + o.count, sum + o.sum, m);
            }

            public String describe() {
              return count + "/" + sum + "/" + new TreeMap<>(byTag);
            }
          }

          static Visit visit(int i) {
            List<String> tags = i % 7 == 0 ? List.of() : List.of("t" + (i % 5), "x");
            return new Visit("u" + (i % 37), Kind.values()[i % 3], tags, i % 4 == 0 ? null : "n" + (i % 3));
          }

          static Tally tally(int i) {
            return new Tally(1, i, new HashMap<>(Map.of("t" + (i % 5), 1)));
          }

          static List<Integer> range(int n) {
            return IntStream.range(0, n).boxed().collect(Collectors.toList());
          }

          public static List<String> reduced(WeftContext wc, int n, int maps, int reduces) {
            return sorted(wc.parallelize(range(n), maps)
                .mapToPair(i -> Pair.of(visit(i), tally(i)))
                .reduceByKey(Tally::plus, reduces)
                .map(p -> p.key() + " -> " + p.value().describe())
                .collect());
          }

          public static List<String> grouped(WeftContext wc, int n, int maps, int reduces) {
            return sorted(wc.parallelize(range(n), maps)
                .mapToPair(i -> Pair.of(visit(i), tally(i)))
                .groupByKey(reduces)
                .map(p -> {
                  Tally t = null;
                  for (Tally v : p.value()) {
                    t = t == null ? v : t.plus(v);
                  }
                  return p.key() + " -> " + t.describe();
                })
                .collect());
          }

          public static List<String> expectedReduced(int n) {
            Map<Visit, Tally> m = new HashMap<>();
            for (int i = 0; i < n; i++) {
              m.merge(visit(i), tally(i), Tally::plus);
            }
            List<String> out = new ArrayList<>();
            m.forEach((k, v) -> out.add(k + " -> " + v.describe()));
            return sorted(out);
          }

          public static List<String> expectedGrouped(int n) {
            return expectedReduced(n);
          }

          private static List<String> sorted(List<String> rows) {
            List<String> out = new ArrayList<>(rows);
            Collections.sort(out);
            return out;
          }
        }
        """);
    Path out = Files.createDirectories(root.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests need a JDK");
    int rc = javac.run(null, null, null, "-cp", System.getProperty("java.class.path"),
        "-d", out.toString(), src.toString());
    assertEquals(0, rc, "javac failed");
    return out;
  }

  @Test
  void theUserClassesAreNotVisibleToTheEngineLoader() {
    // otherwise the tests above would not exercise the context class loader
    assertThrows(ClassNotFoundException.class, () -> Class.forName(VISIT, false, WeftContext.class.getClassLoader()));
  }
}
