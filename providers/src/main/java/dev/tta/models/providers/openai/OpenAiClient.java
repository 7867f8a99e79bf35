package dev.tta.models.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.providers.http.HttpCall;
import dev.tta.models.providers.http.HttpReply;
import dev.tta.models.providers.http.HttpTransport;
import dev.tta.models.providers.http.JettyHttpTransport;
import dev.tta.models.providers.http.Redactor;
import dev.tta.models.time.TimeSource;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client for one OpenAI-compatible server ({@code GET models}, {@code POST chat/completions} as
 * JSON and as server-sent events), shared by every provider that speaks this API. Every failure
 * comes out as a {@link ProviderException} (see {@link OpenAiErrors}); credentials never appear in
 * what it reports. Thread-safe; {@link #close()} ends its streams, connections and threads.
 */
public final class OpenAiClient implements AutoCloseable {

  static final String MODELS = "models";
  static final String CHAT_COMPLETIONS = "chat/completions";
  private static final String JSON = "application/json";
  private static final String EVENT_STREAM = "text/event-stream";

  private final OpenAiClientConfig config;
  private final HttpTransport transport;
  private final TimeSource time;
  private final Redactor redactor;
  private final OpenAiErrors errors;
  private final Set<OpenAiChatStream> openStreams = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  public OpenAiClient(OpenAiClientConfig config, HttpTransport transport, TimeSource time) {
    this.config = Checks.notNull(config, "config");
    this.transport = Checks.notNull(transport, "transport");
    this.time = Checks.notNull(time, "time");
    this.redactor = Redactor.of(config.apiKey().stream().toList());
    this.errors = new OpenAiErrors(config.providerId(), redactor, time);
  }

  /** A client over Jetty's HTTP client, on the system clock. */
  public static OpenAiClient create(OpenAiClientConfig config) {
    return new OpenAiClient(
        config, new JettyHttpTransport(config.connectTimeout()), TimeSource.system());
  }

  public OpenAiClientConfig config() {
    return config;
  }

  /** {@code GET models}, within the configured catalog timeout. */
  public List<OpenAiModel> listModels() {
    String operation = "GET " + MODELS;
    byte[] body =
        exchange(
            null,
            HttpCall.get(endpoint(MODELS), headers(false, false)),
            config.catalogTimeout(),
            operation);
    return ChatMapping.models(decode(null, body, ModelListBody.class, operation));
  }

  /**
   * {@code GET} of another JSON resource of the same server, within the catalog timeout, for
   * servers whose own listings say more than {@code models} does (OpenRouter's prices, LM Studio's
   * load state). A relative path resolves against the base URL, an absolute one against the host.
   */
  public JsonNode getJson(String path) {
    Checks.notBlank(path, "path");
    String operation = "GET " + path;
    byte[] body =
        exchange(
            null,
            HttpCall.get(endpoint(path), headers(false, false)),
            config.catalogTimeout(),
            operation);
    return decode(null, body, JsonNode.class, operation);
  }

  /** {@code POST chat/completions}: the whole answer within the call's timeout. */
  public ChatResponse chat(String modelId, ChatRequest request, CallOptions options) {
    Checks.notBlank(modelId, "model");
    String operation = "POST " + CHAT_COMPLETIONS;
    byte[] body =
        postJson(modelId, CHAT_COMPLETIONS, encode(modelId, request, false), options.timeout());
    ChatCompletionBody parsed = decode(modelId, body, ChatCompletionBody.class, operation);
    try {
      return ChatMapping.response(parsed, modelId);
    } catch (IllegalArgumentException e) {
      throw malformed(modelId, operation, e);
    }
  }

  /**
   * {@code POST chat/completions} with {@code stream: true}. An error status is thrown here; what
   * goes wrong later comes from {@link ChatStream#next()}. The first chunk must arrive within the
   * call's timeout, and each next one within the timeout of the one before.
   */
  public ChatStream stream(String modelId, ChatRequest request, CallOptions options) {
    Checks.notBlank(modelId, "model");
    return postStream(
        modelId,
        CHAT_COMPLETIONS,
        encode(modelId, request, true),
        options,
        new ChunkDecoder(config.providerId(), modelId, errors));
  }

  /**
   * {@code POST} of a JSON body to a path of this server, for APIs beside {@code chat/completions}
   * that share its transport, key, timeouts and error mapping: the whole answer's body within the
   * timeout.
   *
   * @throws ProviderException for an error status, a failed connection or the timeout
   */
  public byte[] postJson(String modelId, String path, byte[] body, Duration timeout) {
    return exchange(
        modelId,
        HttpCall.post(endpoint(path), headers(true, false), body),
        timeout,
        "POST " + path);
  }

  /**
   * {@code POST} of a JSON body whose answer is a stream of server-sent events, read by the given
   * decoder: the response head and the first event within the options' timeout, and each next event
   * within their idle timeout of the one before; closing the stream closes the connection.
   *
   * @throws ProviderException for an error status or a failed connection
   */
  public ChatStream postStream(
      String modelId, String path, byte[] body, CallOptions options, StreamDecoder decoder) {
    String operation = "POST " + path + " (stream)";
    long start = time.nanoTime();
    Duration timeout = options.timeout();
    HttpCall call = HttpCall.post(endpoint(path), headers(true, true), body);
    HttpReply reply = send(modelId, call, timeout, operation);
    if (!successful(reply.status())) {
      try (reply) {
        throw failed(modelId, reply, readBody(modelId, reply, start, timeout, operation));
      }
    }
    OpenAiChatStream stream =
        OpenAiChatStream.open(
            config.providerId(),
            modelId,
            reply,
            errors,
            decoder,
            time,
            options,
            start,
            openStreams);
    if (closed.get()) {
      stream.close();
    }
    return stream;
  }

  /** The error mapping of this client, for decoders of other dialects that share it. */
  public OpenAiErrors errors() {
    return errors;
  }

  /**
   * Asks the configured health path, within the health timeout: healthy on a 2xx answer. Never
   * throws.
   */
  public ProviderHealth health() {
    if (closed.get()) {
      return ProviderHealth.down("the client is closed");
    }
    URI uri = endpoint(config.healthPath());
    String what = "GET " + uri.getPath();
    try (HttpReply reply =
        transport.send(HttpCall.get(uri, headers(false, false)), config.healthTimeout())) {
      String detail = what + " answered HTTP " + reply.status();
      return successful(reply.status()) ? ProviderHealth.up(detail) : ProviderHealth.down(detail);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProviderHealth.down(what + ": interrupted");
    } catch (IOException | RuntimeException e) {
      return ProviderHealth.down(errors.fromFailure(null, what, e).getMessage());
    }
  }

  /** Closes open streams, then every connection and thread. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (OpenAiChatStream stream : List.copyOf(openStreams)) {
        stream.close();
      }
      transport.close();
    }
  }

  private URI endpoint(String path) {
    return config.baseUrl().resolve(path);
  }

  private Map<String, String> headers(boolean hasBody, boolean stream) {
    Map<String, String> headers = new LinkedHashMap<>(config.headers());
    headers.put("Accept", stream ? EVENT_STREAM : JSON);
    if (hasBody) {
      headers.put("Content-Type", JSON);
    }
    config.apiKey().ifPresent(key -> config.keyHeader().put(headers, key));
    return headers;
  }

  private byte[] encode(String modelId, ChatRequest request, boolean stream) {
    try {
      return OpenAiJson.mapper()
          .writeValueAsBytes(
              ChatMapping.requestBody(
                  modelId, request, config.tokenLimitField(), stream, config.streamUsage()));
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw new ProviderException.InvalidRequest(
          config.providerId(), modelId, "the request cannot be sent: " + e.getMessage(), e);
    }
  }

  private byte[] exchange(String modelId, HttpCall call, Duration timeout, String operation) {
    long start = time.nanoTime();
    try (HttpReply reply = send(modelId, call, timeout, operation)) {
      byte[] body = readBody(modelId, reply, start, timeout, operation);
      if (!successful(reply.status())) {
        throw failed(modelId, reply, body);
      }
      return body;
    }
  }

  private HttpReply send(String modelId, HttpCall call, Duration timeout, String operation) {
    if (closed.get()) {
      throw new IllegalStateException("provider " + config.providerId() + ": client is closed");
    }
    try {
      return transport.send(call, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw errors.fromFailure(modelId, operation, e);
    } catch (IOException e) {
      throw errors.fromFailure(modelId, operation + " to " + authority(call.uri()), e);
    }
  }

  /** Reads the whole body before the call's deadline. */
  private byte[] readBody(
      String modelId, HttpReply reply, long startNanos, Duration timeout, String operation) {
    long remaining = startNanos + timeout.toNanos() - time.nanoTime();
    try {
      return reply.readAll(Duration.ofNanos(Math.max(0, remaining)));
    } catch (TimeoutException e) {
      reply.close();
      throw new ProviderException.Timeout(
          config.providerId(), modelId, operation + ": no complete response within " + timeout, e);
    } catch (InterruptedException e) {
      reply.close();
      Thread.currentThread().interrupt();
      throw errors.fromFailure(modelId, operation, e);
    } catch (IOException | RuntimeException e) {
      throw errors.fromFailure(modelId, operation, e);
    }
  }

  private ProviderException failed(String modelId, HttpReply reply, byte[] body) {
    return errors.fromResponse(
        modelId, reply.status(), reply::header, new String(body, StandardCharsets.UTF_8));
  }

  private <T> T decode(String modelId, byte[] body, Class<T> type, String operation) {
    T value;
    try {
      value = OpenAiJson.mapper().readValue(body, type);
    } catch (IOException e) {
      throw malformed(modelId, operation, e);
    }
    if (value == null) {
      throw malformed(modelId, operation, new IOException("the body is JSON null"));
    }
    return value;
  }

  private ProviderException malformed(String modelId, String operation, Exception e) {
    return new ProviderException.Unavailable(
        config.providerId(),
        modelId,
        operation
            + ": the server's answer cannot be read ("
            + redactor.redact(e.getMessage())
            + ")",
        e);
  }

  /** Host and port only: a base URL may carry credentials in its user part. */
  private static String authority(URI uri) {
    return uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
  }

  private static boolean successful(int status) {
    return status >= 200 && status < 300;
  }

  /** The open streams, for tests that check closing. */
  int openStreamCount() {
    return openStreams.size();
  }
}
