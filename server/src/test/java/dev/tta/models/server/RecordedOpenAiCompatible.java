package dev.tta.models.server;

import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.ReplayPeer;

/**
 * The testkit's recorded exchanges with an OpenAI-compatible server, which the gateway's tests put
 * behind a {@code custom_api} provider: its model list (gpt-4o-mini among them) and one chat
 * completion.
 */
public final class RecordedOpenAiCompatible {

  public static final FixtureSet FIXTURES =
      FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openai-compatible");

  private RecordedOpenAiCompatible() {}

  /**
   * Has {@code peer} answer {@code GET /v1/models} and {@code POST /v1/chat/completions} as the
   * server did when recorded.
   */
  public static void serveModelsAndChat(ReplayPeer peer) {
    peer.serve(FIXTURES.exchange("models").servedAt("GET", "/v1/models"));
    peer.serve(FIXTURES.exchange("chat").servedAt("POST", "/v1/chat/completions"));
  }
}
