import { describe, expect, it } from 'vitest';
import { initialState, type QuestionView, type Result, type ViewState } from '../../lib/state';
import { verdict } from './ResultScreen';

const q: QuestionView = {
  question: 1, kind: 'choice', text: 'Which club?', image: null, time_limit: 20, multiplier: 1,
  read_time: 0, opened_ms: 0, answers_open_ms: 0, deadline_ms: 20_000, paused: false,
  choices: ['A', 'B'], state: 'closed', answered: 2, board_shown: false, correct: [0],
};

function withResult(r: Partial<Result> | null): ViewState {
  if (r === null) return initialState;
  const result: Result = {
    question: 1, answered: true, right: true, points: 958, bonus: 0, total: 958, rank: 1, streak: 1, value: [0], ...r,
  };
  return { ...initialState, result };
}

describe('the phone verdict', () => {
  it('right, wrong, no answer', () => {
    expect(verdict(withResult({}), q, false)).toEqual({ title: 'Correct!', tone: 'right', points: 958 });
    expect(verdict(withResult({ right: false, points: 0 }), q, false)).toEqual({ title: 'Wrong', tone: 'wrong', points: 0 });
    expect(verdict(withResult({ answered: false, right: false, points: 0, value: null }), q, false).title).toBe('No answer');
  });
  it('a question the player joined after has no verdict', () => {
    const late = withResult({ answered: false, right: false, points: 0, value: null });
    expect(verdict(late, q, true)).toEqual({ title: 'You joined after this question', tone: 'neutral', points: null });
    // an answer given is always judged
    expect(verdict(withResult({}), q, true).title).toBe('Correct!');
  });
  it('polls thank, without points', () => {
    const poll = { ...q, kind: 'poll' as const, multiplier: 0, correct: null };
    expect(verdict(withResult({ right: null, points: 0 }), poll, false)).toEqual({ title: 'Thanks for voting', tone: 'neutral', points: null });
  });
});
