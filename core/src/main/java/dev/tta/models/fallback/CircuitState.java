package dev.tta.models.fallback;

/** The state of one deployment's circuit breaker. */
public enum CircuitState {
  /** Calls go through and are counted. */
  CLOSED,
  /** Calls are refused until the wait in the open state is over. */
  OPEN,
  /** The wait is over: the next calls are probes whose outcome closes or reopens the circuit. */
  HALF_OPEN
}
