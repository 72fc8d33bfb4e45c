import { describe, expect, it } from 'vitest';
import { gameAction, pageCount, when, type GameListItem } from './gameslist';

const base: GameListItem = {
  pin: '123456', game: 'abc', title: 'Quiz', state: 'lobby', players: 0,
  created: '2026-01-02T10:00:00Z', started: null, finished: null, saved: false, live: true,
};

describe('gameAction', () => {
  it('resumes a live game whose host key this tab holds', () => {
    expect(gameAction(base, true)).toBe('resume');
    expect(gameAction({ ...base, state: 'question' }, true)).toBe('resume');
  });
  it('sends a live game without a host key here to the device that started it', () => {
    expect(gameAction(base, false)).toBe('elsewhere');
  });
  it('offers the report of a saved game, key or not, even once Redis forgot it', () => {
    const saved = { ...base, state: 'finished' as const, saved: true, live: false };
    expect(gameAction(saved, false)).toBe('report');
    expect(gameAction(saved, true)).toBe('report');
  });
  it('waits for the save of a finished live game', () => {
    expect(gameAction({ ...base, state: 'finished' }, true)).toBe('saving');
  });
  it('has nothing for a game neither saved nor live', () => {
    expect(gameAction({ ...base, live: false }, true)).toBe('gone');
  });
});

describe('pageCount', () => {
  it('rounds up and is at least 1', () => {
    expect(pageCount({ total: 0, page_size: 10 })).toBe(1);
    expect(pageCount({ total: 10, page_size: 10 })).toBe(1);
    expect(pageCount({ total: 11, page_size: 10 })).toBe(2);
  });
});

describe('when', () => {
  it('shows a dash for no time and a date for one', () => {
    expect(when(null)).toBe('—');
    expect(when('nonsense')).toBe('—');
    expect(when('2026-01-02T10:00:00Z', 'en-GB')).toMatch(/2026/);
  });
});
