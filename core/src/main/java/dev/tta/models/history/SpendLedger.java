package dev.tta.models.history;

import java.time.Instant;
import java.util.Map;

/**
 * What each API key's calls cost, summed from the history. A history keeps the spend of the calls
 * it deletes at the end of their retention by key and UTC day, so the sums over windows that start
 * and end at midnight UTC (every budget period) are whole however old the calls.
 */
public interface SpendLedger {

  /** US dollars spent by the key named {@code client} on calls finished in {@code [from, to)}. */
  double spent(String client, Instant from, Instant to);

  /** Every key's spend on calls finished in {@code [from, to)}, by key name, sorted. */
  Map<String, Double> spentByClient(Instant from, Instant to);
}
