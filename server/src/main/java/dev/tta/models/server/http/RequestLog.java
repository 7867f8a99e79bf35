package dev.tta.models.server.http;

import io.javalin.http.Context;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One line per request, for a log pipeline: method, path, the model asked for, the model that
 * served, attempts, status and latency. As text ({@code key=value} pairs after the logger's prefix,
 * at INFO) or as JSON (one object per line on standard output, which a collector reads as it is;
 * the SLF4J backend in use, slf4j-simple, puts its own prefix before every line it prints).
 * Requests a page or a scraper repeats every few seconds (health, metrics, the dashboard) are
 * logged at DEBUG only. Nothing of the request's content, and no key, is in a line.
 */
public final class RequestLog {

  /** How lines are written. */
  public enum Format {
    TEXT,
    JSON
  }

  /** Context attributes a route sets for its line. */
  public static final String REQUESTED_MODEL = "mm.requested_model";

  public static final String SERVED_MODEL = "mm.served_model";
  public static final String ATTEMPTS = "mm.attempts";

  private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Format format;
  private final PrintStream jsonOut;

  private RequestLog(Format format, PrintStream jsonOut) {
    this.format = format;
    this.jsonOut = jsonOut;
  }

  /** Lines through the logger. */
  public static RequestLog text() {
    return new RequestLog(Format.TEXT, null);
  }

  /** JSON lines on {@code out}. */
  public static RequestLog json(PrintStream out) {
    return new RequestLog(Format.JSON, out);
  }

  public Format format() {
    return format;
  }

  /** What one line says. Empty strings and 0 stand for what the request did not have. */
  public record Entry(
      Instant at,
      String method,
      String path,
      String requested,
      String served,
      int attempts,
      int status,
      long latencyMs) {}

  void log(Context ctx, float executionMillis) {
    Entry entry =
        new Entry(
            Instant.now(),
            ctx.method().name(),
            ctx.path(),
            attribute(ctx, REQUESTED_MODEL),
            attribute(ctx, SERVED_MODEL),
            attempts(ctx),
            ctx.statusCode(),
            Math.round(executionMillis));
    boolean polled = polled(entry.path());
    if (polled && !LOG.isDebugEnabled()) {
      return;
    }
    if (format == Format.JSON) {
      jsonOut.println(json(entry, polled ? "DEBUG" : "INFO"));
    } else if (polled) {
      LOG.debug(text(entry));
    } else {
      LOG.info(text(entry));
    }
  }

  private static int attempts(Context ctx) {
    Integer attempts = ctx.attribute(ATTEMPTS);
    return attempts == null ? 0 : attempts;
  }

  private static String attribute(Context ctx, String name) {
    String value = ctx.attribute(name);
    return value == null ? "" : value;
  }

  /** Paths a page or a scraper asks for again and again. */
  static boolean polled(String path) {
    return path.startsWith("/health/")
        || path.equals(GatewayServer.METRICS_PATH)
        || path.startsWith(GatewayServer.DASHBOARD_PATH)
        || path.startsWith(GatewayServer.DASHBOARD_DATA_PATH)
        || path.startsWith("/webjars/");
  }

  /**
   * {@code method=POST path=/v1/chat/completions model=auto served=local/tiny attempts=1 status=200
   * latency_ms=12}; a value with a space, a quote or an equals sign is quoted, and an empty one is
   * {@code -}.
   */
  static String text(Entry entry) {
    return "method="
        + entry.method()
        + " path="
        + value(entry.path())
        + " model="
        + value(entry.requested())
        + " served="
        + value(entry.served())
        + " attempts="
        + entry.attempts()
        + " status="
        + entry.status()
        + " latency_ms="
        + entry.latencyMs();
  }

  private static String value(String raw) {
    if (raw.isEmpty()) {
      return "-";
    }
    boolean plain = raw.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '=');
    if (plain) {
      return raw;
    }
    StringBuilder quoted = new StringBuilder("\"");
    raw.codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
              } else if (c < ' ' || c == 127) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                quoted.appendCodePoint(c);
              }
            });
    return quoted.append('"').toString();
  }

  /** The same fields as one JSON object, with the time and level a collector expects. */
  static String json(Entry entry, String level) {
    ObjectNode node = JSON.createObjectNode();
    node.put("ts", entry.at().toString());
    node.put("level", level);
    node.put("logger", "request");
    node.put("method", entry.method());
    node.put("path", entry.path());
    node.put("model", entry.requested());
    node.put("served", entry.served());
    node.put("attempts", entry.attempts());
    node.put("status", entry.status());
    node.put("latency_ms", entry.latencyMs());
    return JSON.writeValueAsString(node);
  }
}
