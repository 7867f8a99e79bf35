package dev.tta.models.server.openai;

import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Chat answers in OpenAI's wire shape ({@code chat.completion} and {@code chat.completion.chunk}),
 * named after the model that actually served them.
 */
final class ChatCompletionJson {

  private final ObjectMapper mapper;

  ChatCompletionJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  ObjectNode completion(String id, long created, String servedBy, ChatResponse response) {
    ObjectNode root = header(id, "chat.completion", created, servedBy);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message(response.message()));
    choice.putNull("logprobs");
    choice.put("finish_reason", response.finishReason().wireName());
    response.usage().ifPresent(u -> root.set("usage", usage(u)));
    response.upstreamProvider().ifPresent(p -> root.put("provider", p));
    return root;
  }

  /** The first chunk of a stream: the assistant role, as OpenAI sends it. */
  ObjectNode roleChunk(String id, long created, String servedBy) {
    ObjectNode root = header(id, "chat.completion.chunk", created, servedBy);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    delta.put("role", "assistant");
    delta.put("content", "");
    choice.putNull("finish_reason");
    return root;
  }

  ObjectNode chunk(String id, long created, String servedBy, ChatChunk chunk) {
    ObjectNode root = header(id, "chat.completion.chunk", created, servedBy);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (!chunk.contentDelta().isEmpty()) {
      delta.put("content", chunk.contentDelta());
    }
    if (!chunk.toolCallDeltas().isEmpty()) {
      ArrayNode calls = delta.putArray("tool_calls");
      for (ToolCallDelta d : chunk.toolCallDeltas()) {
        ObjectNode call = calls.addObject();
        call.put("index", d.index());
        if (d.id() != null) {
          call.put("id", d.id());
          call.put("type", "function");
        }
        ObjectNode function = call.putObject("function");
        if (d.name() != null) {
          function.put("name", d.name());
        }
        function.put("arguments", d.argumentsDelta());
      }
    }
    if (chunk.finishReason().isPresent()) {
      choice.put("finish_reason", chunk.finishReason().get().wireName());
    } else {
      choice.putNull("finish_reason");
    }
    return root;
  }

  /** The usage-only last chunk that {@code stream_options.include_usage} asks for. */
  ObjectNode usageChunk(String id, long created, String servedBy, Usage usage) {
    ObjectNode root = header(id, "chat.completion.chunk", created, servedBy);
    root.putArray("choices");
    root.set("usage", usage(usage));
    return root;
  }

  private ObjectNode header(String id, String object, long created, String servedBy) {
    ObjectNode root = mapper.createObjectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", created);
    root.put("model", servedBy);
    return root;
  }

  private ObjectNode message(ChatMessage message) {
    ObjectNode node = mapper.createObjectNode();
    node.put("role", "assistant");
    if (message.content().isEmpty() && !message.toolCalls().isEmpty()) {
      node.putNull("content");
    } else {
      node.put("content", message.content());
    }
    if (!message.toolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("tool_calls");
      for (ToolCall call : message.toolCalls()) {
        ObjectNode c = calls.addObject();
        c.put("id", call.id());
        c.put("type", "function");
        ObjectNode function = c.putObject("function");
        function.put("name", call.name());
        function.put("arguments", call.arguments());
      }
    }
    return node;
  }

  ObjectNode usage(Usage usage) {
    ObjectNode node = mapper.createObjectNode();
    node.put("prompt_tokens", usage.promptTokens());
    node.put("completion_tokens", usage.completionTokens());
    node.put("total_tokens", usage.totalTokens());
    usage.reportedCostUsd().ifPresent(cost -> node.put("cost", cost));
    return node;
  }
}
