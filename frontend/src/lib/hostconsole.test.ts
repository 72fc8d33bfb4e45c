import { describe, expect, it } from 'vitest';
import { joinState, screenLink } from './hostconsole';

describe('joinState', () => {
  it('is open while the server says join_open', () => {
    expect(joinState({ join_open: true, late_join: false, state: 'lobby' })).toBe('open');
  });
  it('is locked (the host can allow joining again) in the lobby or with late join on', () => {
    expect(joinState({ join_open: false, late_join: false, state: 'lobby' })).toBe('locked');
    expect(joinState({ join_open: false, late_join: true, state: 'question' })).toBe('locked');
    expect(joinState({ join_open: false, state: 'question' })).toBe('locked'); // an older server: no late_join
  });
  it('is closed for good once a question started with late join off', () => {
    expect(joinState({ join_open: false, late_join: false, state: 'question' })).toBe('started');
    expect(joinState({ join_open: false, late_join: false, state: 'reveal' })).toBe('started');
  });
});

describe('screenLink', () => {
  it('carries the screen language and the board in the query, the key in the fragment', () => {
    expect(screenLink({ pin: '123456', token: 'a b', board: 'teams', lang: 'ja' })).toBe('/screen/123456?board=teams&lang=ja#token=a%20b');
    expect(screenLink({ pin: '123456', token: 'k', board: null, lang: 'ar' })).toBe('/screen/123456?lang=ar#token=k');
    expect(screenLink({ pin: '123456', token: 'k', board: null, lang: null })).toBe('/screen/123456#token=k');
  });
});
