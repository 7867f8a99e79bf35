package dev.tta.models.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersTest {

  @Test
  void wordsFromLastUserMessage_startsAtTheCodeUnitSumModulo26_tenWordsWrapping() {
    // "Hi": 72 + 105 = 177; 177 mod 26 = 21, "victor"
    assertThat(Answers.wordsFromLastUserMessage().apply(List.of(Message.user("Hi"))))
        .isEqualTo("victor whiskey xray yankee zulu alpha bravo charlie delta echo");
  }

  @Test
  void wordsFromLastUserMessage_onlyTheLastUserMessageCounts() {
    List<Message> conversation =
        List.of(
            Message.system("Be brief."),
            Message.user("Hello"),
            Message.assistant("Hi!"),
            Message.user("Hi"));

    assertThat(Answers.wordsFromLastUserMessage().apply(conversation)).startsWith("victor whiskey");
  }

  @Test
  void wordsFromLastUserMessage_noUserMessage_startsAtAlpha() {
    assertThat(Answers.wordsFromLastUserMessage().apply(List.of(Message.system("x"))))
        .isEqualTo("alpha bravo charlie delta echo foxtrot golf hotel india juliett");
  }

  @Test
  void tokens_cutBeforeEverySpace_joinedGiveTheTextBack() {
    assertThat(Answers.tokens("Hello brave new world"))
        .containsExactly("Hello", " brave", " new", " world");
    assertThat(Answers.tokens(" a  b")).containsExactly(" a", " ", " b");
    assertThat(Answers.tokens("one")).containsExactly("one");
    assertThat(Answers.tokens("")).isEmpty();
  }

  @Test
  void promptTokens_wordsOfAllMessages() {
    assertThat(
            Answers.promptTokens(
                List.of(
                    Message.system("  Be   brief. "), Message.user("Hi"), Message.assistant(""))))
        .isEqualTo(3);
  }

  @Test
  void twoUpstreamsAlike_giveTheSameDefaultText() throws IOException, InterruptedException {
    String chat =
        "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    try (FaultyUpstream first = FaultyUpstream.start();
        FaultyUpstream second = FaultyUpstream.start();
        HttpClient http = HttpClient.newHttpClient()) {
      for (FaultyUpstream upstream : List.of(first, second)) {
        String body =
            http.send(
                    HttpRequest.newBuilder(upstream.baseUrl().resolve("chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(chat))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();

        assertThat(body)
            .contains(
                "\"content\":\"victor whiskey xray yankee zulu alpha bravo charlie delta echo\"");
      }
      assertThat(first.answerTo(List.of(Message.user("Hi"))))
          .isEqualTo(second.answerTo(List.of(Message.user("Hi"))))
          .startsWith("victor");
    }
  }
}
