package io.weft.io.avro;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A specific record as avro-tools would generate it for {@link Users#SCHEMA}, written by hand
 * (only what {@code SpecificData} needs): the schema's full name is this class's name.
 */
public class TestUser extends SpecificRecordBase {
  public static final Schema SCHEMA$ = Users.SCHEMA;

  private long id;
  private CharSequence name;
  private int age;
  private CharSequence email;

  public TestUser() {}

  public TestUser(long id, String name, int age, String email) {
    this.id = id;
    this.name = name;
    this.age = age;
    this.email = email;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    switch (field) {
      case 0: return id;
      case 1: return name;
      case 2: return age;
      case 3: return email;
      default: throw new IndexOutOfBoundsException("field " + field);
    }
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0: id = (Long) value; break;
      case 1: name = (CharSequence) value; break;
      case 2: age = (Integer) value; break;
      case 3: email = (CharSequence) value; break;
      default: throw new IndexOutOfBoundsException("field " + field);
    }
  }

  public long id() {
    return id;
  }

  public int age() {
    return age;
  }
}
