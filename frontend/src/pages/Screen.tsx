import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { screenKey, store } from '../api';
import { ConnectionBanner, Replaced, Countdown, Leaderboard, Podium, ReadCountdown } from '../components/bits';
import { KindPrompt, KindResults } from '../components/kinds';
import { TeamBoard, TeamPodium, useBoardView } from '../components/teams';
import { serverNow } from '../lib/clock';
import { questionPhase } from '../lib/state';
import { useGame, useTicker } from '../useGame';

/** The token comes in the URL's hash from the host console, is kept in
 *  sessionStorage and removed from the address bar. */
function screenToken(pin: string): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    const token = decodeURIComponent(m[1]);
    store.set(screenKey(pin), token);
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return store.get<string>(screenKey(pin));
}

export function ScreenPage({ pin }: { pin: string }) {
  const [token] = useState(() => screenToken(pin));
  if (!token) {
    return <main className="page narrow screen"><h1>Big screen</h1><p>Open the big screen from the host console of game {pin}.</p></main>;
  }
  return <Screen pin={pin} token={token} />;
}

function Screen({ pin, token }: { pin: string; token: string }) {
  const { state, final, retryIn, offset, retryNow } = useGame('screen', pin, token);
  const [qr, setQr] = useState<string | null>(null);
  const joinUrl = `${location.origin}/play?pin=${pin}`;
  useEffect(() => {
    QRCode.toDataURL(joinUrl, { margin: 1, width: 360, errorCorrectionLevel: 'M' }).then(setQr, () => setQr(null));
  }, [joinUrl]);

  const g = state.game;
  const q = state.question;
  const now = useTicker(q?.state === 'open', 250);
  const hasTeams = !!(g?.teams && g.teams.length > 0);
  const [board, setBoard] = useBoardView(pin, hasTeams);
  if (final === 'replaced') return <Replaced onUseHere={retryNow} />;
  if (final === 'unauthorized' || final === 'no_game') return <main className="page screen"><h1>This game is no longer available.</h1></main>;
  if (!g) return <main className="page screen"><p className="muted">Connecting…</p></main>;

  const joinBox = (
    <div className="join-box">
      <p className="join-how">Join at <strong>{location.host}/play</strong> with PIN</p>
      <p className="huge-pin" data-testid="screen-pin">{pin}</p>
      {qr && <img className="qr" src={qr} alt={`QR code to join: ${joinUrl}`} width={360} height={360} />}
    </div>
  );

  const teamsOn = board === 'teams';
  const teamBoard = <TeamBoard teams={state.teams} names={g.teams} title="Teams" />;
  const sideBoard = teamsOn ? teamBoard : <Leaderboard top={state.leaderboard.top} />;
  let main;
  if (g.state === 'finished') {
    // with teams both podiums show, the chosen board's first
    const teamPodium = hasTeams && state.teamsPodium ? <TeamPodium podium={state.teamsPodium} /> : null;
    const playerPodium = state.podium ? <Podium podium={state.podium} /> : null;
    main = (
      <div className="screen-final">
        <h1>{g.title}: final results</h1>
        {teamsOn ? <>{teamPodium}{playerPodium}</> : <>{playerPodium}{teamPodium}</>}
      </div>
    );
  } else if (g.state === 'lobby' || !q) {
    main = (
      <div className={teamsOn ? 'screen-lobby with-teams' : 'screen-lobby'}>
        <div>
          <h1>{g.title}</h1>
          {joinBox}
          <p className="screen-count" data-testid="screen-players">{state.leaderboard.players} players</p>
        </div>
        {teamsOn ? <TeamBoard teams={state.teams} names={g.teams} title="Teams" lobby /> : (
          <ul className="screen-names" aria-label="Players who joined">
            {state.leaderboard.top.map((e) => <li key={e.player}>{e.nickname}</li>)}
          </ul>
        )}
      </div>
    );
  } else if (state.boardShown === q.question && q.state === 'closed') {
    // auto-advance: the results phase is over, the board takes the screen
    main = (
      <div className="screen-board" data-testid="screen-leaderboard">
        <p className="muted">After question {q.question} of {g.n_questions}</p>
        {teamsOn ? <TeamBoard teams={state.teams} names={g.teams} title="Team board" /> : <Leaderboard top={state.leaderboard.top} title="Leaderboard" />}
      </div>
    );
  } else {
    const open = q.state === 'open';
    const phase = questionPhase(q, serverNow(now, offset));
    const reading = phase === 'reading';
    const paused = phase === 'paused';
    main = (
      <div className={`screen-question kind-${q.kind}${reading ? ' reading-view' : ''}`} data-testid={reading ? 'screen-reading' : 'screen-question'}>
        <div className="qhead">
          <span className="muted">Question {q.question} of {g.n_questions}</span>
          {open && !reading && q.kind !== 'info' && (
            <Countdown openedMs={q.answers_open_ms} deadlineMs={q.deadline_ms} offset={offset} big
              pausedLeftMs={paused ? (q.remaining_ms ?? 0) : undefined} />
          )}
          {q.kind !== 'info' && (
            <span className="screen-answered" data-testid="screen-answered">{state.leaderboard.answered} / {state.leaderboard.players} answered</span>
          )}
        </div>
        <h1 className={`qtext${q.kind === 'info' || reading ? ' huge' : ''}`}>{q.text}</h1>
        {q.image && <img className={q.kind === 'info' ? 'qimage info' : 'qimage'} src={q.image} alt="" />}
        {reading && <ReadCountdown openMs={q.answers_open_ms} offset={offset} big />}
        {open ? (!reading && <KindPrompt q={q} big />) : <KindResults q={q} dist={q.distribution ?? state.distribution} />}
        {g.join_open && <p className="muted small">Late? Join with PIN <strong>{pin}</strong></p>}
        {open && paused && (
          <div className="paused-overlay" role="status" data-testid="screen-paused"><span>Paused</span></div>
        )}
      </div>
    );
  }

  return (
    <main className="page screen">
      <ConnectionBanner connection={state.connection} retryIn={retryIn} onRetry={retryNow} />
      <div className={g.state === 'lobby' ? 'screen-grid solo' : 'screen-grid'}>
        <div className="screen-main">{main}</div>
        {g.state !== 'lobby' && !(q && state.boardShown === q.question && q.state === 'closed') && (
          <aside className="screen-side">{sideBoard}</aside>
        )}
      </div>
      {hasTeams && (
        <button type="button" className="btn small board-toggle" data-testid="board-toggle" data-board={board}
          onClick={() => setBoard(teamsOn ? 'players' : 'teams')} title="Switch boards (key T)">
          {teamsOn ? 'Players board' : 'Teams board'}
        </button>
      )}
    </main>
  );
}
