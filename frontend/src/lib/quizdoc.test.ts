import { describe, expect, it } from 'vitest';
import { blankEdit, checkEdit, fromDoc, toDoc, type EditQuestion } from './quizdoc';

function edit(kind: EditQuestion['kind'], more: Partial<EditQuestion> = {}): EditQuestion {
  return { ...blankEdit(kind), text: 'Q?', ...more };
}

describe('quiz document per kind', () => {
  it('writes only the kind\'s fields (and omits the multiplier of unscored kinds)', () => {
    expect(toDoc(edit('choice', { choices: [{ text: ' A ', correct: true }, { text: 'B', correct: false }] }))).toEqual({
      kind: 'choice', text: 'Q?', image: null, time_limit: 20, read_time: 0, multiplier: 1,
      choices: [{ text: 'A', correct: true }, { text: 'B', correct: false }],
    });
    expect(toDoc(edit('true_false', { truth: false, read_time: 5 }))).toEqual({
      kind: 'true_false', text: 'Q?', image: null, time_limit: 20, read_time: 5, multiplier: 1, answer: false,
    });
    expect(toDoc(edit('poll', { choices: [{ text: 'A', correct: true }, { text: 'B', correct: false }] }))).toEqual({
      kind: 'poll', text: 'Q?', image: null, time_limit: 20, read_time: 0, choices: [{ text: 'A' }, { text: 'B' }],
    });
    expect(toDoc(edit('slider', { min: '0', max: '100000', step: '1000', answer: '40000', tolerance: '5000', unit: 'people' }))).toMatchObject({
      kind: 'slider', multiplier: 1, min: 0, max: 100000, step: 1000, answer: 40000, tolerance: 5000, unit: 'people',
    });
    expect(toDoc(edit('slider'))).not.toHaveProperty('unit');
    expect(toDoc(edit('type_answer', { accepted: ['Wembley', ' ', 'Wembley Stadium '], max_length: 30 }))).toMatchObject({
      accepted: ['Wembley', 'Wembley Stadium'], max_length: 30,
    });
    expect(toDoc(edit('ordering', { items: ['a', 'b ', 'c'] })).items).toEqual(['a', 'b', 'c']);
    const cloud = toDoc(edit('word_cloud', { max_length: 15 }));
    expect(cloud).toEqual({ kind: 'word_cloud', text: 'Q?', image: null, time_limit: 20, read_time: 0, max_length: 15 });
    expect(toDoc(edit('info', { image: ' https://x/y.png ' }))).toEqual({ kind: 'info', text: 'Q?', image: 'https://x/y.png', time_limit: 20, read_time: 0 });
  });

  it('reads a document back (an old one without kind is a choice question)', () => {
    const old = fromDoc({ text: 'Old', time_limit: 30, multiplier: 2, image: null, choices: [{ text: 'x', correct: true }, { text: 'y', correct: false }] });
    expect(old).toMatchObject({ kind: 'choice', multiplier: 2, read_time: 0, time_limit: 30 });
    const s = fromDoc({ kind: 'slider', text: 'S', time_limit: 20, min: 0, max: 1, step: 0.1, answer: 0.3, tolerance: 0.1, unit: 'km', read_time: 3 });
    expect(s).toMatchObject({ min: '0', max: '1', step: '0.1', answer: '0.3', tolerance: '0.1', unit: 'km', read_time: 3 });
    expect(toDoc(s)).toMatchObject({ min: 0, max: 1, step: 0.1, answer: 0.3, tolerance: 0.1 });
    expect(fromDoc({ kind: 'true_false', text: 'T', time_limit: 20, answer: false }).truth).toBe(false);
    expect(fromDoc({ kind: 'poll', text: 'P', time_limit: 20, choices: [{ text: 'a' }, { text: 'b' }] }).multiplier).toBe(0);
  });

  it('checks what the server would refuse, naming the question', () => {
    expect(checkEdit(edit('choice', { choices: [{ text: 'A', correct: false }, { text: 'B', correct: false }] }), 2)).toBe('Question 2 needs at least one right answer.');
    expect(checkEdit(edit('slider', { min: '0', max: '10', step: '3' }), 1)).toMatch(/whole number of steps/);
    expect(checkEdit(edit('slider', { min: '0', max: '10', step: '2', answer: '5' }), 1)).toMatch(/answer must be on the grid/);
    expect(checkEdit(edit('slider', { min: '0', max: '10', step: '2', answer: '4', tolerance: '1' }), 1)).toMatch(/tolerance/);
    expect(checkEdit(edit('slider', { min: '0', max: '1', step: '0.1', answer: '0.3', tolerance: '0.2' }), 1)).toBeNull();
    expect(checkEdit(edit('type_answer', { accepted: [' '] }), 3)).toMatch(/^Question 3: add at least one/);
    expect(checkEdit(edit('type_answer', { accepted: ['abcdef'], max_length: 5 }), 1)).toMatch(/longer/);
    expect(checkEdit(edit('ordering', { items: ['a', '', 'c'] }), 1)).toMatch(/empty/);
    expect(checkEdit(edit('info'), 1)).toBeNull();
    expect(checkEdit(edit('info', { text: ' ' }), 4)).toBe('Question 4: the question text is empty.');
  });
});
