import { useEffect, useState, type FormEvent } from 'react';
import { api, errorText, playerKey, store, type Joined } from '../api';
import { ConnectionBanner, Replaced, Countdown, Podium, Shape } from '../components/bits';
import { secondsLeft } from '../lib/clock';
import { socketErrorText } from '../lib/protocol';
import { ordinal, pointsToNextPlace } from '../lib/state';
import { navigate } from '../router';
import { useGame, useTicker } from '../useGame';

interface Stored { token: string; player: number; nickname: string }

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
  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = pin.replace(/\D/g, '');
    if (p.length !== 6) return setError('The PIN has 6 digits.');
    if (!nickname.trim()) return setError('Pick a nickname.');
    setBusy(true);
    setError(null);
    try {
      const r = await api<Joined>('POST', `/api/games/${p}/players`, { nickname: nickname.trim() });
      store.set(playerKey(p), { token: r.token, player: r.player, nickname: r.nickname });
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
        {error && <p className="error" role="alert" data-testid="join-error">{error}</p>}
        <button type="submit" className="btn primary big" disabled={busy}>{busy ? 'Joining…' : 'Join'}</button>
      </form>
    </main>
  );
}

function PlayerGame({ pin, stored, onLeave }: { pin: string; stored: Stored; onLeave(why: string): void }) {
  const { state, send, final, retryIn, offset, retryNow } = useGame('player', pin, stored.token);
  const [picked, setPicked] = useState<number[]>([]);
  const q = state.question;
  const qn = q?.question ?? 0;
  useEffect(() => setPicked([]), [qn]);

  useEffect(() => {
    if (final === 'unauthorized') onLeave('Your place in that game is gone. Join again.');
    if (final === 'no_game') onLeave('That game is no longer running.');
  }, [final, onLeave]);

  const open = q !== null && q.state === 'open' && state.game?.state === 'question';
  const now = useTicker(open, 250);
  const timeUp = open && q ? secondsLeft(q.deadline_ms, offset, now) === 0 : false;

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
  function answer(choices: number[]) {
    if (!q) return;
    if (!send({ type: 'answer', question: q.question, choices, ts: Date.now() })) return;
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
      </div>
    );
  } else if (state.game.state === 'lobby' || !q) {
    body = (
      <div className="center lobby">
        <h2>You're in!</h2>
        <p className="nick">{me?.nickname ?? stored.nickname}</p>
        <p className="muted">Waiting for the host to start… ({state.leaderboard.players} players)</p>
      </div>
    );
  } else if (open && state.myAnswer && state.myAnswer.question === q.question) {
    body = (
      <div className="center locked" data-testid="locked">
        <h2>Answer locked in</h2>
        <p className="picked">
          {state.myAnswer.choices.map((c) => (
            <span key={c} className={`chip c${c}`}><Shape index={c} size={20} /> {q.choices[c]}</span>
          ))}
        </p>
        <p className="muted">Waiting for the others…</p>
      </div>
    );
  } else if (open && !timeUp) {
    body = (
      <div className="question">
        <div className="qhead">
          <span className="muted">Question {q.question} of {state.game.n_questions}</span>
          <Countdown openedMs={q.opened_ms} deadlineMs={q.deadline_ms} offset={offset} />
        </div>
        <h2 className="qtext">{q.text}</h2>
        {q.multi && <p className="hint">Pick every right answer, then Submit.</p>}
        <div className={`answers n${q.choices.length}`} role="group" aria-label="Answers">
          {q.choices.map((c, i) => {
            const on = picked.includes(i);
            return (
              <button key={i} type="button" className={`answer c${i}${on ? ' on' : ''}`}
                aria-pressed={q.multi ? on : undefined}
                aria-label={`${c} (${q.choices.length > 1 ? 'the ' : ''}${SHAPE_WORD[i]})`}
                onClick={() => (q.multi ? setPicked(on ? picked.filter((x) => x !== i) : [...picked, i]) : answer([i]))}>
                <Shape index={i} size={36} />
                <span className="answer-text">{c}</span>
              </button>
            );
          })}
        </div>
        {q.multi && (
          <button type="button" className="btn primary big submit" disabled={picked.length === 0}
            onClick={() => answer([...picked].sort((a, b) => a - b))}>
            Submit {picked.length > 0 ? `(${picked.length})` : ''}
          </button>
        )}
      </div>
    );
  } else if (open) {
    body = <div className="center"><h2>Time's up!</h2><p className="muted">Waiting for the results…</p></div>;
  } else {
    const r = state.result;
    const toNext = pointsToNextPlace(state.leaderboard.top, me ? { score: me.score, rank: me.rank } : null);
    body = (
      <div className={`center result ${r?.right ? 'right' : 'wrong'}`} data-testid="result">
        <h2>{!r ? 'Question closed' : !r.answered ? 'No answer' : r.right ? 'Correct!' : 'Wrong'}</h2>
        {r && <p className="points">+{r.points} points{r.bonus ? ` (streak bonus ${r.bonus})` : ''}</p>}
        {me && (
          <dl className="stats">
            <div><dt>Total</dt><dd data-testid="total">{me.score}</dd></div>
            {me.rank !== null && <div><dt>Rank</dt><dd data-testid="rank">{ordinal(me.rank)}</dd></div>}
            <div><dt>Streak</dt><dd>{me.streak}</dd></div>
          </dl>
        )}
        {toNext !== null && <p className="muted">{toNext} points behind the next place</p>}
        {q && q.correct && (
          <p className="muted">Right answer: {q.correct.map((c) => q.choices[c]).join(', ')}</p>
        )}
      </div>
    );
  }

  return (
    <main className="page player">
      <ConnectionBanner connection={state.connection} retryIn={retryIn} onRetry={retryNow} />
      <header className="bar">
        <span className="bar-nick">{me?.nickname ?? stored.nickname}</span>
        <span className="bar-pin">PIN {pin}</span>
        <span className="bar-score" aria-label="Your score">{me?.score ?? 0} pts</span>
      </header>
      {state.lastError && state.lastError.ref === 'answer' && (
        <p className="error" role="alert">{socketErrorText(state.lastError.code, state.lastError.message)}</p>
      )}
      {body}
    </main>
  );
}

const SHAPE_WORD = ['triangle', 'diamond', 'circle', 'square', 'pentagon', 'star'];
