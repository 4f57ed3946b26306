package io.weft;

/**
 * A key that Weft cannot partition or group correctly: an array (arrays hash and compare by
 * identity, so two arrays with equal contents would be two keys). Thrown where keys are first
 * hashed, in the task that shuffles or groups them; the message names the key type, the
 * operation when known, and a wrapper to use instead. It can never succeed on retry.
 */
public class UnsupportedKeyException extends WeftException {
  public UnsupportedKeyException(String message) {
    super(message);
  }

  /** For an array key of class {@code arrayClass}. */
  static UnsupportedKeyException array(Class<?> arrayClass) {
    String type = arrayClass.getComponentType().getTypeName() + "[]";
    String wrapper = arrayClass == byte[].class ? "ByteBuffer.wrap(bytes)"
        : arrayClass.getComponentType().isPrimitive() ? "a List of its values (or a ByteBuffer for bytes)"
        : "List.of(array) / Arrays.asList(array)";
    return new UnsupportedKeyException(type + " cannot be a key: arrays hash and compare by identity, so"
        + " equal contents would not be grouped together; wrap the key, e.g. with " + wrapper);
  }

  /** The same failure, prefixed with the operation that met the key ({@code reduceByKey}...). */
  public UnsupportedKeyException in(String operation) {
    if (getMessage().startsWith(operation + ": ")) {
      return this;
    }
    UnsupportedKeyException e = new UnsupportedKeyException(operation + ": " + getMessage());
    e.setStackTrace(getStackTrace());
    return e;
  }
}
