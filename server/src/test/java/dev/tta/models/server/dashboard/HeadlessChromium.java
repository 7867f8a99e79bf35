package dev.tta.models.server.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools protocol: the browser is started
 * with {@code --remote-debugging-port=0}, its port read from {@code DevToolsActivePort}, and the
 * page's WebSocket spoken to with the JDK's client. It keeps every JavaScript error the page
 * reports: uncaught exceptions, {@code console.error} and failed loads.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
  private static final Duration START_LIMIT = Duration.ofSeconds(30);
  private static final Duration CALL_LIMIT = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** Starts the browser with a fresh profile in {@code profile}, its output to {@code log}. */
  static HeadlessChromium start(Path profile, Path log) throws Exception {
    Process process =
        new ProcessBuilder(
                EXECUTABLE.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
                "--window-size=1400,1900",
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      int port = debuggingPort(process, profile.resolve("DevToolsActivePort"), log);
      HttpClient http = HttpClient.newHttpClient();
      JsonNode targets =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      String page = null;
      for (JsonNode target : targets) {
        if (target.get("type").asString().equals("page")) {
          page = target.get("webSocketDebuggerUrl").asString();
        }
      }
      if (page == null) {
        throw new IllegalStateException("chromium has no page to drive: " + targets);
      }
      Listener listener = new Listener();
      WebSocket socket =
          http.newWebSocketBuilder()
              .buildAsync(URI.create(page), listener)
              .get(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS);
      HeadlessChromium browser = new HeadlessChromium(process, socket);
      listener.browser = browser;
      browser.call("Runtime.enable", JSON.createObjectNode());
      browser.call("Log.enable", JSON.createObjectNode());
      browser.call("Page.enable", JSON.createObjectNode());
      return browser;
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private static int debuggingPort(Process process, Path activePort, Path log) throws Exception {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(activePort)) {
        List<String> lines = Files.readAllLines(activePort);
        if (lines.size() >= 2) {
          return Integer.parseInt(lines.getFirst().strip());
        }
      }
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        break;
      }
    }
    throw new IllegalStateException(
        "chromium did not open its debugging port; it printed:\n" + Files.readString(log));
  }

  /** Reassembles messages that arrive in parts, answers calls and keeps the page's errors. */
  private static final class Listener implements WebSocket.Listener {
    volatile HeadlessChromium browser;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        browser.received(JSON.readTree(text));
      }
      webSocket.request(1);
      return null;
    }
  }

  private void received(JsonNode message) {
    if (message.has("id")) {
      CompletableFuture<JsonNode> call = pending.remove(message.get("id").asInt());
      if (call != null) {
        if (message.has("error")) {
          call.completeExceptionally(new IllegalStateException(message.get("error").toString()));
        } else {
          call.complete(message.get("result"));
        }
      }
      return;
    }
    String method = message.path("method").asString("");
    JsonNode params = message.path("params");
    switch (method) {
      case "Runtime.exceptionThrown" ->
          errors.add("exception: " + params.path("exceptionDetails").toString());
      case "Runtime.consoleAPICalled" -> {
        String type = params.path("type").asString("");
        if (type.equals("error") || type.equals("assert")) {
          errors.add("console." + type + ": " + params.path("args").toString());
        }
      }
      case "Log.entryAdded" -> {
        if (params.path("entry").path("level").asString("").equals("error")) {
          errors.add("log: " + params.path("entry").toString());
        }
      }
      default -> {}
    }
  }

  JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", params);
    socket.sendText(JSON.writeValueAsString(message), true);
    return answer.get(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS);
  }

  void navigate(String url) throws Exception {
    ObjectNode params = JSON.createObjectNode();
    params.put("url", url);
    call("Page.navigate", params);
  }

  /** The value of a JavaScript expression in the page (a promise is awaited). */
  JsonNode evaluate(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode();
    params.put("expression", expression);
    params.put("returnByValue", true);
    params.put("awaitPromise", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(
          "the expression threw: " + result.get("exceptionDetails").toString());
    }
    return result.path("result").path("value");
  }

  /** Evaluates {@code condition} until it is true, up to {@code limit}. */
  boolean await(String condition, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (evaluate(condition).asBoolean(false)) {
        return true;
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    return false;
  }

  /** The whole page as a PNG. */
  void screenshot(Path file) throws Exception {
    ObjectNode params = JSON.createObjectNode();
    params.put("format", "png");
    params.put("captureBeyondViewport", true);
    JsonNode shot = call("Page.captureScreenshot", params);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(shot.get("data").asString()));
  }

  /** The JavaScript errors the page reported so far. */
  List<String> errors() {
    return new ArrayList<>(errors);
  }

  @Override
  public void close() throws IOException {
    try {
      call("Browser.close", JSON.createObjectNode());
    } catch (Exception e) {
      // the browser may close its socket before answering
    }
    socket.abort();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
