package io.weft.it.apps;

/** A YARN test application whose input is missing: main throws with a message naming it. */
public final class ThrowsOnStart {
  private ThrowsOnStart() {}

  public static void main(String[] args) {
    throw new IllegalStateException("input " + args[0] + " does not exist");
  }
}
