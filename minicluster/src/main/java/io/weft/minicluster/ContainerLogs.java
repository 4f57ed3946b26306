package io.weft.minicluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prints the files the NodeManagers kept for an application's containers:
 * {@code <log-dir>/<appId>/<containerId>/} holds stdout, stderr and whatever the container
 * logged, and, next to them, {@code launch_container.sh} and {@code directory.info} (the
 * command line, environment and localized files: what explains a failed launch).
 *
 * <p>Threading: stateless; reading files of running containers is fine (we print what is
 * there). Failure: never throws; unreadable files are reported in the output.
 */
final class ContainerLogs {
  /** Long files are cut to their tail: the end is where a container says why it died. */
  private static final int MAX_CHARS_PER_FILE = 16_000;

  private ContainerLogs() {}

  static void print(List<Path> logDirs, String applicationId, PrintStream out) {
    boolean any = false;
    for (Path logDir : logDirs) {
      Path appDir = logDir.resolve(applicationId);
      if (!Files.isDirectory(appDir)) {
        continue;
      }
      any = true;
      try (Stream<Path> containers = Files.list(appDir)) {
        for (Path container : containers.sorted().toList()) {
          printContainer(container, out);
        }
      } catch (IOException e) {
        out.println("---- cannot list " + appDir + ": " + e);
      }
    }
    if (!any) {
      out.println("---- no container logs of " + applicationId + " under " + logDirs);
    }
  }

  private static void printContainer(Path container, PrintStream out) throws IOException {
    out.println("==== container " + container.getFileName() + " (" + container + ")");
    try (Stream<Path> files = Files.walk(container)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        printFile(f, container.relativize(f).toString(), out);
      }
    }
  }

  private static void printFile(Path file, String name, PrintStream out) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      boolean cut = text.length() > MAX_CHARS_PER_FILE;
      out.println("---- " + name + " (" + text.length() + " chars" + (cut ? ", tail" : "") + ")");
      out.println(cut ? text.substring(text.length() - MAX_CHARS_PER_FILE) : text);
    } catch (IOException e) {
      out.println("---- " + name + ": cannot read (" + e + ")");
    }
  }
}
