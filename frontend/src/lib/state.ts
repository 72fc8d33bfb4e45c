// The reducer of server frames (and a few local events) into screen state.
// Pure: no React, no sockets, no clocks (times come in the actions).

import type {
  Entry,
  GameInfo,
  LeaderboardInfo,
  PlayerRef,
  Role,
  ServerFrame,
  WelcomeQuestion,
  YouInfo,
} from './protocol';

export type Connection = 'connecting' | 'open' | 'lost' | 'closed';

export interface QuestionView extends WelcomeQuestion {}

export interface MyAnswer {
  question: number;
  choices: number[];
  /** true once the server acknowledged it (answer_ack or welcome). */
  acked: boolean;
}

export interface Result {
  question: number;
  answered: boolean;
  right: boolean;
  points: number;
  bonus: number;
  total: number | null;
  rank: number | null;
  streak: number | null;
}

/** The player's own numbers: the welcome's `you` without the answer. */
export type Me = Required<Omit<YouInfo, 'answer'>>;

export interface ViewState {
  role: Role | null;
  connection: Connection;
  /** seq of the last broadcast frame (or welcome) applied. */
  lastSeq: string | null;
  /** a gap was seen: the caller must send {"type":"resync"}. */
  needResync: boolean;
  /** resync sent, waiting for the fresh welcome. */
  resyncPending: boolean;
  /** server_ms - local ms when the last clock reading arrived. */
  clockOffset: number;
  game: GameInfo | null;
  question: QuestionView | null;
  leaderboard: LeaderboardInfo;
  me: Me | null;
  myAnswer: MyAnswer | null;
  result: Result | null;
  podium: Entry[] | null;
  finalRank: number | null;
  finalScore: number | null;
  playersList: PlayerRef[];
  /** host only: live answer distribution of the current question. */
  distribution: number[] | null;
  savedResults: string | null;
  kicked: boolean;
  lastError: { code: string; message: string; ref?: string } | null;
}

export type LocalAction =
  | { type: 'local/connecting' }
  | { type: 'local/open' }
  | { type: 'local/lost' }
  | { type: 'local/closed' }
  | { type: 'local/resync_sent' }
  | { type: 'local/answer_sent'; question: number; choices: number[] }
  | { type: 'local/clear_error' };

/** A server frame with the local time it arrived. */
export type Action = LocalAction | { type: 'server'; frame: ServerFrame; now: number };

export const initialState: ViewState = {
  role: null,
  connection: 'connecting',
  lastSeq: null,
  needResync: false,
  resyncPending: false,
  clockOffset: 0,
  game: null,
  question: null,
  leaderboard: { top: [], players: 0, answered: 0 },
  me: null,
  myAnswer: null,
  result: null,
  podium: null,
  finalRank: null,
  finalScore: null,
  playersList: [],
  distribution: null,
  savedResults: null,
  kicked: false,
  lastError: null,
};

const BROADCAST = new Set(['question', 'question_closed', 'leaderboard', 'game_over', 'players', 'resync']);

/** True when a broadcast frame's `prev` shows frames were lost since `lastSeq`. */
export function isGap(lastSeq: string | null, frame: { type: string; prev?: string }): boolean {
  if (!BROADCAST.has(frame.type)) return false;
  if (lastSeq === null || frame.prev === undefined || frame.prev === null) return false;
  return frame.prev !== lastSeq;
}

function isRight(choices: number[] | null | undefined, correct: number[] | undefined): boolean {
  if (!choices || choices.length === 0 || !correct) return false;
  const ok = new Set(correct);
  return choices.every((c) => ok.has(c));
}

/** Sequence bookkeeping shared by every frame. */
function sequenced(state: ViewState, frame: ServerFrame): ViewState {
  if (frame.type === 'welcome') {
    return { ...state, lastSeq: frame.seq, needResync: false, resyncPending: false };
  }
  if (!BROADCAST.has(frame.type)) return state;
  const f = frame as { seq?: string; prev?: string; type: string };
  const gap = isGap(state.lastSeq, f) && !state.resyncPending;
  const lastSeq = f.seq ?? state.lastSeq;
  return { ...state, lastSeq, needResync: state.needResync || gap };
}

function applyFrame(s: ViewState, frame: ServerFrame, now: number): ViewState {
  switch (frame.type) {
    case 'welcome': {
      const q = frame.question;
      const you = frame.you;
      let me: Me | null = s.me;
      let myAnswer: MyAnswer | null = null;
      let result: Result | null = null;
      if (you) {
        me = {
          player: you.player,
          nickname: you.nickname,
          // absent once a finished game left Redis: keep what was known
          score: you.score ?? s.me?.score ?? 0,
          rank: you.rank ?? s.me?.rank ?? null,
          streak: you.streak ?? s.me?.streak ?? 0,
          correct_count: you.correct_count ?? s.me?.correct_count ?? 0,
        };
        if (you.answer && q && you.answer.question === q.question) {
          myAnswer = { question: you.answer.question, choices: you.answer.choices, acked: true };
        }
        if (q && q.state === 'closed') {
          const answered = !!(you.answer && you.answer.question === q.question);
          const right = answered && isRight(you.answer?.choices, q.correct);
          result = {
            question: q.question,
            answered,
            right,
            points: answered ? (you.answer?.points ?? 0) : 0,
            bonus: 0,
            total: you.score ?? null,
            rank: you.rank ?? null,
            streak: you.streak ?? null,
          };
        }
      }
      const finished = frame.game.state === 'finished';
      const top = frame.leaderboard?.top ?? [];
      return {
        ...s,
        role: frame.role,
        clockOffset: frame.server_ms - now,
        game: frame.game,
        question: q,
        leaderboard: frame.leaderboard ?? { top: [], players: frame.game.players, answered: q?.answered ?? 0 },
        me,
        myAnswer,
        result,
        podium: finished ? top.slice(0, 3) : null,
        finalRank: finished ? (me?.rank ?? null) : null,
        finalScore: finished ? (me?.score ?? null) : null,
        playersList: frame.players_list ?? s.playersList,
        distribution: frame.distribution ?? q?.distribution ?? null,
        kicked: false,
      };
    }
    case 'question': {
      const { type: _t, seq: _s, prev: _p, ...rest } = frame;
      const game = s.game ? { ...s.game, state: 'question' as const, question: frame.question } : s.game;
      return {
        ...s,
        clockOffset: frame.server_ms - now,
        game,
        question: { ...rest, state: 'open', answered: 0 },
        leaderboard: { ...s.leaderboard, answered: 0 },
        myAnswer: null,
        result: null,
        lastError: null,
        distribution: frame.choices.map(() => 0),
      };
    }
    case 'answer_ack': {
      const myAnswer: MyAnswer = { question: frame.question, choices: frame.choices, acked: true };
      let me = s.me;
      if (me && frame.total !== undefined) {
        me = {
          ...me,
          score: frame.total,
          rank: frame.rank ?? me.rank,
          streak: frame.streak ?? me.streak,
        };
      }
      return { ...s, myAnswer, me };
    }
    case 'question_closed': {
      const question = s.question && s.question.question === frame.question
        ? {
            ...s.question,
            state: 'closed' as const,
            correct: frame.correct,
            distribution: frame.distribution,
            answered: typeof frame.answered === 'number' ? frame.answered : s.question.answered,
          }
        : s.question;
      const game = s.game ? { ...s.game, state: 'reveal' as const } : s.game;
      let result = s.result;
      let me = s.me;
      if (s.role === 'player') {
        const answered = !!frame.choices;
        const choices = frame.choices ?? (s.myAnswer?.question === frame.question ? s.myAnswer.choices : null);
        result = {
          question: frame.question,
          answered,
          right: answered && isRight(choices, frame.correct),
          points: frame.points ?? 0,
          bonus: frame.bonus ?? 0,
          total: frame.total ?? null,
          rank: frame.rank ?? null,
          streak: frame.streak ?? null,
        };
        if (me) {
          me = {
            ...me,
            score: frame.total ?? me.score,
            rank: frame.rank ?? me.rank,
            streak: frame.streak ?? me.streak,
          };
        }
      }
      const leaderboard = {
        ...s.leaderboard,
        answered: typeof frame.answered === 'number' ? frame.answered : s.leaderboard.answered,
        players: frame.players ?? s.leaderboard.players,
      };
      return { ...s, question, game, result, me, leaderboard, distribution: frame.distribution };
    }
    case 'leaderboard': {
      let me = s.me;
      if (me) {
        const mine = frame.top.find((e) => e.player === me!.player);
        // in on_close reveal the rank stays hidden while a question is open
        if (mine && !(s.game?.reveal === 'on_close' && s.question?.state === 'open')) {
          me = { ...me, score: mine.score, rank: mine.rank };
        }
      }
      const question = s.question ? { ...s.question, answered: frame.answered } : s.question;
      return {
        ...s,
        me,
        question,
        leaderboard: { top: frame.top, players: frame.players, answered: frame.answered },
        game: s.game ? { ...s.game, players: frame.players } : s.game,
        distribution: frame.distribution ?? s.distribution,
      };
    }
    case 'players': {
      const kicked = new Set(frame.kicked ?? []);
      const known = new Set(s.playersList.map((p) => p.player));
      const joined = (frame.joined ?? []).filter((p) => !known.has(p.player));
      const playersList = [...s.playersList, ...joined].filter((p) => !kicked.has(p.player));
      return {
        ...s,
        playersList,
        leaderboard: { ...s.leaderboard, players: frame.players },
        game: s.game ? { ...s.game, players: frame.players } : s.game,
      };
    }
    case 'game_over': {
      const me = s.me && frame.score !== undefined
        ? { ...s.me, score: frame.score, rank: frame.rank ?? s.me.rank }
        : s.me;
      return {
        ...s,
        me,
        game: s.game ? { ...s.game, state: 'finished' } : s.game,
        question: s.question && s.question.state === 'open' ? { ...s.question, state: 'closed' } : s.question,
        podium: frame.podium,
        finalRank: frame.rank ?? me?.rank ?? null,
        finalScore: frame.score ?? me?.score ?? null,
        leaderboard: { ...s.leaderboard, players: frame.players },
      };
    }
    case 'saved':
      return { ...s, savedResults: frame.results };
    case 'kicked':
      return { ...s, kicked: true };
    case 'pong':
      return s;
    case 'resync':
      return { ...s, needResync: !s.resyncPending };
    case 'error': {
      let myAnswer = s.myAnswer;
      // an answer the server refused is not locked in (unless it already was)
      if (frame.ref === 'answer' && myAnswer && !myAnswer.acked && frame.code !== 'already_answered') {
        myAnswer = null;
      }
      // A refused resync (Redis lost the game until rebuild_game) is no
      // longer pending: the server's next resync frame must be acted on.
      const resyncPending = frame.ref === 'resync' ? false : s.resyncPending;
      return { ...s, myAnswer, resyncPending, lastError: { code: frame.code, message: frame.message, ref: frame.ref } };
    }
    default:
      return s;
  }
}

export function reduce(state: ViewState, action: Action): ViewState {
  switch (action.type) {
    case 'local/connecting':
      return { ...state, connection: 'connecting' };
    case 'local/open':
      return { ...state, connection: 'open' };
    case 'local/lost':
      // a fresh welcome follows the reconnect: no resync needed then
      return { ...state, connection: 'lost', needResync: false, resyncPending: false };
    case 'local/closed':
      return { ...state, connection: 'closed' };
    case 'local/resync_sent':
      return { ...state, needResync: false, resyncPending: true };
    case 'local/answer_sent':
      return { ...state, myAnswer: { question: action.question, choices: action.choices, acked: false } };
    case 'local/clear_error':
      return { ...state, lastError: null };
    case 'server': {
      const s = sequenced(state, action.frame);
      return applyFrame(s, action.frame, action.now);
    }
    default:
      return state;
  }
}

/** Points the player is behind the next place up, from the leaderboard's top
 *  (null when it cannot be told: first place, or the next place not in the top). */
export function pointsToNextPlace(top: Entry[], me: { score: number; rank: number | null } | null): number | null {
  if (!me || me.rank === null || me.rank <= 1) return null;
  const above = top.find((e) => e.rank === me.rank! - 1);
  if (!above) return null;
  return Math.max(0, above.score - me.score);
}

export function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}
