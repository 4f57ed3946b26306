package io.weft.scheduler.task;

import io.weft.WeftConf;
import io.weft.config.FaultToleranceOptions;
import io.weft.status.ListenerEvent;
import io.weft.util.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which executors and hosts get no tasks for a while because things keep going wrong there
 * ({@code weft.excludeOnFailure.*}, like Spark's {@code spark.excludeOnFailure.*}):
 * <ul>
 *   <li>an executor on which {@code maxFailuresPerExecutor} tasks threw within {@code timeout} is
 *       excluded (a full disk, a broken library on that machine);
 *   <li>a host with {@code maxFailedExecutorsPerHost} failed executors within {@code timeout} (each
 *       either excluded or dead: a host whose JVMs crash or are OOM-killed) is excluded, and the
 *       backend hears the new host list, so YARN is asked for no container there.
 * </ul>
 * An exclusion ends after {@code timeout}. Fetch failures and kills never count: they are not the
 * executor's fault.
 *
 * <p>Example: maxFailuresPerExecutor 2, maxFailedExecutorsPerHost 2. Executor 1 on h1 dies (h1: 1
 * failed executor); its replacement, executor 3 on h1, dies too (h1: 2): h1 is excluded, with
 * every executor on it, and YARN gets h1 on its exclusion list.
 *
 * <p>The cap: an executor or host is never excluded if that would leave no live executor outside
 * the exclusions, nor a host if it is the last one known not excluded; and should every live
 * executor end up excluded anyway (the good ones died later), the exclusions are lifted, since a
 * cluster that can run nothing is worse than one that fails some tasks again.
 *
 * <p>Expiry is checked on {@link #refresh}, which the task scheduler calls on every scheduling
 * round; executors heartbeat every few seconds, so rounds keep coming even when no task runs.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
public final class ExcludeOnFailure {
  private static final Logger LOG = LoggerFactory.getLogger(ExcludeOnFailure.class);

  /** The settings; {@link #DISABLED} excludes nothing. */
  public record Settings(boolean enabled, int maxFailuresPerExecutor, int maxFailedExecutorsPerHost, long timeoutMs) {
    public static final Settings DISABLED = new Settings(false, 1, 1, 1);

    public static Settings from(WeftConf conf) {
      return new Settings(conf.get(FaultToleranceOptions.EXCLUDE_ENABLED),
          conf.get(FaultToleranceOptions.EXCLUDE_MAX_FAILURES_PER_EXECUTOR),
          conf.get(FaultToleranceOptions.EXCLUDE_MAX_FAILED_EXECUTORS_PER_HOST),
          conf.get(FaultToleranceOptions.EXCLUDE_TIMEOUT));
    }
  }

  /** What the exclusion needs to know of the cluster for its cap: the live executors' hosts, every host seen. */
  public interface Cluster {
    Map<String, String> liveExecutorHosts();

    Set<String> knownHosts();
  }

  private final Settings settings;
  private final Clock clock;
  private final Consumer<ListenerEvent> events;
  private final Consumer<Set<String>> hostsChanged;
  private final Map<String, Deque<Long>> taskFailures = new HashMap<>();
  /** Per host, its failed (excluded or dead) executors, with when they failed. */
  private final Map<String, Map<String, Long>> failedExecutors = new HashMap<>();
  private final Map<String, Long> excludedExecutors = new HashMap<>();
  private final Map<String, Long> excludedHosts = new HashMap<>();

  /**
   * @param events where exclusions are announced (the listener bus: driver log, AM status page)
   * @param hostsChanged told the full set of excluded hosts whenever it changes (the backend)
   */
  public ExcludeOnFailure(Settings settings, Clock clock, Consumer<ListenerEvent> events,
      Consumer<Set<String>> hostsChanged) {
    this.settings = settings;
    this.clock = clock;
    this.events = events;
    this.hostsChanged = hostsChanged;
  }

  /** A task threw on {@code executorId} at {@code host}. */
  public void taskFailed(String executorId, String host, Cluster cluster) {
    if (!settings.enabled() || excludedExecutors.containsKey(executorId)) {
      return;
    }
    long now = clock.millis();
    Deque<Long> times = taskFailures.computeIfAbsent(executorId, e -> new ArrayDeque<>());
    times.addLast(now);
    while (times.peekFirst() < now - settings.timeoutMs()) {
      times.removeFirst();
    }
    if (times.size() >= settings.maxFailuresPerExecutor()
        && excludeExecutor(executorId, host, times.size() + " task failures", cluster)) {
      taskFailures.remove(executorId);
      executorFailed(executorId, host, cluster);
    }
  }

  /** Executor {@code executorId} at {@code host} died or was lost. */
  public void executorDied(String executorId, String host, Cluster cluster) {
    if (settings.enabled()) {
      taskFailures.remove(executorId);
      executorFailed(executorId, host, cluster);
    }
  }

  private void executorFailed(String executorId, String host, Cluster cluster) {
    long now = clock.millis();
    Map<String, Long> failed = failedExecutors.computeIfAbsent(host, h -> new HashMap<>());
    failed.put(executorId, now);
    failed.values().removeIf(t -> t < now - settings.timeoutMs());
    if (failed.size() >= settings.maxFailedExecutorsPerHost() && !excludedHosts.containsKey(host)) {
      excludeHost(host, failed.size() + " failed executors (" + String.join(", ", new TreeSet<>(failed.keySet()))
          + ")", cluster);
    }
  }

  private boolean excludeExecutor(String executorId, String host, String why, Cluster cluster) {
    boolean othersLeft = cluster.liveExecutorHosts().entrySet().stream()
        .anyMatch(e -> !e.getKey().equals(executorId) && !isExcluded(e.getKey(), e.getValue()));
    if (!othersLeft) {
      LOG.warn("Not excluding executor {} on {} after {}: no other executor would be left to run tasks",
          executorId, host, why);
      return false;
    }
    long until = clock.millis() + settings.timeoutMs();
    excludedExecutors.put(executorId, until);
    LOG.warn("Excluding executor {} on {} for {} ms: {} within weft.excludeOnFailure.timeout", executorId, host,
        settings.timeoutMs(), why);
    events.accept(new ListenerEvent.ExecutorExcluded(executorId, host, why, until, clock.millis()));
    return true;
  }

  private void excludeHost(String host, String why, Cluster cluster) {
    boolean otherHostLeft = cluster.knownHosts().stream().anyMatch(h -> !h.equals(host) && !excludedHosts.containsKey(h));
    boolean otherExecutorLeft = cluster.liveExecutorHosts().entrySet().stream()
        .anyMatch(e -> !e.getValue().equals(host) && !isExcluded(e.getKey(), e.getValue()));
    if (!otherHostLeft || !(otherExecutorLeft || cluster.liveExecutorHosts().isEmpty())) {
      LOG.warn("Not excluding host {} after {}: it is the last host that could run tasks", host, why);
      return;
    }
    long until = clock.millis() + settings.timeoutMs();
    excludedHosts.put(host, until);
    LOG.warn("Excluding host {} for {} ms: {} within weft.excludeOnFailure.timeout; excluded hosts now {}", host,
        settings.timeoutMs(), why, excludedHosts());
    events.accept(new ListenerEvent.HostExcluded(host, why, until, clock.millis()));
    hostsChanged.accept(excludedHosts());
  }

  /** Whether no task may go to {@code executorId} at {@code host}. */
  public boolean isExcluded(String executorId, String host) {
    return excludedExecutors.containsKey(executorId) || excludedHosts.containsKey(host);
  }

  public Set<String> excludedHosts() {
    return new TreeSet<>(excludedHosts.keySet());
  }

  public Set<String> excludedExecutors() {
    return new TreeSet<>(excludedExecutors.keySet());
  }

  /**
   * Ends the exclusions whose time is up, and all of them if every live executor is excluded
   * (the cap); the backend hears when the host list changed.
   */
  public void refresh(Cluster cluster) {
    if (excludedExecutors.isEmpty() && excludedHosts.isEmpty()) {
      return;
    }
    long now = clock.millis();
    int hostsBefore = excludedHosts.size();
    Map<String, String> live = cluster.liveExecutorHosts();
    if (!live.isEmpty() && live.entrySet().stream().allMatch(e -> isExcluded(e.getKey(), e.getValue()))) {
      LOG.warn("Every live executor is excluded (executors {}, hosts {}); lifting the exclusions so tasks can run",
          excludedExecutors(), excludedHosts());
      excludedExecutors.replaceAll((e, t) -> now);
      excludedHosts.replaceAll((h, t) -> now);
    }
    excludedExecutors.entrySet().removeIf(e -> ended(e.getValue(), now, e.getKey(), null));
    excludedHosts.entrySet().removeIf(e -> ended(e.getValue(), now, null, e.getKey()));
    if (excludedHosts.size() != hostsBefore) {
      hostsChanged.accept(excludedHosts());
    }
  }

  private boolean ended(long until, long now, String executorId, String host) {
    if (until > now) {
      return false;
    }
    if (host != null) {
      failedExecutors.remove(host); // a host back in use starts with a clean record
    }
    LOG.info("Exclusion of {} ended", executorId != null ? "executor " + executorId : "host " + host);
    events.accept(new ListenerEvent.ExclusionEnded(executorId, host, now));
    return true;
  }
}
