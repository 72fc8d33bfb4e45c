import { describe, expect, it } from 'vitest';
import { counted, finalAnnouncement, graphemeCount, playersText, questionAnnouncement, resultAnnouncement, toNextText } from './words';

describe('phone words', () => {
  it('plural rules', () => {
    expect(playersText(1)).toBe('1 player');
    expect(playersText(0)).toBe('0 players');
    expect(playersText(2)).toBe('2 players');
    expect(counted(1, 'point', 'points')).toBe('1 point');
  });
  it('a tie is a tie, not "0 points behind"', () => {
    expect(toNextText(0)).toBe('Tied on points with the next place');
    expect(toNextText(1)).toBe('1 point behind the next place');
    expect(toNextText(250)).toBe('250 points behind the next place');
  });
  it('counts emoji sequences as one character', () => {
    expect(graphemeCount('\u{1F469}\u200d\u{1F680} Astro')).toBe(7);
    expect(graphemeCount('\u{1F984}'.repeat(15))).toBe(15);
    expect(graphemeCount('\u{1F1E9}\u{1F1EA}')).toBe(1);
  });
  it('announcements', () => {
    expect(questionAnnouncement(3, 10, 20, 0)).toBe('Question 3 of 10, 20 seconds');
    expect(questionAnnouncement(1, 1, 1, 5)).toBe('Question 1 of 1, 1 second. Answers open in 5 seconds');
    expect(resultAnnouncement({ title: 'Correct!', points: 958, rank: 4 })).toBe('Correct, plus 958 points, rank 4');
    expect(resultAnnouncement({ title: 'Wrong', points: 0, rank: null })).toBe('Wrong, plus 0 points');
    expect(finalAnnouncement(2, 1500)).toBe('Game over. You finished 2nd with 1500 points');
  });
});
