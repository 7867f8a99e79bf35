package dev.tta.models.testkit;

import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * What the provider under test talks to, as its contract test declares it. The cases that check the
 * peer's side of the wire (recorded requests and errors, dead ports, reset and stalled connections,
 * connections seen closed, request schemas) need a {@link Replay}; for a provider that runs its
 * model in the test's own process ({@link InProcess}) they are skipped, saying so, and the other
 * cases check the model's real answers instead of served ones.
 */
public sealed interface Peer {

  /** An HTTP server replaying recorded exchanges; the suite resets it before each case. */
  record Replay(ReplayPeer server) implements Peer {
    public Replay {
      Objects.requireNonNull(server, "server");
    }
  }

  /**
   * No peer: the model runs in process.
   *
   * @param occupy opens, on a loaded model, a stream that keeps the model from serving other calls
   *     while it stays open and unread, for up to the given options' timeout: what a stalled peer
   *     is to the timeout and cancellation cases
   * @param runtimeThread platform threads a native runtime the provider embeds keeps after the
   *     provider is closed, left out of the closing check (say why where it is declared); threads
   *     running the provider's own code are checked all the same
   */
  record InProcess(
      BiFunction<ModelInstance, CallOptions, ChatStream> occupy, Predicate<Thread> runtimeThread)
      implements Peer {
    public InProcess {
      Objects.requireNonNull(occupy, "occupy");
      Objects.requireNonNull(runtimeThread, "runtimeThread");
    }
  }

  static Peer replay(ReplayPeer server) {
    return new Replay(server);
  }
}
