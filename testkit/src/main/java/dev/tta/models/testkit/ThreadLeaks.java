package dev.tta.models.testkit;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds threads that code under test left running: platform threads started since a snapshot, and
 * threads of any kind (virtual ones included, read from a JVM thread dump) whose stack runs code of
 * given packages. Threads the JDK shares by all (the virtual-thread scheduler and poller, fork-join
 * workers) and a replay peer's threads are not the code's.
 */
final class ThreadLeaks {

  private static final Set<String> JDK_SHARED_GROUPS =
      Set.of("CarrierThreads", "InnocuousThreadGroup");

  private ThreadLeaks() {}

  static Set<Thread> platformThreads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  /**
   * Platform threads alive now that were not in the snapshot and are the code's, leaving out those
   * {@code runtimeThread} says a native runtime the code embeds keeps.
   */
  static List<String> newPlatformThreads(Set<Thread> before, Predicate<Thread> runtimeThread) {
    List<String> found = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(thread)
          && thread.isAlive()
          && !shared(thread)
          && !runtimeThread.test(thread)) {
        found.add(thread.getName());
      }
    }
    return found;
  }

  private static boolean shared(Thread thread) {
    ThreadGroup group = thread.getThreadGroup();
    return thread instanceof ForkJoinWorkerThread
        || ReplayPeer.isPeerThread(thread)
        || group != null && JDK_SHARED_GROUPS.contains(group.getName());
  }

  /**
   * Threads, platform or virtual, other than the calling one, with a stack frame of a class whose
   * name starts with one of the prefixes; each as "name: first matching frame".
   */
  static List<String> threadsRunning(Set<String> packagePrefixes) {
    JsonNode dump = dump();
    String self = Long.toString(Thread.currentThread().threadId());
    List<String> found = new ArrayList<>();
    for (JsonNode container : dump.path("threadDump").path("threadContainers")) {
      for (JsonNode thread : container.path("threads")) {
        if (thread.path("tid").asString().equals(self)) {
          continue;
        }
        for (JsonNode frame : thread.path("stack")) {
          String text = frame.asString();
          String className = text.substring(text.indexOf('/') + 1);
          if (packagePrefixes.stream().anyMatch(className::startsWith)) {
            found.add(thread.path("name").asString() + ": " + text);
            break;
          }
        }
      }
    }
    return found;
  }

  private static JsonNode dump() {
    try {
      Path folder = Files.createTempDirectory("mm-thread-dump");
      Path file = folder.resolve("threads.json");
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      try {
        return JsonMapper.builder().build().readTree(Files.readString(file));
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(folder);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asks until the answer is empty or the time is up (the effect checked is another thread's, so it
   * is polled with short pauses, within a bound).
   *
   * @return the last answer: empty when the condition was met
   */
  static List<String> awaitEmpty(Duration timeout, Supplier<List<String>> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> found = check.get();
    while (!found.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return found;
      }
      found = check.get();
    }
    return found;
  }
}
