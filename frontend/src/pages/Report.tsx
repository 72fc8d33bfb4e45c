// The console's game report (issue 16): /host/report/<pin>. Reads
// GET /api/games/<pin>/report (409 not_saved until the flusher saved the
// game: the page waits), draws the charts with Chart.js and offers the
// downloads (CSV, JSON, XLSX) straight from the endpoint.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BarElement, CategoryScale, Chart as ChartJS, LinearScale, Tooltip, type ChartOptions } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { api, ApiError, errorText } from '../api';
import {
  answerText, count, distributionRows, filterPlayers, isReport, kindName, paginate, percent, pick, playerRow,
  reportUrl, seconds, shareSeries, sortPlayers, teamNames, timeSeries,
  type PlayerRow, type PlayerSortKey, type Report, type ReportFormat, type ReportQuestion, type SortDir,
} from '../lib/report';
import { Login } from './Host';
import { LanguageSwitch } from '../components/LanguageSwitch';
import i18n from '../i18n';
import { hostLocale } from '../lib/hostconsole';

/** The report's language (re-rendered on a switch: every view below calls useTranslation). */
function useLng(): { t: (k: string, o?: Record<string, unknown>) => string; lng: string | undefined } {
  const { t, i18n: inst } = useTranslation('report');
  // the full tag (pt-BR, de-CH, ar-EG): Intl's digits and grouping follow the region
  return { t, lng: hostLocale(inst.language) };
}

/** A quiz's own text inside a translated sentence, isolated when the page
 *  runs right to left (U+2068…U+2069), so an English title's "?" stays at
 *  its end in an Arabic heading. */
function isolate(text: string, lng: string | undefined): string {
  return i18n.dir(lng) === 'rtl' ? `\u2068${text}\u2069` : text;
}

ChartJS.register(BarElement, CategoryScale, LinearScale, Tooltip);

type Load =
  | { state: 'loading' }
  | { state: 'saving' }
  | { state: 'login' }
  | { state: 'error'; message: string }
  | { state: 'ok'; report: Report };

/** The report, polled while the game is not saved yet (409 not_saved). */
function useReport(pin: string): { load: Load; reload(): void } {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const get = () => api<unknown>('GET', reportUrl(pin)).then(
      (data) => {
        if (!live) return;
        if (isReport(data)) setLoad({ state: 'ok', report: data });
        else setLoad({ state: 'error', message: i18n.t('report:notReport') });
      },
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 409) {
          setLoad({ state: 'saving' });
          timer = setTimeout(get, 1000);
        } else if (e instanceof ApiError && (e.status === 401 || e.status === 403)) setLoad({ state: 'login' });
        else if (e instanceof ApiError && e.status === 404) setLoad({ state: 'error', message: i18n.t('report:noGame', { pin }) });
        else setLoad({ state: 'error', message: errorText(e) });
      },
    );
    get();
    return () => { live = false; clearTimeout(timer); };
  }, [pin, n]);
  return { load, reload: () => setN((x) => x + 1) };
}

export function ReportPage({ pin }: { pin: string }) {
  const { load, reload } = useReport(pin);
  const { t } = useLng();
  if (load.state === 'login') return <Login onDone={reload} />;
  return (
    <main className="page host report" data-testid="report-page">
      <header className="bar">
        <span className="brand-small">{t('host:brand')}</span>
        <a className="btn small" href="/host">{t('yourQuizzes')}</a>
        <LanguageSwitch />
      </header>
      {load.state === 'ok' ? <ReportView report={load.report} /> : (
        <>
          <h1>{t('titleOf', { pin })}</h1>
          {load.state === 'loading' && <p className="muted">{t('loading')}</p>}
          {load.state === 'saving' && <p className="muted" role="status" data-testid="report-saving">{t('saving')}</p>}
          {load.state === 'error' && <p className="error" role="alert">{load.message}</p>}
        </>
      )}
    </main>
  );
}

const FORMATS: ReportFormat[] = ['csv', 'json', 'xlsx'];

function ReportView({ report }: { report: Report }) {
  const qs = report.questions;
  const scored = qs.filter((q) => q.share_right !== null);
  const overall = scored.reduce((a, q) => a + (q.right ?? 0), 0) / Math.max(1, scored.reduce((a, q) => a + q.answered, 0));
  const { t, lng } = useLng();
  return (
    <>
      <h1>{t('title', { title: isolate(report.title, lng) })}</h1>
      <div className="toolbar report-downloads" aria-label={t('downloads')}>
        {FORMATS.map((format) => (
          <a key={format} className="btn" href={reportUrl(report.pin, format)} download={`stadium-report-${report.pin}.${format}`}
            data-testid={`download-${format}`}>{t(`download.${format}`)}</a>
        ))}
      </div>
      <section className="card report-summary" data-testid="report-summary" aria-label={t('summary')}
        data-players={report.players} data-answers={report.answers} data-questions={qs.length}>
        <dl className="stats">
          <div><dt>{t('pin')}</dt><dd>{report.pin}</dd></div>
          <div><dt>{t('players')}</dt><dd data-testid="report-players-count">{count(report.players, lng)}</dd></div>
          <div><dt>{t('answers')}</dt><dd data-testid="report-answers-count">{count(report.answers, lng)}</dd></div>
          <div><dt>{t('questions')}</dt><dd>{count(qs.length, lng)}</dd></div>
          {scored.length > 0 && <div><dt>{t('overall')}</dt><dd data-testid="report-overall">{percent(overall, lng)}</dd></div>}
        </dl>
      </section>

      <div className="report-grid">
        <section className="card" aria-label={t('share')}>
          <h2>{t('share')}</h2>
          <ShareChart questions={qs} />
        </section>
        <section className="card report-lists">
          <div data-testid="report-hardest">
            <h2>{t('hardest')}</h2>
            <QuestionList questions={pick(qs, report.hardest)} />
          </div>
          <div data-testid="report-easiest">
            <h2>{t('easiest')}</h2>
            <QuestionList questions={pick(qs, report.easiest)} />
          </div>
        </section>
      </div>

      <QuestionDetail questions={qs} />

      <section className="card" aria-label={t('questions')}>
        <h2>{t('questions')}</h2>
        <div className="table-scroll">
          <table className="report-table" data-testid="report-questions">
            <thead>
              <tr><th>#</th><th>{t('col.kind')}</th><th>{t('col.question')}</th><th className="num">{t('col.answered')}</th><th className="num">{t('col.right')}</th>
                <th className="num">{t('col.share')}</th><th className="num">{t('col.mean')}</th><th className="num">{t('col.median')}</th><th className="num">{t('col.points')}</th></tr>
            </thead>
            <tbody>
              {qs.map((q) => (
                <tr key={q.question} data-testid={`report-q-${q.question}`} data-kind={q.kind}>
                  <td data-col="question">{q.question}</td>
                  <td data-col="kind">{kindName(q.kind, lng)}</td>
                  <td data-col="text" dir="auto">{q.text}</td>
                  <td className="num" data-col="answered">{count(q.answered, lng)}</td>
                  <td className="num" data-col="right">{q.right === null ? '–' : count(q.right, lng)}</td>
                  <td className="num" data-col="share_right" data-value={q.share_right ?? ''}>{percent(q.share_right, lng)}</td>
                  <td className="num" data-col="mean_ms" data-value={q.mean_ms ?? ''}>{seconds(q.mean_ms, lng)}</td>
                  <td className="num" data-col="median_ms" data-value={q.median_ms ?? ''}>{seconds(q.median_ms, lng)}</td>
                  <td className="num" data-col="points">{count(q.points, lng)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {report.teams_detail && report.teams_detail.length > 0 && <TeamsTable report={report} />}
      <PlayersTable report={report} />
    </>
  );
}

function QuestionList({ questions }: { questions: ReportQuestion[] }) {
  const { t, lng } = useLng();
  if (questions.length === 0) return <p className="muted">{t('noScored')}</p>;
  return (
    <ol className="report-qlist">
      {questions.map((q) => (
        <li key={q.question} data-question={q.question}>
          <strong>{t('qShort', { n: q.question })}</strong> <bdi>{q.text}</bdi> <span className="muted">· {t('shareRight', { share: percent(q.share_right, lng) })}</span>
        </li>
      ))}
    </ol>
  );
}

const BAR = '#4b43b8';
const BAR_RIGHT = '#2e7d32';

/** A bar chart's options: `lng` formats the ticks and tooltips (Chart.js's
 *  locale, Intl underneath); right to left, the category axis runs from the right. */
function barOptions(yLabel: string, lng: string | undefined, max?: number, horizontal = false): ChartOptions<'bar'> {
  const rtl = i18n.dir(lng) === 'rtl';
  const value = { beginAtZero: true, max, title: { display: true, text: yLabel }, ticks: { precision: 0 }, ...(horizontal && rtl ? { reverse: true } : {}) };
  const category = { ticks: {}, ...(!horizontal && rtl ? { reverse: true } : {}) };
  return {
    locale: lng,
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    indexAxis: horizontal ? 'y' : 'x',
    plugins: { legend: { display: false }, tooltip: { enabled: true, rtl } },
    scales: horizontal ? { x: value, y: { ...category, position: rtl ? 'right' : 'left' } } : { y: { ...value, position: rtl ? 'right' : 'left' }, x: category },
  };
}

function ShareChart({ questions }: { questions: ReportQuestion[] }) {
  const { t, lng } = useLng();
  const s = shareSeries(questions, lng);
  const summary = s.labels.map((l, i) => `${l} ${s.values[i] === null ? t('notScored') : percent((s.values[i] as number) / 100, lng)}`).join(', ');
  return (
    <div className="chart" data-testid="report-share-chart" data-values={JSON.stringify(s.values)}>
      <Bar role="img" aria-label={t('shareAria', { summary })}
        data={{ labels: s.labels, datasets: [{ label: t('percentRight'), data: s.values, backgroundColor: BAR_RIGHT }] }}
        options={barOptions(t('percentRight'), lng, 100)} />
    </div>
  );
}

/** One question at a time: its response-time histogram and its distribution. */
function QuestionDetail({ questions }: { questions: ReportQuestion[] }) {
  const answered = questions.filter((q) => q.kind !== 'info');
  const [n, setN] = useState<number>(answered[0]?.question ?? questions[0]?.question ?? 1);
  const { t: tr, lng } = useLng();
  const q = questions.find((x) => x.question === n);
  if (!q) return null;
  const t = timeSeries(q.times, lng);
  const dist = distributionRows(q, lng);
  return (
    <section className="card" aria-label={tr('oneQuestion')}>
      <h2>{tr('questionTitle', { n: q.question, text: isolate(q.text, lng) })}</h2>
      <div className="toolbar">
        <label htmlFor="report-question" className="inline">{tr('showQuestion')}</label>
        <select id="report-question" data-testid="report-times-select" value={n} onChange={(e) => setN(Number(e.target.value))}
          style={{ width: 'auto' }}>
          {questions.map((x) => <option key={x.question} value={x.question}>{x.question}. {kindName(x.kind, lng)} – {x.text.slice(0, 40)}</option>)}
        </select>
      </div>
      <div className="report-grid">
        <div>
          <h3>{tr('times')}</h3>
          {t.values.length === 0 ? <p className="muted">{tr('noTimes')}</p> : (
            <div className="chart" data-testid="report-times-chart" data-question={q.question} data-values={JSON.stringify(t.values)}>
              <Bar role="img" aria-label={tr('timesAria', { n: q.question, summary: t.labels.map((l, i) => `${l} ${count(t.values[i], lng)}`).join(', ') })}
                data={{ labels: t.labels, datasets: [{ label: tr('answers'), data: t.values, backgroundColor: BAR }] }}
                options={barOptions(tr('answers'), lng)} />
            </div>
          )}
        </div>
        <div>
          <h3>{tr('answersOf', { kind: kindName(q.kind, lng) })}</h3>
          {dist.length === 0 ? <p className="muted">{tr('noDist')}</p> : (
            <div className="chart" data-testid="report-dist-chart" data-question={q.question} data-values={JSON.stringify(dist.map((d) => d.count))}
              style={{ height: Math.max(220, Math.min(900, dist.length * 24 + 60)) }}>
              <Bar role="img" aria-label={tr('distAria', { n: q.question, summary: dist.map((d) => `${d.label} ${count(d.count, lng)}`).join(', ') })}
                data={{ labels: dist.map((d) => d.label), datasets: [{ label: tr('answers'), data: dist.map((d) => d.count), backgroundColor: BAR }] }}
                options={barOptions(tr('answers'), lng, undefined, dist.length > 8)} />
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

function TeamsTable({ report }: { report: Report }) {
  const teams = [...(report.teams_detail ?? [])].sort((a, b) => a.rank - b.rank || a.team - b.team);
  const { t, lng } = useLng();
  return (
    <section className="card" aria-label={t('teams')}>
      <h2>{t('teams')}</h2>
      <div className="table-scroll">
        <table className="report-table" data-testid="report-teams">
          <thead><tr><th className="num">{t('col.rank')}</th><th>{t('col.team')}</th><th className="num">{t('col.score')}</th><th className="num">{t('col.members')}</th><th className="num">{t('col.total')}</th><th className="num">{t('col.share')}</th></tr></thead>
          <tbody>
            {teams.map((e) => (
              <tr key={e.team} data-team={e.team}>
                <td className="num" data-col="rank">{count(e.rank, lng)}</td>
                <td data-col="name">{e.name}</td>
                <td className="num" data-col="score">{count(e.score, lng)}</td>
                <td className="num" data-col="members">{count(e.members, lng)}</td>
                <td className="num" data-col="total">{count(e.total, lng)}</td>
                <td className="num" data-col="share_right">{percent(e.share_right, lng)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const PAGE_SIZES = [25, 50, 100, 500];

function PlayersTable({ report }: { report: Report }) {
  const rows = useMemo(() => report.players_detail.map(playerRow), [report]);
  const names = useMemo(() => teamNames(report), [report]);
  const byNumber = useMemo(() => new Map(report.questions.map((q) => [q.question, q])), [report]);
  const [sort, setSort] = useState<{ key: PlayerSortKey; dir: SortDir }>({ key: 'rank', dir: 'asc' });
  const [filter, setFilter] = useState('');
  const [size, setSize] = useState(50);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const sorted = useMemo(() => sortPlayers(filterPlayers(rows, filter), sort.key, sort.dir), [rows, filter, sort]);
  const view = paginate(sorted, page, size);
  const { t, lng } = useLng();

  const columns: { key: PlayerSortKey; label: string; num?: boolean }[] = [
    { key: 'rank', label: t('col.rank'), num: true },
    { key: 'nickname', label: t('col.player') },
    ...(report.teams ? [{ key: 'team' as const, label: t('col.team') }] : []),
    { key: 'score', label: t('col.score'), num: true },
    { key: 'right', label: t('col.right'), num: true },
    { key: 'answered', label: t('answers'), num: true },
    { key: 'mean_ms', label: t('col.mean'), num: true },
  ];
  function sortBy(key: PlayerSortKey) {
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'nickname' || key === 'rank' || key === 'team' || key === 'mean_ms' ? 'asc' : 'desc' }));
    setPage(1);
  }
  return (
    <section className="card" aria-label={t('players')}>
      <h2>{t('players')}</h2>
      <div className="toolbar report-pager">
        <label htmlFor="report-filter" className="inline">{t('find')}</label>
        <input id="report-filter" data-testid="report-players-filter" placeholder={t('nickname')} value={filter}
          onChange={(e) => { setFilter(e.target.value); setPage(1); }} style={{ width: '14em' }} />
        <label htmlFor="report-size" className="inline">{t('perPage')}</label>
        <select id="report-size" value={size} onChange={(e) => { setSize(Number(e.target.value)); setPage(1); }} style={{ width: 'auto' }}>
          {PAGE_SIZES.map((s) => <option key={s} value={s}>{count(s, lng)}</option>)}
        </select>
        <button type="button" className="btn small" data-testid="report-players-prev" disabled={view.page <= 1} onClick={() => setPage(view.page - 1)}>{t('previous')}</button>
        <span data-testid="report-players-page" data-page={view.page} data-pages={view.pages}>
          {t('pageOf', { from: count(view.from, lng), to: count(view.to, lng), total: count(sorted.length, lng), page: count(view.page, lng), pages: count(view.pages, lng) })}
        </span>
        <button type="button" className="btn small" data-testid="report-players-next" disabled={view.page >= view.pages} onClick={() => setPage(view.page + 1)}>{t('next')}</button>
      </div>
      <div className="table-scroll">
        <table className="report-table" data-testid="report-players">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} className={c.num ? 'num' : undefined}
                  aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="link" data-testid={`report-sort-${c.key}`} onClick={() => sortBy(c.key)}>
                    {c.label}{sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
              <th><span className="sr-only">{t('answers')}</span></th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((p) => <PlayerRowView key={p.player} p={p} teams={report.teams} teamName={p.team === null ? '–' : names.get(p.team) ?? t('teamN', { n: p.team + 1 })}
              open={open === p.player} onToggle={() => setOpen(open === p.player ? null : p.player)} byNumber={byNumber} span={columns.length + 1} />)}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PlayerRowView({ p, teams, teamName, open, onToggle, byNumber, span }: {
  p: PlayerRow; teams: boolean; teamName: string; open: boolean; onToggle(): void; byNumber: Map<number, ReportQuestion>; span: number;
}) {
  const { t, lng } = useLng();
  return (
    <>
      <tr data-player={p.player} data-nickname={p.nickname} className={p.kicked ? 'kicked' : undefined}>
        <td className="num" data-col="rank">{p.kicked || p.rank <= 0 ? t('kicked') : count(p.rank, lng)}</td>
        <td data-col="nickname">{p.nickname}</td>
        {teams && <td data-col="team">{teamName}</td>}
        <td className="num" data-col="score">{count(p.score, lng)}</td>
        <td className="num" data-col="right">{count(p.right, lng)}</td>
        <td className="num" data-col="answered">{count(p.answered, lng)}</td>
        <td className="num" data-col="mean_ms">{seconds(p.mean_ms, lng)}</td>
        <td><button type="button" className="btn small" aria-expanded={open} onClick={onToggle}>{open ? t('hide') : t('answers')}</button></td>
      </tr>
      {open && (
        <tr className="report-answers">
          <td colSpan={span}>
            <table className="report-table inner" aria-label={t('answersOfPlayer', { name: p.nickname })}>
              <thead><tr><th className="num">{t('col.q')}</th><th>{t('col.answer')}</th><th>{t('col.result')}</th><th className="num">{t('col.points')}</th><th className="num">{t('col.time')}</th></tr></thead>
              <tbody>
                {p.answers.map((a) => (
                  <tr key={a.question}>
                    <td className="num">{count(a.question, lng)}</td>
                    <td>{answerText(byNumber.get(a.question)?.kind, a.value, lng)}</td>
                    <td>{a.correct === null ? '–' : a.correct ? t('right') : t('wrong')}</td>
                    <td className="num">{count(a.points, lng)}</td>
                    <td className="num">{seconds(a.elapsed_ms, lng)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </>
  );
}
