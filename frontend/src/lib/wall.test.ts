import { describe, expect, it } from 'vitest';
import { movements, playersLabel, revealOrder, wallAfter, WALL_MAX } from './wall';

const p = (i: number) => ({ player: i, nickname: `P${i}` });

describe('the lobby wall', () => {
  it('appends the joined, newest last, once each', () => {
    expect(wallAfter([p(1)], [p(2), p(1), p(3)], [])).toEqual([p(1), p(2), p(3)]);
  });
  it('drops the kicked', () => {
    expect(wallAfter([p(1), p(2)], [p(3)], [2])).toEqual([p(1), p(3)]);
  });
  it('keeps only the newest WALL_MAX of 200 joiners', () => {
    let wall = wallAfter([], [], []);
    for (let i = 1; i <= 200; i += 1) wall = wallAfter(wall, [p(i)], []);
    expect(wall).toHaveLength(WALL_MAX);
    expect(wall[wall.length - 1]).toEqual(p(200));
    expect(wall[0]).toEqual(p(200 - WALL_MAX + 1));
    expect(wall.some((x) => x.player === 1)).toBe(false);
  });
  it('counts in words', () => {
    expect(playersLabel(1)).toBe('1 player');
    expect(playersLabel(200)).toBe('200 players');
  });
});

describe('board movement', () => {
  const e = (player: number, rank: number) => ({ player, nickname: `P${player}`, score: 100 - rank, rank });
  it('tells up, down, same and new from the previous board', () => {
    const m = movements([e(1, 1), e(2, 2), e(3, 3)], [e(3, 1), e(1, 2), e(2, 3), e(4, 4)]);
    expect(m.get(3)).toEqual({ dir: 'up', by: 2 });
    expect(m.get(1)).toEqual({ dir: 'down', by: 1 });
    expect(m.get(2)).toEqual({ dir: 'down', by: 1 });
    expect(m.get(4)).toEqual({ dir: 'new', by: 0 });
  });
  it('shows nothing without a previous board', () => {
    expect(movements(null, [e(1, 1)]).size).toBe(0);
  });
  it('reveals the podium 3rd, 2nd, 1st', () => {
    expect(revealOrder([e(1, 1), e(2, 2), e(3, 3)])).toEqual([3, 2, 1]);
    expect(revealOrder([e(1, 1), e(2, 2)])).toEqual([2, 1]);
  });
});
