import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorText, playerKey, store, type Joined, type PublicGame, type PublicTeams } from '../api';
import { ConnectionBanner, Replaced, Countdown, Podium, ReadCountdown, Shape } from '../components/bits';
import { LanguageSelect } from '../components/LanguageSelect';
import i18n from '../i18n';
import { formatNumber, formatRank, readingArrows } from '../i18n/format';
import { AnswerInput } from '../components/kinds';
import { ResultScreen, TeamRank, verdict } from '../components/play/ResultScreen';
import { NameReroll, type NamesMode } from '../components/names';
import { ReactionBar } from '../components/reactions';
import { useFitTiles } from '../components/play/useFitTiles';
import { finalAnnouncement, graphemeCount, playersText, pointsText, questionAnnouncement, resultAnnouncement } from '../components/play/words';
import { TeamBadge, TeamChoice, teamStyle } from '../components/teams';
import { serverNow } from '../lib/clock';
import { valueText } from '../lib/kinds';
import { socketErrorText, type AnswerPayload, type Entry } from '../lib/protocol';
import { myTeam, payloadValue, questionPhase, type ViewState } from '../lib/state';
import { navigate } from '../router';
import { useGame, useTicker } from '../useGame';
import { BrandLogo } from '../components/BrandLogo';
import { brandStyle } from '../lib/brand';
import type { Brand } from '../lib/protocol';
import '../play.css';
import '../show.css';

/** The game's end as this phone saw it: shown again after a reload once
 *  the server has forgotten the game (its PIN answers "no game"). */
interface StoredFinal {
  rank: number | null; score: number | null; podium: Entry[] | null; title: string;
  team?: { name: string; rank: number | null; score: number | null } | null;
}

/** team / teamName: from the join (the welcome tells them again).
 *  from: the first question this player could see (null until the first
 *  welcome after joining; absent in storage written before it existed). */
interface Stored {
  token: string; player: number; nickname: string; team?: number | null; teamName?: string | null;
  from?: number | null; final?: StoredFinal;
}

const NICK_MAX = 20; // graphemes, as the server counts (quiz/nicknames.py)

export function PlayPage({ pin, queryPin }: { pin: string | null; queryPin: string | null }) {
  const [stored, setStored] = useState<Stored | null>(() => (pin ? store.get<Stored>(playerKey(pin)) : null));
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => setStored(pin ? store.get<Stored>(playerKey(pin)) : null), [pin]);
  if (pin && stored) {
    return (
      <PlayerGame
        key={`${pin}:${stored.token}`}
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
  const { t } = useTranslation('play');
  const [pin, setPin] = useState(initialPin);
  const [nickname, setNickname] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the game's teams (GET /api/games/<pin>) once the PIN has 6 digits
  const [teams, setTeams] = useState<{ pin: string; teams: PublicTeams | null; names: NamesMode; brand?: Brand | null } | null>(null);
  const [team, setTeam] = useState<number | null>(null);
  const digits = pin.replace(/\D/g, '');
  useEffect(() => {
    if (digits.length !== 6) return;
    let live = true;
    api<PublicGame>('GET', `/api/games/${digits}`).then(
      (g) => { if (live) { setTeams({ pin: digits, teams: g.teams ?? null, names: g.names ?? 'off', brand: g.brand ?? null }); setTeam(null); } },
      () => { if (live) setTeams({ pin: digits, teams: null, names: 'off' }); },
    );
    return () => { live = false; };
  }, [digits]);
  const gameTeams = teams && teams.pin === digits ? teams.teams : null;
  // generated names: a suggestion (and a reroll); "required" allows no other
  const names: NamesMode = teams && teams.pin === digits ? teams.names : 'off';
  const choosing = gameTeams?.mode === 'choose';
  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = pin.replace(/\D/g, '');
    if (p.length !== 6) return setError(t('join.pinDigits'));
    if (!nickname.trim()) return setError(t('join.pickNickname'));
    if (choosing && team === null) return setError(t('join.pickTeam'));
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { nickname: nickname.trim() };
      if (choosing) body.team = team;
      const r = await api<Joined>('POST', `/api/games/${p}/players`, body);
      const t = r.team ?? null;
      const teamName = t !== null ? (gameTeams?.names[t] ?? null) : null;
      const joined: Stored = { token: r.token, player: r.player, nickname: r.nickname, team: t, teamName, from: null };
      store.set(playerKey(p), joined);
      navigate(`/play/${p}`);
    } catch (err) {
      // the server says which nickname rule failed (and the limit), in
      // English: shown as it is to English readers, the code's words to others
      if (err instanceof ApiError && err.code === 'nickname_invalid' && err.message && i18n.resolvedLanguage === 'en') {
        setError(t('join.nicknameRule', { detail: err.message }));
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className={`page narrow join${teams?.pin === digits && teams.brand?.accent ? ' branded' : ''}`} style={brandStyle(teams?.pin === digits ? teams.brand : null)}>
      <BrandLogo brand={teams?.pin === digits ? teams.brand : null} place="phone" testId="join-logo" />
      <div className="join-top">
        <h1 className="brand">Stadium</h1>
        <LanguageSelect />
      </div>
      {notice && <p className="notice" role="status">{notice}</p>}
      <form onSubmit={submit} className="card" aria-label={t('join.form')}>
        <label htmlFor="pin">{t('join.pin')}</label>
        {/* a PIN is digits typed left to right in every language */}
        <input id="pin" name="pin" inputMode="numeric" autoComplete="off" maxLength={6} value={pin} dir="ltr"
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} placeholder="123456" className="big-input pin-input" />
        <label htmlFor="nickname">{t('join.nickname')}</label>
        {/* no maxLength: it counts UTF-16 units and would cut emoji silently */}
        <input id="nickname" name="nickname" autoComplete="nickname" value={nickname} aria-describedby="nickname-count"
          onChange={(e) => setNickname(e.target.value)} placeholder={t('join.placeholder')} className="big-input" dir="auto"
          readOnly={names === 'required'} />
        <NameReroll pin={digits} mode={names} onName={setNickname} />
        <p id="nickname-count" className={`nick-count small${graphemeCount(nickname.trim()) > NICK_MAX ? ' over' : ''}`} data-testid="nickname-count" dir="ltr">
          {graphemeCount(nickname.trim())} / {NICK_MAX}
        </p>
        {choosing && gameTeams && <TeamChoice names={gameTeams.names} chosen={team} onChoose={setTeam} />}
        {gameTeams?.mode === 'auto' && <p className="muted small">{t('join.autoTeam')}</p>}
        {error && <p className="error" role="alert" data-testid="join-error">{error}</p>}
        <button type="submit" className="btn primary big" disabled={busy}>{busy ? t('join.joining') : t('join.join')}</button>
      </form>
    </main>
  );
}

/** The first question a player who joins now can see: the open one, else
 *  the next. Read from the first welcome after the join. */
function firstQuestion(state: ViewState, serverMs: number): number {
  const g = state.game;
  const q = state.question;
  if (!g || g.state === 'lobby' || !q) return 1;
  if (g.state === 'finished') return g.n_questions + 1;
  // open but its time up: the player never saw its answers either
  return q.state === 'open' && questionPhase(q, serverMs) !== 'time_up' ? q.question : q.question + 1;
}

/** GET /api/games/<pin>/players/me: this player's final place once the
 *  game is saved (null when the server has none for this token). */
async function fetchFinal(pin: string, token: string): Promise<StoredFinal | null> {
  try {
    const r = await fetch(`/api/games/${pin}/players/me`, {
      headers: { Accept: 'application/json', Authorization: `Player ${token}` },
      credentials: 'same-origin',
    });
    if (!r.ok) return null;
    const d = (await r.json()) as { rank: number | null; score: number; podium: Entry[]; title: string };
    return { rank: d.rank, score: d.score, podium: d.podium, title: d.title };
  } catch {
    return null;
  }
}

function PlayerGame({ pin, stored, onLeave }: { pin: string; stored: Stored; onLeave(why: string): void }) {
  const { t } = useTranslation('play');
  const { state, send, final, retryIn, offset, retryNow } = useGame('player', pin, stored.token);
  const q = state.question;
  // the latest stored copy: `from` and `final` are written below, after the mount
  const [saved, setSaved] = useState<Stored>(stored);
  const remember = (patch: Partial<Stored>) => {
    const next = { ...(store.get<Stored>(playerKey(pin)) ?? saved), ...patch };
    store.set(playerKey(pin), next);
    setSaved(next);
  };

  // the first welcome after joining: which questions came before this player
  const gameKnown = state.game !== null;
  useEffect(() => {
    if (gameKnown && saved.from === null) remember({ from: firstQuestion(state, serverNow(Date.now(), offset)) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [gameKnown]);

  // the end as seen here, kept for a reload after the server forgot the game
  const finished = state.game?.state === 'finished';
  useEffect(() => {
    if (finished && (state.finalRank !== null || state.finalScore !== null)) {
      const t = myTeam(state);
      remember({
        final: {
          rank: state.finalRank, score: state.finalScore, podium: state.podium, title: state.game?.title ?? '',
          team: t ? { name: t.name, rank: state.myTeamRank, score: state.myTeamScore } : null,
        },
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finished, state.finalRank, state.finalScore, state.myTeamRank]);

  // A finished game never changes: once its end is kept here, a reload
  // shows it at once, whatever the socket then says (4404 once the PIN is
  // freed; or a 4429 from an address full of phones doing the same).
  const keptFinal = saved.final && (final === 'no_game' || !state.game) ? saved.final : undefined;
  useEffect(() => {
    if (final === 'unauthorized') onLeave(t('game.placeGone'));
    if (final !== 'no_game' || keptFinal) return;
    // The server forgot the game (saved, PIN freed) before this phone saw
    // its end: PostgreSQL still knows this player's final place.
    let live = true;
    fetchFinal(pin, stored.token).then((f) => {
      if (!live) return;
      if (f) remember({ final: f });
      else onLeave(t('game.noLonger'));
    });
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [final, onLeave, keptFinal]);

  const open = q !== null && q.state === 'open' && state.game?.state === 'question';
  const now = useTicker(open, 250);
  const phase = open && q ? questionPhase(q, serverNow(now, offset)) : null;
  const tiles = useRef<HTMLDivElement>(null);
  const lockedHeading = useRef<HTMLHeadingElement>(null);
  const lockedFor = open && q && state.myAnswer && state.myAnswer.question === q.question ? q.question : null;
  // after a tap the tile is gone: the focus goes to "Answer locked in", not <body>
  useEffect(() => {
    if (lockedFor !== null) lockedHeading.current?.focus({ preventScroll: true });
  }, [lockedFor]);
  const reading = phase === 'reading';
  // re-fit whenever the tiles are put on the page again (a refused answer
  // brings them back) or the text above them changes size
  const tilesShown = open && q.kind !== 'info' && lockedFor === null && phase !== 'time_up';
  useFitTiles(tiles, `${q?.question ?? 0}:${tilesShown ? 1 : 0}:${reading ? 'r' : 'a'}:${(q?.choices ?? []).join('\u0000')}`);

  if (final === 'replaced') return <Replaced onUseHere={retryNow} />;
  if (final === 'kicked' || state.kicked) {
    return (
      <main className="page narrow center">
        <h1>{t('game.removedTitle')}</h1>
        <p>{t('game.removedBody', { pin })}</p>
        <a className="btn" href="/play">{t('game.joinAnother')}</a>
      </main>
    );
  }

  const me = state.me;
  const team = myTeam(state) ?? (stored.team !== undefined && stored.team !== null
    ? { team: stored.team, name: stored.teamName ?? t('teams.defaultName', { n: formatNumber(stored.team + 1) }) } : null);
  function answer(a: AnswerPayload) {
    if (!q) return;
    send({ type: 'answer', question: q.question, ...a, ts: Date.now() });
  }
  // a question that closed before this player's first welcome (`from` is
  // stored by an effect: until then the state it comes from says it)
  const from = saved.from === null ? (state.game ? firstQuestion(state, serverNow(Date.now(), offset)) : null) : saved.from;
  const joinedAfter = q !== null && typeof from === 'number' && q.question < from;

  let body;
  let announce = '';
  let fill = false; // the answer tiles take the whole screen below the header
  if (keptFinal) {
    body = <FinalView podium={keptFinal.podium} rank={keptFinal.rank} score={keptFinal.score} team={keptFinal.team ?? null} />;
    announce = finalAnnouncement(keptFinal.rank, keptFinal.score);
  } else if (!state.game) {
    body = <p className="center muted">{t('game.connecting')}</p>;
  } else if (state.game.state === 'finished') {
    body = (
      <FinalView podium={state.podium} rank={state.finalRank} score={state.finalScore}
        team={team ? { name: team.name, rank: state.myTeamRank, score: state.myTeamScore } : null} />
    );
    announce = finalAnnouncement(state.finalRank, state.finalScore);
  } else if (state.game.state === 'lobby' || !q) {
    body = (
      <div className="center lobby">
        <BrandLogo brand={state.game.brand} place="phone" testId="phone-logo" />
        <h2>{t('game.youreIn')}</h2>
        <p className="nick" dir="auto">{me?.nickname ?? stored.nickname}</p>
        {team && (
          <p className="team-assigned" data-testid="team-assigned">
            {t('game.yourTeam')} <span className="team-badge" style={teamStyle(team.team)}><bdi>{team.name}</bdi></span>
          </p>
        )}
        <p className="muted" data-testid="lobby-count">{t('game.waiting', { players: playersText(state.leaderboard.players) })}</p>
        <ReactionBar send={send} />
      </div>
    );
  } else if (open && q.kind === 'info') {
    body = (
      <div className="info-slide" data-testid="info-slide">
        {phase === 'paused' && <p className="paused-banner" role="status" data-testid="paused">{t('game.paused')}</p>}
        <h2 className="qtext big" dir="auto">{q.text}</h2>
        {q.image && <img className="qimage" src={q.image} alt="" />}
      </div>
    );
    announce = t('say.infoSlide', { n: formatNumber(q.question), of: formatNumber(state.game.n_questions), text: q.text });
  } else if (open && state.myAnswer && state.myAnswer.question === q.question) {
    const mine = state.myAnswer;
    body = (
      <div className="center locked" data-testid="locked">
        {phase === 'paused' && <p className="paused-banner" role="status" data-testid="paused">{t('game.paused')}</p>}
        <h2 ref={lockedHeading} tabIndex={-1} data-testid="locked-heading">{t('game.locked')}</h2>
        {mine.choices && mine.choices.length > 0 && (q.kind === 'choice' || q.kind === 'true_false' || q.kind === 'poll') ? (
          <p className="picked">
            {mine.choices.map((c) => (
              <span key={c} className={`chip c${c}`}><Shape index={c} size={20} /> <bdi>{q.choices?.[c]}</bdi></span>
            ))}
          </p>
        ) : (
          <p className="picked big-value" data-testid="locked-value" dir="auto">{readingArrows(valueText(q, payloadValue(mine)))}</p>
        )}
        <p className="muted">{t('game.waitingOthers')}</p>
        <ReactionBar send={send} />
      </div>
    );
    announce = questionAnnouncement(q.question, state.game.n_questions, q.time_limit, q.read_time);
  } else if (open && phase !== 'time_up') {
    const paused = phase === 'paused';
    fill = q.kind === 'choice' || q.kind === 'true_false' || q.kind === 'poll';
    body = (
      <div className={`question kind-${q.kind}${reading ? ' is-reading' : ''}`} ref={tiles}>
        <div className="qhead">
          <span className="muted qnum">{t('game.questionOf', { n: formatNumber(q.question), of: formatNumber(state.game.n_questions) })}</span>
          {!reading && (
            <Countdown openedMs={q.answers_open_ms} deadlineMs={q.deadline_ms} offset={offset}
              pausedLeftMs={paused ? (q.remaining_ms ?? 0) : undefined} />
          )}
        </div>
        {paused && <p className="paused-banner" role="status" data-testid="paused">{t('game.paused')}</p>}
        {/* the big screen shows the question: here the whole text only while
            reading, then one line, so the tiles keep the screen */}
        <h2 className={reading ? 'qtext' : 'qtext one-line'} title={q.text} dir="auto">{q.text}</h2>
        {q.image && <img className="qimage" src={q.image} alt="" />}
        {reading && <ReadCountdown openMs={q.answers_open_ms} offset={offset} />}
        <AnswerInput q={q} disabled={reading || paused} onAnswer={answer} />
      </div>
    );
    // the same words for the whole question (reading, answering, locked):
    // a live region speaks again only when its text changes
    announce = questionAnnouncement(q.question, state.game.n_questions, q.time_limit, q.read_time);
  } else if (open) {
    body = <div className="center"><h2>{t('game.timesUp')}</h2><p className="muted">{t('game.waitingResults')}</p></div>;
    announce = t('say.timesUp');
  } else {
    body = <><ResultScreen state={state} q={q} joinedAfter={joinedAfter} /><ReactionBar send={send} /></>;
    if (q.kind !== 'info') {
      const v = verdict(state, q, joinedAfter);
      announce = resultAnnouncement({ title: v.title, points: joinedAfter ? null : v.points, rank: me?.rank ?? null });
    }
  }

  return (
    <main className={`page player${fill ? ' fill' : ''}${state.game?.brand?.accent ? ' branded' : ''}`} style={brandStyle(state.game?.brand)}>
      {!keptFinal && <ConnectionBanner connection={state.connection} retryIn={retryIn} onRetry={retryNow} />}
      <header className="bar">
        <span className="bar-nick" dir="auto" title={me?.nickname ?? stored.nickname}>{me?.nickname ?? stored.nickname}</span>
        {team && <TeamBadge team={team.team} name={team.name} />}
        <span className="bar-pin">{t('game.pin')} <span className="pin-digits" dir="ltr">{pin}</span></span>
        <span className="bar-score" aria-label={t('game.yourScore')}>{t('game.pts', { n: formatNumber(keptFinal?.score ?? me?.score ?? 0) })}</span>
        <LanguageSelect compact />
      </header>
      {/* what a screen reader hears without looking: a question opening, a result */}
      <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="live-region">{announce}</div>
      {state.lastError && state.lastError.ref === 'answer' && (
        <p className="error" role="alert" data-testid="answer-error">{socketErrorText(state.lastError.code, state.lastError.message)}</p>
      )}
      {body}
    </main>
  );
}

/** The end: the podium and this player's final place. */
function FinalView({ podium, rank, score, team }: {
  podium: Entry[] | null; rank: number | null; score: number | null;
  team: { name: string; rank: number | null; score: number | null } | null;
}) {
  const { t } = useTranslation('play');
  const points = score !== null ? pointsText(score) : null;
  let words: string;
  if (rank) words = points !== null ? t('game.finishedWith', { rank: formatRank(rank), points }) : t('game.finished', { rank: formatRank(rank) });
  else words = points !== null ? t('game.gameOverWith', { points }) : t('game.gameOver');
  return (
    <div className="final">
      {podium && podium.length > 0 && <Podium podium={podium} />}
      <p className="final-rank" data-testid="final-rank">{words}</p>
      {team && <TeamRank name={team.name} rank={team.rank} score={team.score} final />}
    </div>
  );
}
