// Teams (issue 14): the player's badge, the big screen's bar race and team
// podium, the join page's team buttons.
import { useEffect, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n';
import { formatNumber, formatRank } from '../i18n/format';
import type { TeamEntry } from '../lib/protocol';
import { barWidth, byRank, teamColor } from '../lib/teams';

export function teamStyle(index: number): CSSProperties {
  const c = teamColor(index);
  return { background: c.bg, color: c.fg };
}

/** The player's team, on every phone screen. */
export function TeamBadge({ team, name }: { team: number; name: string }) {
  const { t } = useTranslation('common');
  return (
    <span className="team-badge" style={teamStyle(team)} data-testid="my-team" data-team={team} aria-label={t('teams.yourTeam', { name })}>
      <bdi>{name}</bdi>
    </span>
  );
}

const BAR_ROW = 3.2; // em per bar, as the row's height plus its gap

/** The live bar race: every team, bars in rank order (they slide to their
 *  place with a transform transition), widths by score (a width transition).
 *  The DOM order stays by team index so only styles change between ticks. */
/** "1st Reds 1200 points, 4 players": one team, for screen readers. */
function teamWords(e: TeamEntry): string {
  const points = i18n.t('points', { ns: 'common', count: e.score, n: formatNumber(e.score) });
  const players = i18n.t('players', { ns: 'common', count: e.members, n: formatNumber(e.members) });
  return i18n.t('teams.row', { ns: 'common', rank: formatRank(e.rank), name: e.name, points, players });
}

function rowWordsTeam(e: TeamEntry): string {
  return i18n.t('board.row', { ns: 'common', rank: formatRank(e.rank), name: e.name, points: i18n.t('points', { ns: 'common', count: e.score, n: formatNumber(e.score) }) });
}

export function TeamBoard({ teams, names, title, lobby = false }: {
  teams: TeamEntry[] | null; names?: string[] | null; title?: string;
  /** the lobby: bars by members (no scores yet), in team order */
  lobby?: boolean;
}) {
  const { t } = useTranslation('common');
  title ??= t('teams.teams');
  // before the first tick (a fresh screen): the names, in order, no scores yet
  const rows: TeamEntry[] = teams ?? (names ?? []).map((name, i) => ({ team: i, name, score: 0, members: 0, rank: i + 1 }));
  const ranked = byRank(rows);
  const pos = new Map((lobby ? [...rows].sort((a, b) => a.team - b.team) : ranked).map((e, i) => [e.team, i]));
  const value = (e: TeamEntry) => (lobby ? e.members : e.score);
  const top = rows.length ? Math.max(...rows.map(value)) : 0;
  const stable = [...rows].sort((a, b) => a.team - b.team);
  return (
    <section className={lobby ? "team-board lobby" : "team-board"} aria-label={title} data-testid="team-board">
      <h2>{title}</h2>
      {!teams && !lobby && <p className="muted small">{t('teams.waitingScores')}</p>}
      <ol className="sr-only">
        {ranked.map((e) => <li key={e.team}>{teamWords(e)}</li>)}
      </ol>
      <div className="tb-scroll">
        <ol className="tb-list" style={{ height: `${stable.length * BAR_ROW}em` }} aria-hidden="true">
          {stable.map((e) => (
            <li key={e.team} className="tb-row" data-testid={`team-bar-${e.team}`} data-rank={e.rank} data-score={e.score}
              data-members={e.members} style={{ transform: `translateY(${(pos.get(e.team) ?? 0) * BAR_ROW}em)` }}>
              <span className="tb-rank num">{formatNumber(e.rank)}</span>
              <span className="tb-track">
                <span className="tb-bar" style={{ ...teamStyle(e.team), width: `${barWidth(value(e), top)}%` }} />
                <span className="tb-name"><bdi>{e.name}</bdi></span>
              </span>
              <span className="tb-score">{lobby ? t('players', { count: e.members, n: formatNumber(e.members) }) : formatNumber(e.score)}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

/** The team podium at the end: 2nd, 1st, 3rd. */
export function TeamPodium({ podium }: { podium: TeamEntry[] }) {
  const { t } = useTranslation('common');
  const top = byRank(podium).slice(0, 3);
  const places = [top[1], top[0], top[2]].filter(Boolean) as TeamEntry[];
  return (
    <section className="podium team-podium" aria-label={t('teams.podium')} data-testid="team-podium">
      <h2>{t('teams.podium')}</h2>
      <ol className="sr-only">
        {top.map((e) => <li key={e.team}>{rowWordsTeam(e)}</li>)}
      </ol>
      <div className="podium-stage" aria-hidden="true">
        {places.map((e) => (
          <div key={e.team} className={`podium-step p${e.rank}`} data-testid={`team-podium-${e.rank}`} data-team={e.team} data-score={e.score}>
            <div className="podium-name"><span className="team-dot" style={teamStyle(e.team)} /> <bdi>{e.name}</bdi></div>
            <div className="podium-score num">{formatNumber(e.score)}</div>
            <div className="podium-block">{formatNumber(e.rank)}</div>
          </div>
        ))}
      </div>
    </section>
  );
}

/** The join page's team choice: one big coloured button per team. */
export function TeamChoice({ names, chosen, onChoose }: { names: string[]; chosen: number | null; onChoose(i: number): void }) {
  const { t } = useTranslation('common');
  return (
    <fieldset className="team-choice">
      <legend>{t('teams.pick')}</legend>
      <div className="team-grid" role="group">
        {names.map((name, i) => (
          <button key={i} type="button" className={chosen === i ? 'team-btn chosen' : 'team-btn'} style={teamStyle(i)}
            aria-pressed={chosen === i} data-testid={`team-choice-${i}`} onClick={() => onChoose(i)}>
            {name}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

export type BoardView = 'players' | 'teams';

/** The host console and the big screen talk over a BroadcastChannel: the
 *  screen opened from the console's browser follows its "Teams board" /
 *  "Players board" button. No server frame carries it. */
function channel(pin: string): BroadcastChannel | null {
  return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`stadium.board.${pin}`);
}

export function announceBoard(pin: string, view: BoardView): void {
  const c = channel(pin);
  if (!c) return;
  c.postMessage({ board: view });
  c.close();
}

/** The big screen's board: `?board=teams|players` first, else the teams'
 *  board when the game has teams; the key T, the toggle button and the host
 *  console's button switch it. */
export function useBoardView(pin: string, hasTeams: boolean): [BoardView, (v: BoardView) => void] {
  const [chosen, setChosen] = useState<BoardView | null>(() => {
    const q = new URLSearchParams(location.search).get('board');
    return q === 'teams' || q === 'players' ? q : null;
  });
  useEffect(() => {
    const c = channel(pin);
    if (!c) return;
    c.onmessage = (e: MessageEvent) => {
      const b = (e.data as { board?: unknown } | null)?.board;
      if (b === 'teams' || b === 'players') setChosen(b);
    };
    return () => c.close();
  }, [pin]);
  const view: BoardView = !hasTeams ? 'players' : (chosen ?? 'teams');
  useEffect(() => {
    if (!hasTeams) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (e.key === 't' || e.key === 'T') setChosen((c) => ((c ?? 'teams') === 'teams' ? 'players' : 'teams'));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hasTeams]);
  return [view, setChosen];
}
