package io.weft.bench.yarn;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The moments of one application run on YARN, in epoch milliseconds of this machine's clock (the
 * client, the ResourceManager and the containers all run on it), and the phases between them.
 *
 * <p>Where each moment comes from: {@code launched} and {@code exited} are taken by the benchmark
 * around the {@code bin/weft submit} process; {@code submitted} is the ResourceManager's
 * {@code ApplicationReport.getStartTime()}, when it accepted the submission (its
 * {@code getSubmitTime()} is 0 in Hadoop 3.5's reports); the rest are the ApplicationMaster's own log lines in
 * its container's stderr ({@code yy/MM/dd HH:mm:ss.SSS} in the container log4j layout):
 * "ApplicationMaster ... starting" (its JVM reached main: AM running), "Registered with the
 * ResourceManager", the first "Executor ... registered from" (the driver heard from an executor;
 * absent when the tasks ran inside the AM) and "Unregistering:" (logged just before the call, since
 * the ResourceManager tells the client the application finished before that call returns).
 *
 * <p>Example: launched 0, submitted 1900, AM running 3400, registered 3900, first executor 5600,
 * unregistered 6800, exited 7300 give the phases 1.9, 1.5, 0.5, 1.7, 1.2 and 0.5 s, 7.3 s in all.
 */
record RunTimeline(long launched, long submitted, AmMoments am, long exited) {

  /** The phase names, in order, as the table prints them. */
  static final List<String> PHASES = List.of("launch→submitted", "submitted→AM running",
      "AM running→registered", "registered→1st executor", "job", "unregistering→exit", "total");

  /** What the ApplicationMaster's log says, each null when the line is missing. */
  record AmMoments(Long started, Long registered, Long firstExecutor, Long unregistered) {}

  private static final Pattern LINE = Pattern.compile("^(\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\S+\\s+(\\S+): (.*)$");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yy/MM/dd HH:mm:ss.SSS");

  /** The moments in an ApplicationMaster's stderr, its timestamps read in {@code zone}. */
  static AmMoments parseAmLog(List<String> lines, ZoneId zone) {
    Long started = null;
    Long registered = null;
    Long firstExecutor = null;
    Long unregistered = null;
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      long at = LocalDateTime.parse(m.group(1), TIME).atZone(zone).toInstant().toEpochMilli();
      String logger = m.group(2);
      String msg = m.group(3);
      if (started == null && logger.equals("ApplicationMaster") && msg.startsWith("ApplicationMaster ")
          && msg.contains(" starting ")) {
        started = at;
      } else if (registered == null && msg.startsWith("Registered with the ResourceManager")) {
        registered = at;
      } else if (firstExecutor == null && msg.startsWith("Executor ") && msg.contains(" registered from ")) {
        firstExecutor = at;
      } else if (unregistered == null && msg.startsWith("Unregistering: ")) {
        unregistered = at;
      }
    }
    return new AmMoments(started, registered, firstExecutor, unregistered);
  }

  /**
   * The phases in seconds, in the order of {@link #PHASES}; null where a moment is missing. The
   * job phase runs from the first executor's registration, or, with no executor (inside the AM),
   * from the AM's registration, to its unregistration.
   */
  List<Double> phases() {
    List<Double> p = new ArrayList<>();
    p.add(seconds(launched, submitted));
    p.add(seconds(submitted, am.started()));
    p.add(seconds(am.started(), am.registered()));
    p.add(am.firstExecutor() == null ? null : seconds(am.registered(), am.firstExecutor()));
    p.add(seconds(am.firstExecutor() != null ? am.firstExecutor() : am.registered(), am.unregistered()));
    p.add(seconds(am.unregistered(), exited));
    p.add(seconds(launched, exited));
    return p;
  }

  private static Double seconds(Long from, Long to) {
    return from == null || to == null ? null : (to - from) / 1000.0;
  }
}
