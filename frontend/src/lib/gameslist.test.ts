import { describe, expect, it } from 'vitest';
import { gameAction, pageCount, when, type GameListItem } from './gameslist';

const base: GameListItem = {
  pin: '123456', game: 'abc', title: 'Quiz', state: 'lobby', players: 0,
  created: '2026-01-02T10:00:00Z', started: null, finished: null, saved: false, live: true,
};

describe('gameAction', () => {
  it('resumes a live game from any tab or device (the console fetches the host key)', () => {
    expect(gameAction(base)).toBe('resume');
    expect(gameAction({ ...base, state: 'question' })).toBe('resume');
  });
  it('offers the report of a saved game, even once Redis forgot it', () => {
    const saved = { ...base, state: 'finished' as const, saved: true, live: false };
    expect(gameAction(saved)).toBe('report');
  });
  it('waits for the save of a finished live game', () => {
    expect(gameAction({ ...base, state: 'finished' })).toBe('saving');
  });
  it('has nothing for a game neither saved nor live', () => {
    expect(gameAction({ ...base, live: false })).toBe('gone');
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
