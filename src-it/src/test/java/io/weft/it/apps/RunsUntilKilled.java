package io.weft.it.apps;

/** A YARN test application that runs for minutes: the test kills it. */
public final class RunsUntilKilled {
  private RunsUntilKilled() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("RunsUntilKilled started");
    Thread.sleep(10 * 60_000);
  }
}
