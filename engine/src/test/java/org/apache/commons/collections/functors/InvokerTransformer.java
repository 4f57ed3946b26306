package org.apache.commons.collections.functors;

/**
 * A harmless stand-in with the name of Commons Collections' gadget class (the first link of the
 * ysoserial CommonsCollections chains), so the deserialization filter can be tested without the
 * library: the filter refuses by name.
 */
public final class InvokerTransformer implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public final String method;

  public InvokerTransformer(String method) {
    this.method = method;
  }
}
