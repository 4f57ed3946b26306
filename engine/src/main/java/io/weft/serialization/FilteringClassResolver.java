package io.weft.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.ObjectMap;
import java.io.ObjectInputFilter;

/**
 * Kryo's class resolver with the deserialization filter in front: a class that a Kryo record
 * names (rather than a registered id) is loaded without being initialized and checked against
 * {@link JavaDeserializationFilter#current()} (the built-in gadget list plus
 * {@code weft.serializer.java.filter}) before Kryo may make a serializer for it or instantiate
 * it. A refused class fails the read with a {@link KryoException} naming the class and the
 * setting. Classes registered by id ({@code weft.kryo.classesToRegister}) are the user's own
 * choice and are not checked.
 *
 * <p>Cost: one check per class name per codec; an allowed class is remembered (Kryo's own
 * name-to-class cache), so later records naming it are not checked again. The process's filter
 * is configured once, before any record is read (see {@link JavaDeserializationFilter}).
 *
 * <p>Not thread-safe, like the {@link com.esotericsoftware.kryo.Kryo} it belongs to.
 */
final class FilteringClassResolver extends DefaultClassResolver {
  @Override
  protected Class<?> getTypeByName(String className) {
    Class<?> known = super.getTypeByName(className);
    if (known != null) {
      return known;
    }
    Class<?> type;
    try {
      type = Class.forName(className, false, kryo.getClassLoader()); // not initialized: no static code runs
    } catch (ClassNotFoundException | LinkageError e) {
      // not null: Kryo would then retry with its own class loader, past the filter
      throw new KryoException("Unable to find class: " + className, e);
    }
    if (JavaDeserializationFilter.checkClass(type) == ObjectInputFilter.Status.REJECTED) {
      throw new KryoException("Refused to deserialize a record naming " + className
          + ": refused by the deserialization filter (a gadget class, or weft.serializer.java.filter)");
    }
    if (nameToClass == null) {
      nameToClass = new ObjectMap<>();
    }
    nameToClass.put(className, type);
    return type;
  }
}
