package dev.tta.models.server.runtime;

import java.time.Duration;
import java.util.List;

/**
 * What each API key spent, from a history store when one is configured. The gateway keeps no such
 * history in memory: without a source, the dashboard says that no history is configured.
 */
@FunctionalInterface
public interface SpendSource {

  /** Spend per key over the last {@code window}, the largest first. */
  List<KeySpend> spendByKey(Duration window);

  /**
   * One key's spend.
   *
   * @param key how the key is shown: a name given to it, or the first characters of its hash, never
   *     the key itself
   * @param requests requests made with it
   * @param inputTokens prompt tokens of those requests
   * @param outputTokens completion tokens of those requests
   * @param costUsd their cost in US dollars
   */
  record KeySpend(String key, long requests, long inputTokens, long outputTokens, double costUsd) {}
}
