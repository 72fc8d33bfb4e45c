// Reconnect delays: exponential, capped, with jitter so that thousands of
// phones that lost the same Wi-Fi do not all come back in the same instant.

export interface BackoffOptions {
  /** first delay, ms */
  base: number;
  /** growth per attempt */
  factor: number;
  /** cap, ms */
  max: number;
  /** share of the delay drawn at random: 0 none, 1 "full jitter" */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { base: 500, factor: 2, max: 15_000, jitter: 0.5 };

/** Delay before reconnect attempt `attempt` (0 for the first retry).
 *  `random` returns a number in [0, 1) (Math.random in the app, fixed in tests). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const n = Math.max(0, Math.floor(attempt));
  const ceiling = Math.min(options.max, options.base * Math.pow(options.factor, n));
  const j = Math.min(1, Math.max(0, options.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling * (1 - j) + ceiling * j * r);
}
