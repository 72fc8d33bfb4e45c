import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorText, hostKey, store } from '../api';
import { Login } from './Host';
import '../host.css';
import { ConnectionBanner, Replaced, Countdown, Distribution, Leaderboard, Podium, ReadCountdown } from '../components/bits';
import { KindPrompt, KindResults } from '../components/kinds';
import { WebhookLog } from '../components/WebhookLog';
import { ShowBoardButton } from '../components/ShowBoardButton';
import { SoundControls } from '../components/sound';
import '../show.css';
import { announceBoard, teamStyle, type BoardView } from '../components/teams';
import type { TeamEntry } from '../lib/protocol';
import { serverNow } from '../lib/clock';
import { socketErrorText } from '../lib/protocol';
import { questionPhase } from '../lib/state';
import { joinState, screenLink } from '../lib/hostconsole';
import { useGame, useTicker } from '../useGame';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { currentLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n';
import { announceScreenLanguage, readScreenLanguage } from '../i18n/screenLanguage';

interface HostStored { host_token: string; screen_token: string; title?: string }

/** GET /api/games/<pin>/host-key: the owner's keys, on any tab or device. */
interface HostKey { pin: string; game: string; host_token: string; screen_token: string }

type KeyState =
  | { kind: 'ready'; stored: HostStored; fromTab: boolean }
  | { kind: 'loading' }
  | { kind: 'login' }
  | { kind: 'refused'; message: string };

/** The console of game `pin`. The host key comes from this tab's
 *  sessionStorage (the tab that opened the game) or, in any other tab or
 *  device, from the API for the game's logged-in owner. */
export function HostGame({ pin }: { pin: string }) {
  const [key, setKey] = useState<KeyState>(() => {
    const stored = store.get<HostStored>(hostKey(pin));
    return stored ? { kind: 'ready', stored, fromTab: true } : { kind: 'loading' };
  });
  const [attempt, setAttempt] = useState(0);
  const { t } = useTranslation('host');
  useEffect(() => {
    if (key.kind !== 'loading') return;
    let live = true;
    api<HostKey>('GET', `/api/games/${pin}/host-key`).then(
      (k) => {
        if (!live) return;
        const stored = { host_token: k.host_token, screen_token: k.screen_token };
        store.set(hostKey(pin), stored);
        setKey({ kind: 'ready', stored, fromTab: false });
      },
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) setKey({ kind: 'login' });
        else if (e instanceof ApiError && e.status === 403) setKey({ kind: 'refused', message: t('console.notYours') });
        else if (e instanceof ApiError && e.status === 404) setKey({ kind: 'refused', message: t('console.noGame', { pin }) });
        else setKey({ kind: 'refused', message: errorText(e) });
      },
    );
    return () => { live = false; };
  }, [key.kind, pin, attempt]);
  if (key.kind === 'login') return <Login onDone={() => { setKey({ kind: 'loading' }); setAttempt((n) => n + 1); }} />;
  if (key.kind === 'loading') return <main className="page narrow"><p className="muted">{t('console.opening', { pin })}</p></main>;
  if (key.kind === 'refused') {
    return (
      <main className="page narrow">
        <h1>{t('console.game', { pin })}</h1>
        <p className="error" role="alert" data-testid="host-key-error">{key.message}</p>
        <p><a href="/host">{t('console.back')}</a></p>
      </main>
    );
  }
  // a key this tab kept may be of an older game with the same PIN: the
  // socket refuses it (4401), and the owner's current key is fetched once
  const stale = key.fromTab ? () => { store.del(hostKey(pin)); setKey({ kind: 'loading' }); } : undefined;
  return <Console pin={pin} stored={key.stored} onStale={stale} />;
}

function Console({ pin, stored, onStale }: { pin: string; stored: HostStored; onStale?: () => void }) {
  const { state, send, final, retryIn, offset, retryNow } = useGame('host', pin, stored.host_token);
  useEffect(() => { if (final === 'unauthorized' && onStale) onStale(); }, [final, onStale]);
  const [jumpTo, setJumpTo] = useState('');
  // the big screen's board (teams games): the screen defaults to the teams'
  const [board, setBoard] = useState<BoardView>('teams');
  const { t, i18n } = useTranslation('host');
  // the big screen's language: the host's pick for this game (kept in this
  // browser), else the console's own language
  const [screenPick, setScreenPick] = useState<Language | null>(() => readScreenLanguage(pin));
  const consoleLang = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : currentLanguage();
  const screenLang: Language = screenPick ?? consoleLang;
  const g = state.game;
  const q = state.question;
  const now = useTicker(q?.state === 'open', 250);
  const hasTeams = !!(g?.teams && g.teams.length > 0);
  const screenUrl = screenLink({ pin, token: stored.screen_token, board: hasTeams ? board : null, lang: screenLang });
  // `saved` reaches only the console that sent end_game: a game ended by
  // auto-advance, a save the flusher finished later or a reload after the
  // end never get it. Then ask the results endpoint (409 until saved).
  const [polledSaved, setPolledSaved] = useState<string | null>(null);
  const ended = state.game?.state === 'finished';
  const savedResults = state.savedResults ?? polledSaved;
  useEffect(() => {
    if (!ended || savedResults) return;
    const url = `/api/games/${pin}/results`;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => api('GET', url).then(
      () => { if (live) setPolledSaved(url); },
      () => { if (live) timer = setTimeout(poll, 1000); },
    );
    poll();
    return () => { live = false; clearTimeout(timer); };
  }, [ended, savedResults, pin]);

  if (final === 'replaced') return <Replaced onUseHere={retryNow} />;
  if (final === 'unauthorized' || final === 'no_game') {
    return <main className="page narrow"><h1>{t('console.game', { pin })}</h1><p className="error">{t('console.gone')}</p><a href="/host">{t('console.back')}</a></main>;
  }
  if (!g) return <main className="page"><p className="muted">{t('console.connecting', { pin })}</p></main>;

  const join = joinState(g);
  const finished = g.state === 'finished';
  const isOpen = q?.state === 'open' && g.state === 'question';
  const lastQuestion = g.question >= g.n_questions;
  const players = state.leaderboard.players;
  const phase = q && isOpen ? questionPhase(q, serverNow(now, offset)) : null;
  const paused = phase === 'paused';
  const nextNumber = g.question + 1;
  const jumpChoices = Array.from({ length: g.n_questions }, (_, i) => i + 1);

  return (
    <main className="page host console">
      <ConnectionBanner connection={state.connection} retryIn={retryIn} onRetry={retryNow} />
      <header className="bar">
        <span className="brand-small" dir="auto">{g.title}</span>
        <span className="bar-pin" data-testid="host-pin">{t('console.pin', { pin })}</span>
        <a className="btn small" href={screenUrl} target="_blank" rel="noopener" data-testid="screen-link">{t('console.openScreen')}</a>
        <span className="lang-switch" title={t('console.screenLanguageHint')}>
          <label htmlFor="screen-language">{t('console.screenLanguage')}</label>
          <select id="screen-language" data-testid="screen-language" value={screenLang}
            onChange={(e) => {
              const lng = e.target.value;
              if (!isLanguage(lng)) return;
              setScreenPick(lng);
              announceScreenLanguage(pin, lng);
            }}>
            {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
          </select>
        </span>
        {hasTeams && (
          <button type="button" className="btn small" data-testid="host-board-toggle" data-board={board}
            title={t('console.boardHint')}
            onClick={() => { const next = board === 'teams' ? 'players' : 'teams'; setBoard(next); announceBoard(pin, next); }}>
            {board === 'teams' ? t('console.playersBoard') : t('console.teamsBoard')}
          </button>
        )}
        <LanguageSwitch />
      </header>

      <SoundControls pin={pin} />
      <section className="controls card" aria-label={t('console.controls')}>
        <p className="status" data-testid="host-status">
          {finished ? t('console.over') : g.state === 'lobby' ? t('console.lobby', { count: players })
            : statusWithBoard(t('console.question', {
              n: g.question, total: g.n_questions,
              phase: t(`console.phase.${isOpen ? (paused ? 'paused' : phase === 'reading' ? 'reading' : 'open') : 'closed'}`),
            }), !isOpen && !!q && state.boardShown === q.question, t)}
        </p>
        {isOpen && (
          <div className="actions clock" role="group" aria-label={t('console.clock')}>
            {paused ? (
              <button type="button" className="btn primary big" data-testid="host-resume" onClick={() => send({ type: 'resume_question' })}>{t('console.resume')}</button>
            ) : (
              <button type="button" className="btn big" data-testid="host-pause" onClick={() => send({ type: 'pause_question' })}>{t('console.pause')}</button>
            )}
            <button type="button" className="btn" data-testid="host-extend-10" onClick={() => send({ type: 'extend_question', seconds: 10 })}>{t('console.extend', { s: 10 })}</button>
            <button type="button" className="btn" data-testid="host-extend-30" onClick={() => send({ type: 'extend_question', seconds: 30 })}>{t('console.extend', { s: 30 })}</button>
          </div>
        )}
        <div className="actions">
          {!finished && !isOpen && !lastQuestion && (
            <button type="button" className="btn primary big" data-testid="host-next" onClick={() => send({ type: 'start_question' })}>
              {g.question === 0 ? t('console.startFirst') : t('console.next')}
            </button>
          )}
          {isOpen && <button type="button" className="btn big" data-testid="host-close" onClick={() => send({ type: 'close_question' })}>{t('console.close')}</button>}
          <ShowBoardButton q={q} boardShown={state.boardShown} finished={finished} send={send} />
          {!finished && (
            <button type="button" className={lastQuestion && !isOpen ? 'btn primary big' : 'btn danger'} onClick={() => {
              if (lastQuestion && !isOpen || window.confirm(t('console.confirmEnd'))) send({ type: 'end_game' });
            }}>{t('console.end')}</button>
          )}
          {!finished && (join === 'started' ? (
            <span className="join-closed" data-testid="host-join-state" data-join="started">{t('console.joinStarted')}</span>
          ) : (
            // the server's state (welcome, then every players frame), never a guess
            <button type="button" className="btn" data-testid="host-join-state" data-join={join}
              onClick={() => send({ type: 'lock_join', locked: join === 'open' })}>
              {join === 'open' ? t('console.lock') : t('console.allow')}
            </button>
          ))}
        </div>
        {!finished && !isOpen && g.n_questions > 1 && (
          <form className="jump" aria-label={t('console.jumpForm')} onSubmit={(e) => {
            e.preventDefault();
            const n = Number(jumpTo || nextNumber);
            if (n >= 1 && n <= g.n_questions && send({ type: 'start_question', question: n })) setJumpTo('');
          }}>
            <label htmlFor="jump-to">{t('console.jumpTo')}</label>
            <select id="jump-to" data-testid="host-jump-select" value={jumpTo || String(Math.min(nextNumber, g.n_questions))}
              onChange={(e) => setJumpTo(e.target.value)}>
              {jumpChoices.map((n) => <option key={n} value={n}>{n <= g.question ? t('console.played', { n }) : n}</option>)}
            </select>
            <button type="submit" className="btn" data-testid="host-jump">{t('console.startIt')}</button>
          </form>
        )}
        {state.lastError && <p className="error" role="alert" data-testid="host-error">{socketErrorText(state.lastError.code, state.lastError.message)}</p>}
      </section>

      {finished && (
        <section className="card">
          {state.podium && <Podium podium={state.podium} />}
          {savedResults ? (
            <a className="btn primary" href={`/api/games/${pin}/results?format=csv`} download={`stadium-${pin}.csv`} data-testid="csv">{t('console.csv')}</a>
          ) : null}
          {savedResults ? (
            <a className="btn" href={`/host/report/${pin}`} data-testid="report-link">{t('console.report')}</a>
          ) : (
            <p className="muted">{t('console.saving')}</p>
          )}
        </section>
      )}

      {q && !finished && (
        <section className="card" aria-label={t('console.current')}>
          <div className="qhead">
            <h2 className="qtext">{q.question}. <bdi>{q.text}</bdi></h2>
            {isOpen && phase !== 'reading' && q.kind !== 'info' && (
              <Countdown openedMs={q.answers_open_ms} deadlineMs={q.deadline_ms} offset={offset}
                pausedLeftMs={paused ? (q.remaining_ms ?? 0) : undefined} />
            )}
          </div>
          <p className="muted small" data-testid="host-kind">{t(`console.kind.${q.kind}`, { defaultValue: q.kind })}</p>
          {isOpen && phase === 'reading' && <ReadCountdown openMs={q.answers_open_ms} offset={offset} />}
          {paused && <p className="paused-banner" role="status" data-testid="host-paused">{t('console.paused')}</p>}
          {q.kind !== 'info' && <p className="answered" data-testid="answered">{t('console.answered', { answered: state.leaderboard.answered, count: players })}</p>}
          {q.state === 'closed' ? (
            <KindResults q={q} dist={q.distribution ?? state.distribution} />
          ) : q.choices && Array.isArray(state.distribution) && state.distribution.every((x) => typeof x === 'number') ? (
            <Distribution choices={q.choices} counts={state.distribution as number[]} />
          ) : (
            <KindPrompt q={q} />
          )}
        </section>
      )}

      <div className="columns">
        {!finished && (
          <section className="card" aria-label={t('console.players')}>
            <h2>{t('console.playersCount', { count: players })}</h2>
            {state.playersList.length === 0 ? <p className="muted">{t('console.waiting', { pin })}</p> : (
              <ul className="players" data-testid="players">
                {state.playersList.map((p) => (
                  <li key={p.player}>
                    <bdi className="pname">{p.nickname}</bdi>
                    <button type="button" className="btn small danger" aria-label={t('console.kickWho', { name: p.nickname })}
                      onClick={() => { if (window.confirm(t('console.confirmKick', { name: p.nickname }))) send({ type: 'kick', player: p.player }); }}>{t('console.kick')}</button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        {hasTeams && <HostTeams names={g.teams ?? []} teams={state.teams} />}
        <section className="card"><Leaderboard top={state.leaderboard.top} /></section>
        <WebhookLog pin={pin} />
      </div>
    </main>
  );
}

/** Members per team, live (the leaderboard ticks' `teams`), in team order. */
function HostTeams({ names, teams }: { names: string[]; teams: TeamEntry[] | null }) {
  const byTeam = new Map((teams ?? []).map((e) => [e.team, e]));
  const { t } = useTranslation('host');
  return (
    <section className="card" aria-label={t('console.teams')}>
      <h2>{t('console.teamsCount', { count: names.length })}</h2>
      <ul className="host-teams" data-testid="host-teams">
        {names.map((name, i) => {
          const e = byTeam.get(i);
          return (
            <li key={i} style={teamStyle(i)} data-testid={`host-team-${i}`} data-members={e?.members ?? 0} data-score={e?.score ?? 0} data-rank={e?.rank}>
              <bdi className="pname">{name}</bdi>
              <span>{e ? t('console.teamLine', { count: e.members, score: e.score }) : '…'}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "Question 2 of 5 (closed)", with " · leaderboard" while the board is up. */
function statusWithBoard(status: string, board: boolean, t: (k: string, o?: Record<string, unknown>) => string): string {
  return board ? t('console.withBoard', { status }) : status;
}
