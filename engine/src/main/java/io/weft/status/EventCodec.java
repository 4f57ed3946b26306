package io.weft.status;

import io.weft.executor.TaskMetrics;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns {@link ListenerEvent}s into JSON objects and back, from the records' own components, so
 * a new event type is logged and read back with no code here: {@code {"Event":"TaskEnded",
 * "stageId":1,...}}. Nested records become objects, enums their names, {@link TaskMetrics} an
 * object of its counters. An event type this version does not know decodes to null (a newer
 * writer's log still loads).
 */
public final class EventCodec {
  private static final Map<String, Class<?>> TYPES = new ConcurrentHashMap<>();

  static {
    for (Class<?> c : ListenerEvent.class.getPermittedSubclasses()) {
      TYPES.put(c.getSimpleName(), c);
    }
  }

  /** A record type's components and canonical constructor, looked up once per type. */
  private record Shape(RecordComponent[] components, Constructor<?> constructor) {}

  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      RecordComponent[] comps = type.getRecordComponents();
      Class<?>[] types = new Class<?>[comps.length];
      for (int i = 0; i < comps.length; i++) {
        types[i] = comps[i].getType();
      }
      try {
        return new Shape(comps, type.getDeclaredConstructor(types));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("no canonical constructor in " + type.getName(), e);
      }
    }
  };

  private static final List<Field> METRIC_FIELDS = metricFields();

  private EventCodec() {}

  /** One line of the event log: the event as a JSON object, no line break. */
  public static String toJson(ListenerEvent event) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("Event", event.getClass().getSimpleName());
    map.putAll(encodeRecord((Record) event));
    return Json.write(map);
  }

  /** The event on one line of the log, or null when its type is unknown here. */
  public static ListenerEvent fromJson(String line) {
    Object parsed = Json.parse(line);
    if (!(parsed instanceof Map<?, ?> map) || !(map.get("Event") instanceof String name)) {
      throw new IllegalArgumentException("not an event: " + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
    }
    Class<?> type = TYPES.get(name);
    return type == null ? null : (ListenerEvent) decode(map, type);
  }

  private static Map<String, Object> encodeRecord(Record r) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (RecordComponent c : SHAPES.get(r.getClass()).components()) {
      try {
        map.put(c.getName(), encode(c.getAccessor().invoke(r)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + c.getName(), e);
      }
    }
    return map;
  }

  private static Object encode(Object v) {
    if (v instanceof Record r) {
      return encodeRecord(r);
    } else if (v instanceof Enum<?> e) {
      return e.name();
    } else if (v instanceof TaskMetrics m) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Field f : METRIC_FIELDS) {
        try {
          map.put(f.getName(), f.getLong(m));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
      return map;
    } else if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(o -> out.add(encode(o)));
      return out;
    } else if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), encode(val)));
      return out;
    }
    return v;
  }

  private static List<Field> metricFields() {
    List<Field> fields = new ArrayList<>();
    for (Field f : TaskMetrics.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers()) && f.getType() == long.class) {
        f.setAccessible(true);
        fields.add(f);
      }
    }
    return fields;
  }

  private static Object decode(Object json, Type type) {
    if (json == null) {
      return type == int.class ? 0 : type == long.class ? 0L : type == boolean.class ? false : null;
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) json) {
          out.add(decode(o, args[0]));
        }
        return out;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) json).forEach((k, v) -> out.put((String) k, decode(v, args[1])));
      return out;
    }
    Class<?> c = (Class<?>) type;
    if (c == int.class || c == Integer.class) {
      return ((Number) json).intValue();
    } else if (c == long.class || c == Long.class) {
      return ((Number) json).longValue();
    } else if (c == double.class || c == Double.class) {
      return ((Number) json).doubleValue();
    } else if (c == boolean.class || c == Boolean.class || c == String.class || c == Object.class) {
      return json;
    } else if (c.isEnum()) {
      return enumValue(c, (String) json);
    } else if (c == TaskMetrics.class) {
      return decodeMetrics((Map<?, ?>) json);
    } else if (c.isRecord()) {
      return decodeRecord((Map<?, ?>) json, c);
    }
    throw new IllegalArgumentException("cannot decode " + c.getName() + " from the event log");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> c, String name) {
    return Enum.valueOf((Class) c, name);
  }

  private static TaskMetrics decodeMetrics(Map<?, ?> json) {
    TaskMetrics m = new TaskMetrics();
    for (Field f : METRIC_FIELDS) {
      if (json.get(f.getName()) instanceof Number n) {
        try {
          f.setLong(m, n.longValue());
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return m;
  }

  private static Object decodeRecord(Map<?, ?> json, Class<?> c) {
    Shape shape = SHAPES.get(c);
    RecordComponent[] comps = shape.components();
    Object[] args = new Object[comps.length];
    for (int i = 0; i < comps.length; i++) {
      args[i] = decode(json.get(comps[i].getName()), comps[i].getGenericType());
    }
    try {
      return shape.constructor().newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot build " + c.getSimpleName() + " from the event log", e);
    }
  }
}
