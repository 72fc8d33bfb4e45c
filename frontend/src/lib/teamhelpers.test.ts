import { describe, expect, it } from 'vitest';
import { barWidth, byRank, parseTeamNames, teamColor } from './teams';

describe('team colours', () => {
  it('100 teams get 100 distinct colours', () => {
    const all = Array.from({ length: 100 }, (_, i) => teamColor(i).bg);
    expect(new Set(all).size).toBe(100);
  });
  it('home and away are red and blue', () => {
    expect(teamColor(0).bg).toBe('#c62828');
    expect(teamColor(1).bg).toBe('#1565c0');
  });
});

describe('bar race', () => {
  it('sorts by rank, ties to the lower index', () => {
    const t = (team: number, rank: number) => ({ team, name: `t${team}`, score: 0, members: 0, rank });
    expect(byRank([t(2, 2), t(0, 3), t(1, 1)]).map((e) => e.team)).toEqual([1, 2, 0]);
  });
  it('widths are relative to the leader, with a sliver for zero', () => {
    expect(barWidth(500, 1000)).toBe(50);
    expect(barWidth(1000, 1000)).toBe(100);
    expect(barWidth(0, 1000)).toBe(4);
    expect(barWidth(0, 0)).toBe(4);
  });
});

describe('team names of the host form', () => {
  it('one per line, trimmed, blanks dropped', () => {
    expect(parseTeamNames(' Home \n\nAway\n')).toEqual({ names: ['Home', 'Away'], error: null });
  });
  it('refuses what the server refuses', () => {
    expect(parseTeamNames('Home').error).toMatch(/at least 2/);
    expect(parseTeamNames('Home\nhome').error).toMatch(/Two teams/);
    expect(parseTeamNames(`Home\n${'x'.repeat(31)}`).error).toMatch(/30 characters/);
    expect(parseTeamNames(Array.from({ length: 101 }, (_, i) => `T${i}`).join('\n')).error).toMatch(/100/);
    expect(parseTeamNames(Array.from({ length: 100 }, (_, i) => `T${i}`).join('\n')).error).toBeNull();
  });
});
