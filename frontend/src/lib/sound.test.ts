import { describe, expect, it } from 'vitest';
import { cuesBetween, DEFAULT_SOUND, parseSoundSettings, type SoundState } from './sound';

const st = (phase: SoundState['phase'], question = 0, secondsLeft: number | null = null): SoundState => ({ phase, question, secondsLeft });

describe('what the big screen plays when', () => {
  it('starts the lobby music on the first lobby state and stops it when play starts', () => {
    expect(cuesBetween(null, st('lobby'))).toEqual(['lobby_start']);
    expect(cuesBetween(st('lobby'), st('lobby'))).toEqual([]);
    expect(cuesBetween(st('lobby'), st('reading', 1))).toEqual(['lobby_stop']);
  });

  it('ticks once per second in the last five seconds only', () => {
    const seen: string[] = [];
    let prev = st('answering', 1, 20);
    for (const s of [20, 9, 6, 5, 5, 4, 3, 2, 1]) {
      const next = st('answering', 1, s);
      seen.push(...cuesBetween(prev, next));
      prev = next;
    }
    expect(seen).toEqual(['tick', 'tick', 'tick', 'tick', 'tick']);
  });

  it('a new question with 5 s left ticks again, and a reload mid-question does not replay', () => {
    expect(cuesBetween(st('answering', 1, 5), st('answering', 2, 5))).toEqual(['tick']);
    expect(cuesBetween(null, st('answering', 3, 4))).toEqual([]);
    expect(cuesBetween(null, st('closed', 3))).toEqual([]);
  });

  it('stings at each close and plays the podium once', () => {
    expect(cuesBetween(st('answering', 1, 3), st('closed', 1))).toEqual(['reveal']);
    expect(cuesBetween(st('closed', 1), st('closed', 1))).toEqual([]);
    expect(cuesBetween(st('closed', 1), st('closed', 2))).toEqual(['reveal']);
    expect(cuesBetween(st('between', 2), st('finished', 2))).toEqual(['podium']);
    expect(cuesBetween(st('finished', 2), st('finished', 2))).toEqual([]);
  });
});

describe('the console\'s volume and mute, kept per game', () => {
  it('reads what the console stored, and defaults for anything else', () => {
    expect(parseSoundSettings(JSON.stringify({ muted: true, volume: 0.25 }))).toEqual({ muted: true, volume: 0.25 });
    expect(parseSoundSettings(JSON.stringify({ muted: 'yes', volume: 7 }))).toEqual(DEFAULT_SOUND);
    expect(parseSoundSettings(JSON.stringify({ volume: 0 }))).toEqual({ muted: false, volume: 0 });
    expect(parseSoundSettings('{not json')).toEqual(DEFAULT_SOUND);
    expect(parseSoundSettings('null')).toEqual(DEFAULT_SOUND);
    expect(parseSoundSettings(null)).toEqual(DEFAULT_SOUND);
  });
});
