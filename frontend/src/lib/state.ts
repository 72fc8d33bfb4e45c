// The reducer of server frames (and a few local events) into screen state.
// Pure: no React, no sockets, no clocks (times come in the actions).

import type {
  AnswerPayload,
  AnswerValue,
  Distribution,
  Entry,
  GameInfo,
  LeaderboardInfo,
  PlayerRef,
  ReactionsFrame,
  Role,
  ServerFrame,
  TeamEntry,
  WelcomeQuestion,
  YouInfo,
} from './protocol';
import { wallAfter } from './wall';

export type Connection = 'connecting' | 'open' | 'lost' | 'closed';

export interface QuestionView extends WelcomeQuestion {
  /** while paused: the ms that were left at the pause (question_paused). */
  remaining_ms?: number;
}

/** The player's answer to the current question: exactly the kind's field. */
export interface MyAnswer {
  question: number;
  choices?: number[];
  value?: number;
  text?: string;
  order?: number[];
  /** true once the server acknowledged it (answer_ack or welcome). */
  acked: boolean;
  /** live reveal: the ack's verdict (null for unscored kinds). */
  right?: boolean | null;
}

export interface Result {
  question: number;
  answered: boolean;
  /** null: an unscored kind (poll, word cloud, info) or no verdict. */
  right: boolean | null;
  points: number;
  bonus: number;
  total: number | null;
  rank: number | null;
  streak: number | null;
  /** the recorded value (choices | number | text | order), null without an answer. */
  value: AnswerValue;
}

/** Where the current question is, on the server's clock. */
export type QuestionPhase = 'reading' | 'answering' | 'paused' | 'time_up' | 'closed';

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
  distribution: Distribution;
  savedResults: string | null;
  kicked: boolean;
  lastError: { code: string; message: string; ref?: string } | null;
  /** show_leaderboard came for this question (auto-advance or the host's command: results phase over). */
  boardShown: number | null;
  /** Teams (null when off): the latest team board (every team, rank order),
   *  from leaderboard and question_closed frames. */
  teams: TeamEntry[] | null;
  /** game_over: the top 3 teams. */
  teamsPodium: TeamEntry[] | null;
  /** the player's team's rank and score: question_closed / game_over (or the
   *  player's own row of the team board). */
  myTeamRank: number | null;
  myTeamScore: number | null;
  /** screens: the latest second of reactions (not chained: never a resync). */
  reactions: ReactionsFrame | null;
  /** screen only: the lobby wall, the newest joiners (newest last, capped):
   *  welcome.latest_players, then the `players` frames. */
  wall: PlayerRef[];
}

export type LocalAction =
  | { type: 'local/connecting' }
  | { type: 'local/open' }
  | { type: 'local/lost' }
  | { type: 'local/closed' }
  | { type: 'local/resync_sent' }
  | { type: 'local/answer_sent'; question: number; answer: AnswerPayload }
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
  boardShown: null,
  teams: null,
  teamsPodium: null,
  myTeamRank: null,
  myTeamScore: null,
  reactions: null,
  wall: [],
};

/** The names of the game's teams, null when teams are off. */
export function teamNames(s: ViewState): string[] | null {
  return s.game?.teams ?? null;
}

/** The player's team: index and name, null when teams are off or unknown. */
export function myTeam(s: ViewState): { team: number; name: string } | null {
  const t = s.me?.team;
  if (t === null || t === undefined) return null;
  const name = s.game?.teams?.[t] ?? s.teams?.find((e) => e.team === t)?.name ?? `Team ${t + 1}`;
  return { team: t, name };
}

/** The player's team's row in a team board. */
function ownTeam(teams: TeamEntry[] | null | undefined, team: number | null | undefined): TeamEntry | null {
  if (!teams || team === null || team === undefined) return null;
  return teams.find((e) => e.team === team) ?? null;
}

const BROADCAST = new Set([
  'question', 'question_closed', 'leaderboard', 'game_over', 'players', 'resync',
  'question_paused', 'question_resumed', 'question_extended', 'show_leaderboard',
]);

const UNSCORED = new Set(['poll', 'word_cloud', 'info']);

/** A question from a frame, with the defaults an older server leaves out. */
function questionView(q: WelcomeQuestion): QuestionView {
  return {
    ...q,
    kind: q.kind ?? 'choice',
    read_time: q.read_time ?? 0,
    answers_open_ms: q.answers_open_ms ?? q.opened_ms,
    paused: q.paused ?? false,
  };
}

/** The phase of a question at server time `serverMs`. */
export function questionPhase(q: QuestionView, serverMs: number): QuestionPhase {
  if (q.state === 'closed') return 'closed';
  if (q.paused) return 'paused';
  if (serverMs < q.answers_open_ms) return 'reading';
  if (serverMs >= q.deadline_ms) return 'time_up';
  return 'answering';
}

/** Whole seconds until the answers open (the reading-time countdown). */
export function secondsToOpen(q: QuestionView, serverMs: number): number {
  return Math.max(0, Math.ceil((q.answers_open_ms - serverMs) / 1000));
}

/** The value a payload carries (what the close shows back as `value`). */
export function payloadValue(a: Partial<Record<'choices' | 'value' | 'text' | 'order', unknown>> | null | undefined): AnswerValue {
  if (!a) return null;
  if (a.choices !== undefined) return a.choices as number[];
  if (a.value !== undefined) return a.value as number;
  if (a.text !== undefined) return a.text as string;
  if (a.order !== undefined) return a.order as number[];
  return null;
}

function answerFields(a: Partial<Record<'choices' | 'value' | 'text' | 'order', unknown>>): Omit<MyAnswer, 'question' | 'acked'> {
  const out: Omit<MyAnswer, 'question' | 'acked'> = {};
  if (a.choices !== undefined && a.choices !== null) out.choices = a.choices as number[];
  if (a.value !== undefined && a.value !== null) out.value = a.value as number;
  if (a.text !== undefined && a.text !== null) out.text = a.text as string;
  if (a.order !== undefined && a.order !== null) out.order = a.order as number[];
  return out;
}

/** True when a broadcast frame's `prev` shows frames were lost since `lastSeq`. */
export function isGap(lastSeq: string | null, frame: { type: string; prev?: string }): boolean {
  if (!BROADCAST.has(frame.type)) return false;
  if (lastSeq === null || frame.prev === undefined || frame.prev === null) return false;
  return frame.prev !== lastSeq;
}

function isRight(choices: number[] | null | undefined, correct: unknown): boolean {
  if (!choices || choices.length === 0 || !Array.isArray(correct)) return false;
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
          team: you.team ?? s.me?.team ?? null,
        };
        if (you.answer && q && you.answer.question === q.question) {
          myAnswer = { question: you.answer.question, ...answerFields(you.answer as unknown as Record<string, unknown>), acked: true };
        }
        if (q && q.state === 'closed') {
          const answered = !!(you.answer && you.answer.question === q.question);
          const kind = q.kind ?? 'choice';
          let right: boolean | null;
          if (!answered) right = UNSCORED.has(kind) ? null : false;
          else if (UNSCORED.has(kind)) right = null;
          else if (kind === 'choice' || kind === 'true_false') right = isRight(you.answer?.choices, q.correct);
          // other scored kinds: a right answer always earns points (mult > 0)
          else right = you.answer?.points !== undefined && q.multiplier > 0 ? you.answer.points > 0 : null;
          result = {
            question: q.question,
            answered,
            right,
            points: answered ? (you.answer?.points ?? 0) : 0,
            bonus: answered ? (you.answer?.bonus ?? 0) : 0,
            total: you.score ?? null,
            rank: you.rank ?? null,
            streak: you.streak ?? null,
            value: answered ? payloadValue(you.answer as unknown as Record<string, unknown>) : null,
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
        question: q ? questionView(q) : null,
        leaderboard: frame.leaderboard ?? { top: [], players: frame.game.players, answered: q?.answered ?? 0 },
        me,
        myAnswer,
        result,
        podium: finished ? top.slice(0, 3) : null,
        finalRank: finished ? (me?.rank ?? null) : null,
        finalScore: finished ? (me?.score ?? null) : null,
        playersList: frame.players_list ?? s.playersList,
        wall: frame.latest_players ?? [],
        distribution: frame.distribution ?? q?.distribution ?? null,
        kicked: false,
        boardShown: q && q.board_shown ? q.question : null,
        // the welcome's team board (a reconnect or a reload shows it at once;
        // a finished game's podium is its top 3)
        ...(frame.game.teams
          ? {
            teams: frame.leaderboard?.teams ?? s.teams,
            teamsPodium: finished ? (frame.leaderboard?.teams ?? s.teams ?? []).slice(0, 3) : s.teamsPodium,
          }
          : { teams: null, teamsPodium: null, myTeamRank: null, myTeamScore: null }),
      };
    }
    case 'question': {
      const { type: _t, seq: _s, prev: _p, server_ms: _m, ...rest } = frame;
      const game = s.game ? { ...s.game, state: 'question' as const, question: frame.question } : s.game;
      return {
        ...s,
        clockOffset: frame.server_ms - now,
        game,
        question: questionView({ ...rest, state: 'open', answered: 0, board_shown: false }),
        leaderboard: { ...s.leaderboard, answered: 0 },
        myAnswer: null,
        result: null,
        lastError: null,
        boardShown: null,
        distribution: frame.choices ? frame.choices.map(() => 0) : null,
      };
    }
    case 'question_paused': {
      if (!s.question || s.question.question !== frame.question) return s;
      return { ...s, question: { ...s.question, paused: true, remaining_ms: frame.remaining_ms } };
    }
    case 'question_resumed': {
      if (!s.question || s.question.question !== frame.question) return s;
      const { remaining_ms: _r, ...q } = s.question;
      return { ...s, question: { ...q, paused: false, answers_open_ms: frame.answers_open_ms, deadline_ms: frame.deadline_ms } };
    }
    case 'question_extended': {
      if (!s.question || s.question.question !== frame.question) return s;
      const moved = frame.deadline_ms - s.question.deadline_ms;
      const q = { ...s.question, deadline_ms: frame.deadline_ms };
      // paused: the time left grows by the extension
      if (q.paused && q.remaining_ms !== undefined) q.remaining_ms = Math.max(0, q.remaining_ms + moved);
      return { ...s, question: q };
    }
    case 'show_leaderboard':
      return { ...s, boardShown: frame.question };
    case 'answer_ack': {
      const myAnswer: MyAnswer = {
        question: frame.question,
        ...answerFields(frame as unknown as Record<string, unknown>),
        acked: true,
        ...(frame.correct !== undefined ? { right: frame.correct } : {}),
      };
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
            paused: false,
            kind: frame.kind ?? s.question.kind,
            correct: frame.correct,
            distribution: frame.distribution,
            answered: typeof frame.answered === 'number' ? frame.answered : s.question.answered,
          }
        : s.question;
      const game = s.game ? { ...s.game, state: 'reveal' as const } : s.game;
      let result = s.result;
      let me = s.me;
      if (s.role === 'player') {
        const mine = s.myAnswer?.question === frame.question ? s.myAnswer : null;
        const value: AnswerValue = frame.value !== undefined ? frame.value : (frame.choices ?? null);
        const answered = value !== null;
        const kind = frame.kind ?? s.question?.kind ?? 'choice';
        let right: boolean | null;
        if (frame.right !== undefined) right = frame.right;
        else if (UNSCORED.has(kind)) right = null;
        else right = answered && isRight(frame.choices ?? mine?.choices, frame.correct);
        result = {
          question: frame.question,
          answered,
          right,
          value,
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
      const teams = frame.teams !== undefined ? frame.teams : s.teams;
      const own = ownTeam(teams, me?.team);
      const myTeamRank = frame.team_rank !== undefined ? frame.team_rank : (own?.rank ?? s.myTeamRank);
      const myTeamScore = frame.team_score !== undefined ? frame.team_score : (own?.score ?? s.myTeamScore);
      const leaderboard = {
        ...s.leaderboard,
        answered: typeof frame.answered === 'number' ? frame.answered : s.leaderboard.answered,
        players: frame.players ?? s.leaderboard.players,
      };
      return { ...s, question, game, result, me, leaderboard, distribution: frame.distribution, teams, myTeamRank, myTeamScore };
    }
    case 'leaderboard': {
      let me = s.me;
      // in on_close reveal the ranks stay hidden while a question is open
      const held = s.game?.reveal === 'on_close' && s.question?.state === 'open';
      if (me) {
        const mine = frame.top.find((e) => e.player === me!.player);
        if (mine && !held) {
          me = { ...me, score: mine.score, rank: mine.rank };
        }
      }
      const teams = frame.teams !== undefined ? frame.teams : s.teams;
      const own = held ? null : ownTeam(teams, me?.team);
      const question = s.question ? { ...s.question, answered: frame.answered } : s.question;
      return {
        ...s,
        me,
        question,
        leaderboard: { top: frame.top, players: frame.players, answered: frame.answered },
        game: s.game ? { ...s.game, players: frame.players } : s.game,
        distribution: frame.distribution ?? s.distribution,
        teams,
        myTeamRank: own ? own.rank : s.myTeamRank,
        myTeamScore: own ? own.score : s.myTeamScore,
      };
    }
    case 'players': {
      const kicked = new Set(frame.kicked ?? []);
      const known = new Set(s.playersList.map((p) => p.player));
      const joined = (frame.joined ?? []).filter((p) => !known.has(p.player));
      // a screen keeps only its capped wall (a stadium's joins never pile up)
      const screen = s.role === 'screen';
      const playersList = screen ? s.playersList : [...s.playersList, ...joined].filter((p) => !kicked.has(p.player));
      const wall = screen ? wallAfter(s.wall, frame.joined ?? [], frame.kicked ?? []) : s.wall;
      // join_open follows the lock and, late join off, the first question
      const join_open = frame.join_open ?? s.game?.join_open ?? false;
      return {
        ...s,
        playersList,
        wall,
        leaderboard: { ...s.leaderboard, players: frame.players },
        game: s.game ? { ...s.game, players: frame.players, join_open } : s.game,
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
        // an older server sends no teams_podium: the last team board's top 3
        teamsPodium: frame.teams_podium !== undefined ? frame.teams_podium : (s.teams?.slice(0, 3) ?? null),
        myTeamRank: frame.team_rank !== undefined ? frame.team_rank : s.myTeamRank,
        myTeamScore: frame.team_score !== undefined ? frame.team_score : s.myTeamScore,
      };
    }
    case 'saved':
      return { ...s, savedResults: frame.results };
    case 'kicked':
      return { ...s, kicked: true };
    case 'reactions':
      return { ...s, reactions: frame };
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
      return { ...state, myAnswer: { question: action.question, ...answerFields(action.answer), acked: false } };
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
