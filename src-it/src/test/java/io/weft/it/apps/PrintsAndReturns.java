package io.weft.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A YARN test application: checks what the ApplicationMaster gives it (its arguments, the
 * shipped file in the working directory, weft.master=yarn), prints, and returns. Any mismatch
 * throws, so the application FAILs with the reason as its diagnostic.
 */
public final class PrintsAndReturns {
  private PrintsAndReturns() {}

  public static void main(String[] args) throws Exception {
    if (!List.of(args).equals(List.of("hello", "two words"))) {
      throw new IllegalStateException("unexpected arguments " + List.of(args));
    }
    if (!"yarn".equals(System.getProperty("weft.master"))) {
      throw new IllegalStateException("weft.master is " + System.getProperty("weft.master"));
    }
    String shipped = Files.readString(Path.of("shipped.txt")).strip();
    System.out.println("PrintsAndReturns ran with " + List.of(args) + ", shipped.txt says " + shipped);
  }
}
