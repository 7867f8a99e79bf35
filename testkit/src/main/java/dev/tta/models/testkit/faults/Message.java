package dev.tta.models.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One message of a chat request as the upstream reads it: its role and its text. The upstream's
 * answer is a function of these, so tests build them to work out the text they expect.
 *
 * @param role {@code system}, {@code user}, {@code assistant}, {@code tool} or any other role the
 *     client sent
 * @param content the message's text; the text parts joined when the client sent a list of parts,
 *     empty when it sent none (a tool call)
 */
public record Message(String role, String content) {

  public Message {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static Message system(String content) {
    return new Message("system", content);
  }

  public static Message user(String content) {
    return new Message("user", content);
  }

  public static Message assistant(String content) {
    return new Message("assistant", content);
  }

  /** The messages of a Chat Completions body's {@code messages} array, in order. */
  static List<Message> listFrom(JsonNode messages) {
    List<Message> list = new ArrayList<>();
    for (JsonNode message : messages) {
      list.add(new Message(message.path("role").asText(""), textOf(message.path("content"))));
    }
    return List.copyOf(list);
  }

  private static String textOf(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }
}
