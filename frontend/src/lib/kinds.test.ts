import { describe, expect, it } from 'vitest';
import {
  bucketOf, bucketsInBand, cloudSizes, formatValue, isPermutation, moveItem, rightAnswerText, sliderStart,
  snapToGrid, stepBy, stepDecimals, tapPick, valueText,
} from './kinds';

describe('slider grid', () => {
  it('snaps to the grid anchored at min, within min..max', () => {
    expect(snapToGrid(7.4, 0, 10, 2)).toBe(8);
    expect(snapToGrid(-3, 0, 10, 2)).toBe(0);
    expect(snapToGrid(99, 0, 10, 2)).toBe(10);
    expect(snapToGrid(0.31, 0, 1, 0.1)).toBe(0.3);
    expect(snapToGrid(4, 1, 10, 3)).toBe(4);
    expect(snapToGrid(5.4, 1, 10, 3)).toBe(4);
    expect(stepBy(0.3, 1, 0, 1, 0.1)).toBe(0.4);
    expect(stepBy(1, 1, 0, 1, 0.1)).toBe(1);
    expect(sliderStart(0, 100_000, 1000)).toBe(50_000);
    expect(sliderStart(0, 5, 2)).toBe(2);
  });

  it('shows the step\'s decimals and the unit', () => {
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(5)).toBe(0);
    expect(formatValue(42_000, 1000, 'people')).toBe('42,000 people');
    expect(formatValue(0.3, 0.1, null)).toBe('0.3');
    expect(formatValue(1, 0.25)).toBe('1.00');
  });
});

describe('ordering', () => {
  it('moves an item (drag) and builds an order by taps', () => {
    expect(moveItem([0, 1, 2, 3], 0, 2)).toEqual([1, 2, 0, 3]);
    expect(moveItem([0, 1, 2, 3], 3, 0)).toEqual([3, 0, 1, 2]);
    expect(moveItem([0, 1, 2], 1, 1)).toEqual([0, 1, 2]);
    expect(tapPick(tapPick([], 2), 0)).toEqual([2, 0]);
    expect(tapPick([2, 0], 2)).toEqual([2, 0]);
    expect(isPermutation([2, 0, 1], 3)).toBe(true);
    expect(isPermutation([2, 0], 3)).toBe(false);
    expect(isPermutation([0, 0, 1], 3)).toBe(false);
  });
});

describe('reveal helpers', () => {
  it('word-cloud sizes grow with the count', () => {
    expect(cloudSizes([{ text: 'a', count: 5 }, { text: 'b', count: 1 }, { text: 'c', count: 3 }], 1, 5)).toEqual([5, 1, 3]);
    expect(cloudSizes([{ text: 'a', count: 2 }], 1, 5)).toEqual([3]);
    expect(cloudSizes([])).toEqual([]);
  });

  it('histogram: the bucket of the answer and the tolerance band', () => {
    const b = [0, 25, 50, 75].map((f) => ({ from: f, to: f + 25, count: 0 }));
    expect(bucketOf(b, 50)).toBe(2);
    expect(bucketOf(b, 100)).toBe(3);
    expect(bucketOf(b, 101)).toBe(-1);
    expect(bucketsInBand(b, 45, 55)).toEqual([false, true, true, false]);
    expect(bucketsInBand(b, 100, 100)).toEqual([false, false, false, true]);
  });

  it('the right answer and the player\'s value in words', () => {
    const choices = { kind: 'choice' as const, choices: ['Paris', 'Rome'] };
    expect(rightAnswerText(choices, [0])).toBe('Paris');
    expect(rightAnswerText({ kind: 'slider', step: 1000, unit: 'people' }, { answer: 40_000, tolerance: 5000 })).toBe('40,000 people (± 5,000 people)');
    expect(rightAnswerText({ kind: 'slider', step: 1 }, { answer: 7, tolerance: 0 })).toBe('7');
    expect(rightAnswerText({ kind: 'type_answer' }, { accepted: ['Wembley', 'Wembley Stadium'] })).toBe('Wembley / Wembley Stadium');
    expect(rightAnswerText({ kind: 'ordering', items: ['b', 'c', 'a'] }, { order: [2, 0, 1] })).toBe('a → b → c');
    expect(rightAnswerText({ kind: 'poll' }, null)).toBe('');
    expect(valueText({ kind: 'ordering', items: ['b', 'c', 'a'] }, [0, 2, 1])).toBe('b → a → c');
    expect(valueText(choices, [1])).toBe('Rome');
    expect(valueText({ kind: 'slider', step: 0.5, unit: 'km' }, 2.5)).toBe('2.5 km');
    expect(valueText({ kind: 'word_cloud' }, 'goal')).toBe('goal');
    expect(valueText({ kind: 'word_cloud' }, null)).toBe('');
  });
});
