import { useState } from 'react';
import { hostKey, store } from '../api';
import { ConnectionBanner, Replaced, Countdown, Distribution, Leaderboard, Podium } from '../components/bits';
import { socketErrorText } from '../lib/protocol';
import { useGame } from '../useGame';

interface HostStored { host_token: string; screen_token: string; title?: string }

export function HostGame({ pin }: { pin: string }) {
  const [stored] = useState(() => store.get<HostStored>(hostKey(pin)));
  if (!stored) {
    return (
      <main className="page narrow">
        <h1>Game {pin}</h1>
        <p>This browser tab does not hold the host key of this game. Open a new game from <a href="/host">your quizzes</a>.</p>
      </main>
    );
  }
  return <Console pin={pin} stored={stored} />;
}

function Console({ pin, stored }: { pin: string; stored: HostStored }) {
  const { state, send, final, retryIn, offset, retryNow } = useGame('host', pin, stored.host_token);
  const [locked, setLocked] = useState(false);
  const g = state.game;
  const q = state.question;
  const screenUrl = `/screen/${pin}#token=${encodeURIComponent(stored.screen_token)}`;

  if (final === 'replaced') return <Replaced onUseHere={retryNow} />;
  if (final === 'unauthorized' || final === 'no_game') {
    return <main className="page narrow"><h1>Game {pin}</h1><p className="error">This game is no longer available.</p><a href="/host">Back to your quizzes</a></main>;
  }
  if (!g) return <main className="page"><p className="muted">Connecting to game {pin}…</p></main>;

  const joinOpen = g.join_open && !locked;
  const finished = g.state === 'finished';
  const isOpen = q?.state === 'open' && g.state === 'question';
  const lastQuestion = g.question >= g.n_questions;
  const players = state.leaderboard.players;

  return (
    <main className="page host console">
      <ConnectionBanner connection={state.connection} retryIn={retryIn} onRetry={retryNow} />
      <header className="bar">
        <span className="brand-small">{g.title}</span>
        <span className="bar-pin" data-testid="host-pin">PIN {pin}</span>
        <a className="btn small" href={screenUrl} target="_blank" rel="noopener">Open the big screen</a>
      </header>

      <section className="controls card" aria-label="Game controls">
        <p className="status" data-testid="host-status">
          {finished ? 'Game over' : g.state === 'lobby' ? `Lobby: ${players} players` : `Question ${g.question} of ${g.n_questions}${isOpen ? ' (open)' : ' (closed)'}`}
        </p>
        <div className="actions">
          {!finished && !isOpen && !lastQuestion && (
            <button type="button" className="btn primary big" onClick={() => send({ type: 'start_question' })}>
              {g.question === 0 ? 'Start the first question' : 'Next question'}
            </button>
          )}
          {isOpen && <button type="button" className="btn big" onClick={() => send({ type: 'close_question' })}>Close the question</button>}
          {!finished && (
            <button type="button" className={lastQuestion && !isOpen ? 'btn primary big' : 'btn danger'} onClick={() => {
              if (lastQuestion && !isOpen || window.confirm('End the game now?')) send({ type: 'end_game' });
            }}>End the game</button>
          )}
          {!finished && (
            <button type="button" className="btn" onClick={() => { send({ type: 'lock_join', locked: joinOpen }); setLocked(joinOpen); }}>
              {joinOpen ? 'Lock joining' : 'Allow joining'}
            </button>
          )}
        </div>
        {state.lastError && <p className="error" role="alert">{socketErrorText(state.lastError.code, state.lastError.message)}</p>}
      </section>

      {finished && (
        <section className="card">
          {state.podium && <Podium podium={state.podium} />}
          {state.savedResults ? (
            <a className="btn primary" href={`/api/games/${pin}/results?format=csv`} download={`stadium-${pin}.csv`} data-testid="csv">Download results (CSV)</a>
          ) : (
            <p className="muted">Saving the results…</p>
          )}
        </section>
      )}

      {q && !finished && (
        <section className="card" aria-label="Current question">
          <div className="qhead">
            <h2 className="qtext">{q.question}. {q.text}</h2>
            {isOpen && <Countdown openedMs={q.opened_ms} deadlineMs={q.deadline_ms} offset={offset} />}
          </div>
          <p className="answered" data-testid="answered">{state.leaderboard.answered} of {players} answered</p>
          <Distribution choices={q.choices} counts={state.distribution ?? q.distribution ?? q.choices.map(() => 0)} correct={q.state === 'closed' ? q.correct : undefined} />
        </section>
      )}

      <div className="columns">
        {!finished && (
          <section className="card" aria-label="Players">
            <h2>Players ({players})</h2>
            {state.playersList.length === 0 ? <p className="muted">Waiting for players to join with PIN {pin}…</p> : (
              <ul className="players" data-testid="players">
                {state.playersList.map((p) => (
                  <li key={p.player}>
                    <span className="pname">{p.nickname}</span>
                    <button type="button" className="btn small danger" aria-label={`Kick ${p.nickname}`}
                      onClick={() => { if (window.confirm(`Remove ${p.nickname}?`)) send({ type: 'kick', player: p.player }); }}>Kick</button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        <section className="card"><Leaderboard top={state.leaderboard.top} /></section>
      </div>
    </main>
  );
}
