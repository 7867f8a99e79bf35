package dev.tta.models.testkit;

import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ToolDefinition;
import java.util.List;

/** Requests the hand-written exchanges of several providers were written for. */
public final class HandWrittenRequests {

  private HandWrittenRequests() {}

  /** "What is the weather like in Boston today?" with a {@code get_current_weather} tool. */
  public static ChatRequest weatherTool() {
    return ChatRequest.builder()
        .addMessage(ChatMessage.user("What is the weather like in Boston today?"))
        .tools(
            List.of(
                new ToolDefinition(
                    "get_current_weather",
                    "Get the current weather in a given location",
                    "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},"
                        + "\"required\":[\"location\"]}")))
        .build();
  }
}
