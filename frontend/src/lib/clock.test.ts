import { describe, expect, it } from 'vitest';
import { clockOffset, fractionLeft, offsetFromRoundTrip, remainingMs, secondsLeft, serverNow } from './clock';

describe('countdown against the server clock', () => {
  it('uses the offset, not the local clock alone', () => {
    // the phone's clock is 7 s behind the server
    const local = 1_000_000;
    const offset = clockOffset(local + 7_000, local);
    expect(offset).toBe(7_000);
    expect(serverNow(local, offset)).toBe(local + 7_000);
    // deadline 20 s after the server's now: 20 s left, whatever the phone thinks
    const deadline = local + 7_000 + 20_000;
    expect(remainingMs(deadline, offset, local)).toBe(20_000);
    expect(secondsLeft(deadline, offset, local)).toBe(20);
    expect(secondsLeft(deadline, offset, local + 15_800)).toBe(5);
  });

  it('never goes below zero and rounds up whole seconds', () => {
    expect(remainingMs(100, 0, 500)).toBe(0);
    expect(secondsLeft(100, 0, 500)).toBe(0);
    expect(secondsLeft(5_000, 0, 800)).toBe(5);
    expect(secondsLeft(5_000, 0, 1_000)).toBe(4);
  });

  it('a clock ahead of the server gives a negative offset', () => {
    const offset = clockOffset(50_000, 60_000);
    expect(offset).toBe(-10_000);
    expect(remainingMs(55_000, offset, 60_000)).toBe(5_000);
  });

  it('refines the offset from a round trip', () => {
    // sent at 1000, received at 1200 local; the server read 5100 in between
    expect(offsetFromRoundTrip(1_000, 5_100, 1_200)).toBe(4_000);
  });

  it('gives the share of the window left', () => {
    expect(fractionLeft(0, 10_000, 0, 0)).toBe(1);
    expect(fractionLeft(0, 10_000, 0, 2_500)).toBe(0.75);
    expect(fractionLeft(0, 10_000, 0, 20_000)).toBe(0);
    expect(fractionLeft(10, 10, 0, 0)).toBe(0);
  });
});
