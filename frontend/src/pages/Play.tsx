import { useEffect, useState, type FormEvent } from 'react';
import { api, errorText, playerKey, store, type Joined, type PublicGame, type PublicTeams } from '../api';
import { ConnectionBanner, Replaced, Countdown, Podium, ReadCountdown, Shape } from '../components/bits';
import { AnswerInput } from '../components/kinds';
import { TeamBadge, TeamChoice, teamStyle } from '../components/teams';
import { serverNow } from '../lib/clock';
import { rightAnswerText, valueText } from '../lib/kinds';
import { socketErrorText, type AnswerPayload } from '../lib/protocol';
import { myTeam, ordinal, payloadValue, pointsToNextPlace, questionPhase, type QuestionView, type ViewState } from '../lib/state';
import { navigate } from '../router';
import { useGame, useTicker } from '../useGame';

/** team / teamName: from the join (the welcome tells them again). */
interface Stored { token: string; player: number; nickname: string; team?: number | null; teamName?: string | null }

export function PlayPage({ pin, queryPin }: { pin: string | null; queryPin: string | null }) {
  const [stored, setStored] = useState<Stored | null>(() => (pin ? store.get<Stored>(playerKey(pin)) : null));
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => setStored(pin ? store.get<Stored>(playerKey(pin)) : null), [pin]);
  if (pin && stored) {
    return (
      <PlayerGame
        pin={pin}
        stored={stored}
        onLeave={(why) => {
          store.del(playerKey(pin));
          setStored(null);
          setNotice(why);
        }}
      />
    );
  }
  return <JoinForm initialPin={pin ?? queryPin ?? ''} notice={notice} />;
}

function JoinForm({ initialPin, notice }: { initialPin: string; notice: string | null }) {
  const [pin, setPin] = useState(initialPin);
  const [nickname, setNickname] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the game's teams (GET /api/games/<pin>) once the PIN has 6 digits
  const [teams, setTeams] = useState<{ pin: string; teams: PublicTeams | null } | null>(null);
  const [team, setTeam] = useState<number | null>(null);
  const digits = pin.replace(/\D/g, '');
  useEffect(() => {
    if (digits.length !== 6) return;
    let live = true;
    api<PublicGame>('GET', `/api/games/${digits}`).then(
      (g) => { if (live) { setTeams({ pin: digits, teams: g.teams ?? null }); setTeam(null); } },
      () => { if (live) setTeams({ pin: digits, teams: null }); },
    );
    return () => { live = false; };
  }, [digits]);
  const gameTeams = teams && teams.pin === digits ? teams.teams : null;
  const choosing = gameTeams?.mode === 'choose';
  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = pin.replace(/\D/g, '');
    if (p.length !== 6) return setError('The PIN has 6 digits.');
    if (!nickname.trim()) return setError('Pick a nickname.');
    if (choosing && team === null) return setError('Pick your team.');
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { nickname: nickname.trim() };
      if (choosing) body.team = team;
      const r = await api<Joined>('POST', `/api/games/${p}/players`, body);
      const t = r.team ?? null;
      const teamName = t !== null ? (gameTeams?.names[t] ?? null) : null;
      store.set(playerKey(p), { token: r.token, player: r.player, nickname: r.nickname, team: t, teamName });
      navigate(`/play/${p}`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="page narrow join">
      <h1 className="brand">Stadium</h1>
      {notice && <p className="notice" role="status">{notice}</p>}
      <form onSubmit={submit} className="card" aria-label="Join a game">
        <label htmlFor="pin">Game PIN</label>
        <input id="pin" name="pin" inputMode="numeric" autoComplete="off" maxLength={6} value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} placeholder="123456" className="big-input" />
        <label htmlFor="nickname">Nickname</label>
        <input id="nickname" name="nickname" autoComplete="nickname" maxLength={20} value={nickname}
          onChange={(e) => setNickname(e.target.value)} placeholder="Your name" className="big-input" />
        {choosing && gameTeams && <TeamChoice names={gameTeams.names} chosen={team} onChoose={setTeam} />}
        {gameTeams?.mode === 'auto' && <p className="muted small">You will be put in a team when you join.</p>}
        {error && <p className="error" role="alert" data-testid="join-error">{error}</p>}
        <button type="submit" className="btn primary big" disabled={busy}>{busy ? 'Joining…' : 'Join'}</button>
      </form>
    </main>
  );
}

function PlayerGame({ pin, stored, onLeave }: { pin: string; stored: Stored; onLeave(why: string): void }) {
  const { state, send, final, retryIn, offset, retryNow } = useGame('player', pin, stored.token);
  const q = state.question;

  useEffect(() => {
    if (final === 'unauthorized') onLeave('Your place in that game is gone. Join again.');
    if (final === 'no_game') onLeave('That game is no longer running.');
  }, [final, onLeave]);

  const open = q !== null && q.state === 'open' && state.game?.state === 'question';
  const now = useTicker(open, 250);
  const phase = open && q ? questionPhase(q, serverNow(now, offset)) : null;

  if (final === 'replaced') return <Replaced onUseHere={retryNow} />;
  if (final === 'kicked' || state.kicked) {
    return (
      <main className="page narrow center">
        <h1>You were removed from the game</h1>
        <p>The host removed you from game {pin}.</p>
        <a className="btn" href="/play">Join another game</a>
      </main>
    );
  }

  const me = state.me;
  const team = myTeam(state) ?? (stored.team !== undefined && stored.team !== null
    ? { team: stored.team, name: stored.teamName ?? `Team ${stored.team + 1}` } : null);
  function answer(a: AnswerPayload) {
    if (!q) return;
    send({ type: 'answer', question: q.question, ...a, ts: Date.now() });
  }

  let body;
  if (!state.game) {
    body = <p className="center muted">Connecting…</p>;
  } else if (state.game.state === 'finished') {
    body = (
      <div className="final">
        {state.podium && <Podium podium={state.podium} />}
        <p className="final-rank" data-testid="final-rank">
          {state.finalRank ? `You finished ${ordinal(state.finalRank)}` : 'Game over'}
          {state.finalScore !== null ? ` with ${state.finalScore} points` : ''}
        </p>
        {team && <TeamRank name={team.name} rank={state.myTeamRank} score={state.myTeamScore} final />}
      </div>
    );
  } else if (state.game.state === 'lobby' || !q) {
    body = (
      <div className="center lobby">
        <h2>You're in!</h2>
        <p className="nick">{me?.nickname ?? stored.nickname}</p>
        {team && (
          <p className="team-assigned" data-testid="team-assigned">
            Your team: <span className="team-badge" style={teamStyle(team.team)}>{team.name}</span>
          </p>
        )}
        <p className="muted">Waiting for the host to start… ({state.leaderboard.players} players)</p>
      </div>
    );
  } else if (open && q.kind === 'info') {
    body = (
      <div className="info-slide" data-testid="info-slide">
        {phase === 'paused' && <p className="paused-banner" role="status" data-testid="paused">Paused</p>}
        <h2 className="qtext big">{q.text}</h2>
        {q.image && <img className="qimage" src={q.image} alt="" />}
      </div>
    );
  } else if (open && state.myAnswer && state.myAnswer.question === q.question) {
    const mine = state.myAnswer;
    body = (
      <div className="center locked" data-testid="locked">
        {phase === 'paused' && <p className="paused-banner" role="status" data-testid="paused">Paused</p>}
        <h2>Answer locked in</h2>
        {mine.choices && mine.choices.length > 0 && (q.kind === 'choice' || q.kind === 'true_false' || q.kind === 'poll') ? (
          <p className="picked">
            {mine.choices.map((c) => (
              <span key={c} className={`chip c${c}`}><Shape index={c} size={20} /> {q.choices?.[c]}</span>
            ))}
          </p>
        ) : (
          <p className="picked big-value" data-testid="locked-value">{valueText(q, payloadValue(mine))}</p>
        )}
        <p className="muted">Waiting for the others…</p>
      </div>
    );
  } else if (open && phase !== 'time_up') {
    const reading = phase === 'reading';
    const paused = phase === 'paused';
    body = (
      <div className={`question kind-${q.kind}`}>
        <div className="qhead">
          <span className="muted">Question {q.question} of {state.game.n_questions}</span>
          {!reading && (
            <Countdown openedMs={q.answers_open_ms} deadlineMs={q.deadline_ms} offset={offset}
              pausedLeftMs={paused ? (q.remaining_ms ?? 0) : undefined} />
          )}
        </div>
        {paused && <p className="paused-banner" role="status" data-testid="paused">Paused</p>}
        <h2 className="qtext">{q.text}</h2>
        {q.image && <img className="qimage" src={q.image} alt="" />}
        {reading && <ReadCountdown openMs={q.answers_open_ms} offset={offset} />}
        <AnswerInput q={q} disabled={reading || paused} onAnswer={answer} />
      </div>
    );
  } else if (open) {
    body = <div className="center"><h2>Time's up!</h2><p className="muted">Waiting for the results…</p></div>;
  } else {
    body = <ResultView state={state} q={q} />;
  }

  return (
    <main className="page player">
      <ConnectionBanner connection={state.connection} retryIn={retryIn} onRetry={retryNow} />
      <header className="bar">
        <span className="bar-nick">{me?.nickname ?? stored.nickname}</span>
        {team && <TeamBadge team={team.team} name={team.name} />}
        <span className="bar-pin">PIN {pin}</span>
        <span className="bar-score" aria-label="Your score">{me?.score ?? 0} pts</span>
      </header>
      {state.lastError && state.lastError.ref === 'answer' && (
        <p className="error" role="alert" data-testid="answer-error">{socketErrorText(state.lastError.code, state.lastError.message)}</p>
      )}
      {body}
    </main>
  );
}

/** After the close: right / wrong / thanks, the points, and the right answer per kind. */
function ResultView({ state, q }: { state: ViewState; q: QuestionView }) {
  const r = state.result;
  const me = state.me;
  const unscored = q.kind === 'poll' || q.kind === 'word_cloud' || q.kind === 'info';
  if (q.kind === 'info') {
    return <div className="center result info" data-testid="result"><h2>{q.text}</h2><p className="muted">Next up soon…</p></div>;
  }
  const team = myTeam(state);
  const toNext = pointsToNextPlace(state.leaderboard.top, me ? { score: me.score, rank: me.rank } : null);
  let title: string;
  let tone: string;
  if (!r) [title, tone] = ['Question closed', 'neutral'];
  else if (!r.answered) [title, tone] = ['No answer', 'wrong'];
  else if (r.right === null) [title, tone] = [q.kind === 'poll' ? 'Thanks for voting' : 'Thanks for your answer', 'neutral'];
  else if (r.right) [title, tone] = ['Correct!', 'right'];
  else [title, tone] = ['Wrong', 'wrong'];
  const right = rightAnswerText(q, q.correct);
  const yours = r?.answered ? valueText(q, r.value) : '';
  return (
    <div className={`center result ${tone}`} data-testid="result">
      <h2 data-testid="result-title">{title}</h2>
      {r && !unscored && <p className="points" data-testid="points">+{r.points} points{r.bonus ? ` (streak bonus ${r.bonus})` : ''}</p>}
      {yours && <p className="your-answer">Your answer: <strong data-testid="your-answer">{yours}</strong></p>}
      {right && <p className="right-answer">Right answer: <strong data-testid="right-answer">{right}</strong></p>}
      {me && (
        <dl className="stats">
          <div><dt>Total</dt><dd data-testid="total">{me.score}</dd></div>
          {me.rank !== null && <div><dt>Rank</dt><dd data-testid="rank">{ordinal(me.rank)}</dd></div>}
          <div><dt>Streak</dt><dd>{me.streak}</dd></div>
        </dl>
      )}
      {toNext !== null && <p className="muted">{toNext} points behind the next place</p>}
      {team && <TeamRank name={team.name} rank={state.myTeamRank} score={state.myTeamScore} />}
    </div>
  );
}

/** The player's team after a close (and at the end): its rank and score. */
function TeamRank({ name, rank, score, final = false }: { name: string; rank: number | null; score: number | null; final?: boolean }) {
  if (rank === null) return null;
  return (
    <p className="my-team-rank" data-testid="my-team-rank" data-rank={rank} data-score={score ?? undefined}>
      {final ? `Team ${name} finished ${ordinal(rank)}` : `Team ${name}: ${ordinal(rank)}`}
      {score !== null ? ` with ${score} points` : ''}
    </p>
  );
}

