package io.weft.recovery;

import io.weft.plan.Dependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.plan.ShuffleDependency;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic fingerprint (SHA-256, hex) of the lineage that computes a node: what decides
 * whether a journal record of an earlier ApplicationMaster attempt describes the same computation
 * as what this attempt's {@code main} asks for. Two runs of the same program over the same inputs
 * give the same fingerprint; anything else should differ, and when in doubt there is no
 * fingerprint at all (the caller then recomputes).
 *
 * <p>What goes in, walking the lineage from {@code node} to its sources:
 * <ul>
 *   <li>each node's class, partition count and partitioner, and the serialized bytes of its own
 *       (non-transient) fields: the user's functions (a serializable lambda serializes as its
 *       implementing class and method plus its captured values), aggregators, orderings;
 *       parent nodes in fields are walked instead;
 *   <li>each dependency's type and, for a shuffle, its partitioner, aggregator, key ordering and
 *       map-side combine (not the shuffle id, a counter);
 *   <li>each partition's serialized form without its preferred {@code hosts} (block placement may
 *       change); a {@code path} or {@code file} component adds that file's length and modification
 *       time, so an input rewritten between attempts changes the fingerprint.
 * </ul>
 * Node ids and names are left out: ids count nodes in creation order, which a deterministic
 * {@code main} repeats anyway.
 *
 * <p>Runs on the driver (it may stat input files). Thread-safe (each call has its own walk).
 */
public final class LineageFingerprint {
  private static final Logger LOG = LoggerFactory.getLogger(LineageFingerprint.class);
  private LineageFingerprint() {}

  /** The fingerprint of {@code node}'s lineage, or empty if some part cannot be fingerprinted. */
  public static Optional<String> of(Node<?> node, Configuration conf) {
    return fingerprint(node.toString(), conf, walk -> walk.node(node));
  }

  /** The fingerprint of a shuffle's map side: the dependency's own settings and its parent's lineage. */
  public static Optional<String> ofShuffle(ShuffleDependency<?, ?, ?> dep, Configuration conf) {
    return fingerprint("shuffle " + dep.shuffleId(), conf, walk -> walk.dependency(dep));
  }

  private interface Step {
    void run(Walk walk) throws IOException;
  }

  private static Optional<String> fingerprint(String what, Configuration conf, Step step) {
    try {
      Walk walk = new Walk(sha256(), conf, new IdentityHashMap<>(), new HashMap<>(), new IdentityHashMap<>());
      step.run(walk);
      return Optional.of(HexFormat.of().formatHex(walk.digest().digest()));
    } catch (IOException | RuntimeException e) {
      LOG.info("No lineage fingerprint for {} ({}): a later attempt recomputes it", what, e.toString());
      return Optional.empty();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * One walk: {@code nodes} holds the digest of every node already walked, so a node reached
   * twice (a field and a dependency naming the same parent, a diamond in the lineage, an
   * iterative job's shared inputs) is hashed once and the walk stays linear in the lineage's size;
   * {@code files} holds each input file's length and modification time, statted once; and
   * {@code partitions} numbers the partitions already hashed, nested ones included.
   */
  private record Walk(MessageDigest digest, Configuration conf, IdentityHashMap<Node<?>, byte[]> nodes,
      Map<String, String> files, IdentityHashMap<Object, Integer> partitions) {
    void text(String s) {
      digest.update(s.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }

    void node(Node<?> node) throws IOException {
      byte[] known = nodes.get(node);
      if (known == null) {
        Walk own = new Walk(sha256(), conf, nodes, files, partitions);
        own.nodeItself(node);
        known = own.digest().digest();
        nodes.put(node, known);
      }
      digest.update(known);
    }

    private void nodeItself(Node<?> node) throws IOException {
      text("node " + node.getClass().getName() + " " + node.numPartitions());
      text("partitioner");
      bytes(node.partitioner());
      for (Field f : ownFields(node.getClass())) {
        text("field " + f.getName());
        value(read(f, node));
      }
      for (Partition p : node.partitions()) {
        partition(p);
      }
      for (Dependency dep : node.dependencies()) {
        dependency(dep);
      }
    }

    void dependency(Dependency dep) throws IOException {
      text("dependency " + dep.getClass().getName());
      if (dep instanceof ShuffleDependency<?, ?, ?> s) {
        bytes(s.partitioner());
        bytes(s.aggregator());
        bytes(s.keyOrdering());
        text(Boolean.toString(s.mapSideCombine()));
      }
      node(dep.parent());
    }

    /** A field's value: nodes are walked, dependencies come through dependencies(), the rest is bytes. */
    void value(Object v) throws IOException {
      if (v instanceof Node<?> n) {
        node(n);
      } else if (v instanceof Dependency) {
        text("dep");
      } else if (v instanceof Collection<?> c && !c.isEmpty()
          && c.stream().allMatch(e -> e instanceof Node<?> || e instanceof Dependency)) {
        for (Object e : c) {
          value(e);
        }
      } else {
        bytes(v);
      }
    }

    void partition(Object p) throws IOException {
      Integer seen = partitions.get(p);
      if (seen != null) {
        // a partition nested in several (unions over coalesces...): hashed once, then named by
        // its place in the walk's order, which the same program repeats
        text("partition-ref " + seen);
        return;
      }
      partitions.put(p, partitions.size());
      if (!(p instanceof Record)) {
        bytes(p);
        return;
      }
      text("partition " + p.getClass().getName());
      for (RecordComponent c : p.getClass().getRecordComponents()) {
        Object v = component(c, p);
        if (c.getName().equals("hosts")) {
          continue;
        }
        if ((c.getName().equals("path") || c.getName().equals("file")) && v instanceof String path) {
          text(path + " " + fileStamp(path));
        } else if (v instanceof Partition nested) {
          partition(nested);
        } else if (v instanceof List<?> list && list.stream().allMatch(e -> e instanceof Partition)) {
          for (Object e : list) {
            partition(e);
          }
        } else {
          bytes(v);
        }
      }
    }

    private String fileStamp(String path) throws IOException {
      String stamp = files.get(path);
      if (stamp == null) {
        FileStatus st = new Path(path).getFileSystem(conf).getFileStatus(new Path(path));
        stamp = st.getLen() + " " + st.getModificationTime();
        files.put(path, stamp);
      }
      return stamp;
    }

    void bytes(Object v) throws IOException {
      if (v == null) {
        text("null");
        return;
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(buf)) {
        out.writeObject(v);
      }
      digest.update(buf.toByteArray());
    }
  }

  private static List<Field> ownFields(Class<?> c) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> k = c; k != null && k != Node.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) {
          fields.add(f);
        }
      }
    }
    fields.sort(java.util.Comparator.comparing(Field::getName));
    return fields;
  }

  private static Object read(Field f, Object target) {
    try {
      f.setAccessible(true);
      return f.get(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + f, e);
    }
  }

  private static Object component(RecordComponent c, Object record) {
    try {
      c.getAccessor().setAccessible(true);
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + c, e);
    }
  }
}
