import { describe, expect, it } from 'vitest';
import { hostLocale, joinState, screenLink } from './hostconsole';

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

describe('hostLocale', () => {
  it('keeps the browser region when it is of the language in use', () => {
    expect(hostLocale('pt-BR', 'pt')).toBe('pt-BR');
    expect(hostLocale('ar-EG', 'ar')).toBe('ar-EG');
    expect(hostLocale('fr', 'fr')).toBe('fr');
  });
  it('falls back to the language in use otherwise', () => {
    expect(hostLocale('zh-CN', 'en')).toBe('en');
    expect(hostLocale('de-DE', 'es')).toBe('es'); // switched to Spanish on a German browser
    expect(hostLocale(undefined, 'ja')).toBe('ja');
  });
});
