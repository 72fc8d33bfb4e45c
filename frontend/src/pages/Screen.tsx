import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import i18n from '../i18n';
import { initialScreenLanguage, listenScreenLanguage } from '../i18n/screenLanguage';
import { formatNumber } from '../i18n/format';
import { screenKey, store } from '../api';
import { ConnectionBanner, Replaced } from '../components/bits';
import { ScreenBoard } from '../components/screen/Board';
import { usePreviousBoard } from '../components/screen/hooks';
import { ScreenLobby } from '../components/screen/Lobby';
import { ScreenPodium } from '../components/screen/Podium';
import { ScreenQuestion } from '../components/screen/Question';
import { ScreenSavedFinal, useSavedFinal } from '../components/screen/SavedFinal';
import { BrandLogo } from '../components/BrandLogo';
import { brandStyle } from '../lib/brand';
import { ReactionBursts } from '../components/reactions';
import { SoundGate, soundStateOf, useScreenSound } from '../components/sound';
import { TeamBoard, TeamPodium, useBoardView } from '../components/teams';
import { serverNow } from '../lib/clock';
import { questionPhase } from '../lib/state';
import { useGame, useTicker } from '../useGame';
import '../screen.css';
import '../show.css';

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

/** The screen speaks the host's language, not the phone switcher's: set
 *  before the first render, then as the console changes it. Not stored
 *  (i18n.changeLanguage, not setLanguage): this browser's own pages keep
 *  their language. */
function useScreenLanguage(pin: string): void {
  useState(() => { void i18n.changeLanguage(initialScreenLanguage(pin)); return null; });
  useEffect(() => listenScreenLanguage(pin, (lng) => { void i18n.changeLanguage(lng); }), [pin]);
}

export function ScreenPage({ pin }: { pin: string }) {
  useScreenLanguage(pin);
  const { t } = useTranslation('screen');
  const [token] = useState(() => screenToken(pin));
  if (!token) {
    return <main className="page narrow screen"><h1>{t('bigScreen')}</h1><p>{t('noToken', { pin })}</p></main>;
  }
  return <Screen pin={pin} token={token} />;
}

/** Which moment of the show the screen is at. */
type View = 'lobby' | 'question' | 'board' | 'final';

function Screen({ pin, token }: { pin: string; token: string }) {
  const { t } = useTranslation('screen');
  const { state, final, retryIn, offset, retryNow } = useGame('screen', pin, token);
  const [qr, setQr] = useState<string | null>(null);
  const joinUrl = `${location.origin}/play?pin=${pin}`;
  useEffect(() => {
    QRCode.toDataURL(joinUrl, { margin: 1, width: 480, errorCorrectionLevel: 'M' }).then(setQr, () => setQr(null));
  }, [joinUrl]);

  const g = state.game;
  const q = state.question;
  const now = useTicker(q?.state === 'open', 250);
  const hasTeams = !!(g?.teams && g.teams.length > 0);
  const [board, setBoard] = useBoardView(pin, hasTeams);
  const previous = usePreviousBoard(q?.question ?? 0, state.leaderboard.top);
  const sound = useScreenSound(pin, soundStateOf(g, q, serverNow(now, offset)));
  // reloaded after the final save freed the PIN: the podium from PostgreSQL
  const saved = useSavedFinal(pin, token, final === 'no_game');
  if (final === 'replaced') return <Replaced onUseHere={retryNow} />;
  if (final === 'no_game' && saved !== null) {
    return saved === 'loading' ? <main className="page screen"><p className="muted">{t('connecting')}</p></main> : <ScreenSavedFinal final={saved} />;
  }
  if (final === 'unauthorized' || final === 'no_game') return <main className="page screen"><h1>{t('gone')}</h1></main>;
  if (!g) return <main className="page screen"><p className="muted">{t('connecting')}</p></main>;

  const teamsOn = board === 'teams';
  let view: View;
  if (g.state === 'finished') view = 'final';
  else if (g.state === 'lobby' || !q) view = 'lobby';
  // auto-advance: the results phase is over, the board takes the screen
  else if (state.boardShown === q.question && q.state === 'closed') view = 'board';
  else view = 'question';

  // only while joining is possible (late join on, not locked, not full):
  // the players frame keeps join_open live
  const late = g.join_open && view !== 'lobby' && view !== 'final' ? (
    <p className="late-join" data-testid="screen-late-join">
      <Trans ns="screen" i18nKey="lateJoin" values={{ host: location.host, pin }}
        components={{ b: <strong dir="ltr" />, pin: <strong className="late-pin" dir="ltr" /> }} />
    </p>
  ) : null;

  let main;
  if (view === 'final') {
    // with teams both podiums show, the chosen board's first
    const teamPodium = hasTeams && state.teamsPodium ? <TeamPodium podium={state.teamsPodium} /> : null;
    const playerPodium = state.podium ? <ScreenPodium podium={state.podium} /> : null;
    main = (
      <div className={teamPodium ? 'show-final with-teams' : 'show-final'} data-testid="screen-final">
        <h1 className="show-final-title">{t('finalTitle', { title: g.title })}</h1>
        <div className="show-final-podiums">
          {teamsOn ? <>{teamPodium}{playerPodium}</> : <>{playerPodium}{teamPodium}</>}
        </div>
      </div>
    );
  } else if (view === 'lobby') {
    main = (
      <ScreenLobby title={g.title} pin={pin} qr={qr} joinUrl={joinUrl} players={state.leaderboard.players} wall={state.wall}
        teamBoard={teamsOn ? <TeamBoard teams={state.teams} names={g.teams} title={t('teams')} lobby /> : undefined} />
    );
  } else if (view === 'board' && q) {
    main = (
      <div className="show-fullboard" data-testid="screen-leaderboard">
        <p className="show-after">{t('after', { n: formatNumber(q.question), of: formatNumber(g.n_questions) })}</p>
        {teamsOn
          ? <TeamBoard teams={state.teams} names={g.teams} title={t('teamBoard')} />
          : <ScreenBoard key={q.question} top={state.leaderboard.top} previous={previous} title={t('leaderboard')} full />}
        {late}
      </div>
    );
  } else if (q) {
    // the reading time and an info slide take the whole width: the
    // question alone, large
    const solo = q.kind === 'info' || questionPhase(q, serverNow(now, offset)) === 'reading';
    main = (
      <div className={solo ? 'show-split solo' : 'show-split'}>
        <div className="show-main">
          <ScreenQuestion g={g} q={q} now={now} offset={offset} answered={state.leaderboard.answered}
            players={state.leaderboard.players} dist={state.distribution} late={late} />
        </div>
        {!solo && (
          <aside className="show-side">
            {teamsOn ? <TeamBoard teams={state.teams} names={g.teams} title={t('teams')} /> : <ScreenBoard top={state.leaderboard.top} title={t('top10')} />}
          </aside>
        )}
      </div>
    );
  }

  return (
    <main className={`page screen show${g.brand?.accent ? ' branded' : ''}`} data-view={view} style={brandStyle(g.brand)}>
      <ConnectionBanner connection={state.connection} retryIn={retryIn} onRetry={retryNow} />
      {main}
      <BrandLogo brand={g.brand} place={view === 'lobby' ? 'screen-lobby' : 'screen-corner'} testId="screen-logo" />
      <ReactionBursts frame={state.reactions} />
      <SoundGate unlocked={sound.unlocked} unlock={sound.unlock} />
      {hasTeams && (
        <button type="button" className="btn small board-toggle" data-testid="board-toggle" data-board={board}
          onClick={() => setBoard(teamsOn ? 'players' : 'teams')} title={t('switchBoards')}>
          {teamsOn ? t('playersBoard') : t('teamsBoard')}
        </button>
      )}
    </main>
  );
}
