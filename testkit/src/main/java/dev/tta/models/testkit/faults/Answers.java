package dev.tta.models.testkit.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The deterministic text a {@link FaultyUpstream} model gives, how it is cut into tokens and how
 * the upstream counts a prompt. Everything here is a pure function, so that a test works out what
 * the client must receive, and two upstreams configured alike give the same text (the fallback
 * model can continue the first one's answer).
 */
public final class Answers {

  /** The words of {@link #wordsFromLastUserMessage()}, in the order it walks them. */
  public static final List<String> WORDS =
      List.of(
          "alpha",
          "bravo",
          "charlie",
          "delta",
          "echo",
          "foxtrot",
          "golf",
          "hotel",
          "india",
          "juliett",
          "kilo",
          "lima",
          "mike",
          "november",
          "oscar",
          "papa",
          "quebec",
          "romeo",
          "sierra",
          "tango",
          "uniform",
          "victor",
          "whiskey",
          "xray",
          "yankee",
          "zulu");

  /** How many words {@link #wordsFromLastUserMessage()} answers with. */
  public static final int WORD_COUNT = 10;

  private Answers() {}

  /**
   * The default answer: {@value #WORD_COUNT} consecutive {@link #WORDS} (wrapping after {@code
   * zulu}) separated by single spaces, starting at the sum of the last user message's UTF-16 code
   * units modulo 26 (0 without a user message). For "Hi": 72 + 105 = 177, 177 mod 26 = 21, so
   * "victor whiskey xray yankee zulu alpha bravo charlie delta echo".
   */
  public static Function<List<Message>, String> wordsFromLastUserMessage() {
    return messages -> {
      int start =
          messages.reversed().stream()
              .filter(message -> message.role().equals("user"))
              .findFirst()
              .map(message -> message.content().chars().sum() % WORDS.size())
              .orElse(0);
      List<String> words = new ArrayList<>();
      for (int i = 0; i < WORD_COUNT; i++) {
        words.add(WORDS.get((start + i) % WORDS.size()));
      }
      return String.join(" ", words);
    };
  }

  /** The same text whatever the request. */
  public static Function<List<Message>, String> fixed(String text) {
    Objects.requireNonNull(text, "text");
    return messages -> text;
  }

  /**
   * The tokens the upstream sends a text in, one per content chunk: the text cut before every
   * space, so that each word keeps its leading space ("Hello brave" is "Hello", " brave"); no
   * tokens for an empty text. Joined, they give the text back.
   */
  public static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) == ' ') {
        tokens.add(text.substring(start, i));
        start = i;
      }
    }
    if (!text.isEmpty()) {
      tokens.add(text.substring(start));
    }
    return List.copyOf(tokens);
  }

  /**
   * The prompt tokens the upstream reports: the number of words (runs of characters that are not
   * whitespace) in all messages' contents together, roles not counted.
   */
  public static int promptTokens(List<Message> messages) {
    int words = 0;
    for (Message message : messages) {
      String content = message.content().strip();
      if (!content.isEmpty()) {
        words += content.split("\\s+").length;
      }
    }
    return words;
  }
}
