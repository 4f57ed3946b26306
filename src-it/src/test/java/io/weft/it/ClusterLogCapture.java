package io.weft.it;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.log4j.FileAppender;
import org.apache.log4j.Level;
import org.apache.log4j.PatternLayout;

/**
 * Copies every INFO-and-above log event of the test JVM (our code and the Hadoop daemons
 * alike) into a file, so the console can stay quiet while a failed test can still show what the
 * cluster did. Uses the log4j 1 API (reload4j) directly because the Hadoop daemons log through
 * it.
 *
 * <p>Threading: log4j appenders are thread-safe; start and stop are called from JUnit's thread.
 */
final class ClusterLogCapture {
  private final Path file;
  private final FileAppender appender;

  private ClusterLogCapture(Path file, FileAppender appender) {
    this.file = file;
    this.appender = appender;
  }

  static ClusterLogCapture start(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    FileAppender appender = new FileAppender(
        new PatternLayout("%d{HH:mm:ss,SSS} %-5p [%t] %c{1}: %m%n"), file.toString(), false);
    appender.setThreshold(Level.INFO);
    appender.setName("minicluster-capture");
    org.apache.log4j.Logger root = org.apache.log4j.Logger.getRootLogger();
    // The root may be at WARN for a quiet console; the capture wants INFO.
    if (root.getLevel() == null || root.getLevel().isGreaterOrEqual(Level.WARN)) {
      root.setLevel(Level.INFO);
    }
    root.addAppender(appender);
    return new ClusterLogCapture(file, appender);
  }

  /**
   * Prints the last {@code warnings} WARN/ERROR lines (the likely cause is usually among them,
   * long before the end) and then the last {@code lines} lines of the captured log.
   */
  void printTail(PrintStream out, int warnings, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> problems = all.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
      out.println("---- last " + Math.min(warnings, problems.size()) + " of " + problems.size()
          + " WARN/ERROR lines (" + file + ")");
      problems.subList(Math.max(0, problems.size() - warnings), problems.size()).forEach(out::println);
      out.println("---- last " + Math.min(lines, all.size()) + " of " + all.size() + " log lines");
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
    } catch (IOException e) {
      out.println("---- cannot read " + file + ": " + e);
    }
  }

  void stop() {
    org.apache.log4j.Logger.getRootLogger().removeAppender(appender);
    appender.close();
  }
}
