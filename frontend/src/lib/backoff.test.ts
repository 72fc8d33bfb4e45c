import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

const opts = { base: 500, factor: 2, max: 8_000, jitter: 0.5 };

describe('reconnect backoff', () => {
  it('grows exponentially and is capped', () => {
    const top = () => 0.999999;
    const delays = [0, 1, 2, 3, 4, 5, 10, 50].map((a) => backoffDelay(a, opts, top));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000]);
  });

  it('jitter draws between half and the whole ceiling', () => {
    expect(backoffDelay(2, opts, () => 0)).toBe(1_000);
    expect(backoffDelay(2, opts, () => 0.5)).toBe(1_500);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, opts);
      expect(d).toBeGreaterThanOrEqual(2_000);
      expect(d).toBeLessThanOrEqual(4_000);
    }
  });

  it('full jitter may go down to zero, no jitter is exact', () => {
    expect(backoffDelay(1, { ...opts, jitter: 1 }, () => 0)).toBe(0);
    expect(backoffDelay(1, { ...opts, jitter: 0 }, () => 0.3)).toBe(1_000);
  });

  it('odd attempts are clamped', () => {
    expect(backoffDelay(-3, opts, () => 1)).toBe(500);
    expect(backoffDelay(1e9, opts, () => 1)).toBe(8_000);
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 1)).toBe(500);
    expect(backoffDelay(99, DEFAULT_BACKOFF, () => 1)).toBe(DEFAULT_BACKOFF.max);
  });
});
