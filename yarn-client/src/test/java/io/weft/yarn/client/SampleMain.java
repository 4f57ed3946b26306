package io.weft.yarn.client;

/** A top-level main class for tests that put it in a jar (a "did you mean" suggests top-level classes). */
public final class SampleMain {
  private SampleMain() {}

  public static void main(String[] args) {}
}
