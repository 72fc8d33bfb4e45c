// Countdowns that follow the server clock: the client keeps the offset
// server_ms - local ms, so a phone with a wrong clock still agrees.

/** Offset from one server reading taken at local time `localNow`. */
export function clockOffset(serverMs: number, localNow: number): number {
  return serverMs - localNow;
}

/** Better offset from a ping/pong round trip: the server read its clock
 *  about half-way between `sentAt` and `receivedAt` (local times). */
export function offsetFromRoundTrip(sentAt: number, serverMs: number, receivedAt: number): number {
  return serverMs - (sentAt + receivedAt) / 2;
}

/** Server time now, from the local clock and the offset. */
export function serverNow(localNow: number, offset: number): number {
  return localNow + offset;
}

/** Milliseconds left before a server deadline (never negative). */
export function remainingMs(deadlineMs: number, offset: number, localNow: number): number {
  return Math.max(0, deadlineMs - serverNow(localNow, offset));
}

/** Whole seconds shown on a countdown: 4.2 s left shows 5, 0 shows 0. */
export function secondsLeft(deadlineMs: number, offset: number, localNow: number): number {
  return Math.ceil(remainingMs(deadlineMs, offset, localNow) / 1000);
}

/** Share of the window left, 1 at the opening, 0 at the deadline. */
export function fractionLeft(openedMs: number, deadlineMs: number, offset: number, localNow: number): number {
  const total = deadlineMs - openedMs;
  if (total <= 0) return 0;
  return Math.min(1, remainingMs(deadlineMs, offset, localNow) / total);
}
