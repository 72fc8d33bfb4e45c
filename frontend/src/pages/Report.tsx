// The console's game report (issue 16): /host/report/<pin>. Reads
// GET /api/games/<pin>/report (409 not_saved until the flusher saved the
// game: the page waits), draws the charts with Chart.js and offers the
// downloads (CSV, JSON, XLSX) straight from the endpoint.
import { useEffect, useMemo, useState } from 'react';
import { BarElement, CategoryScale, Chart as ChartJS, LinearScale, Tooltip, type ChartOptions } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { api, ApiError, errorText } from '../api';
import {
  answerText, count, distributionRows, filterPlayers, isReport, KIND_NAMES, paginate, percent, pick, playerRow,
  reportUrl, seconds, shareSeries, sortPlayers, teamNames, timeSeries,
  type PlayerRow, type PlayerSortKey, type Report, type ReportFormat, type ReportQuestion, type SortDir,
} from '../lib/report';
import { Login } from './Host';

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
        else setLoad({ state: 'error', message: 'The server sent something that is not a report.' });
      },
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 409) {
          setLoad({ state: 'saving' });
          timer = setTimeout(get, 1000);
        } else if (e instanceof ApiError && (e.status === 401 || e.status === 403)) setLoad({ state: 'login' });
        else if (e instanceof ApiError && e.status === 404) setLoad({ state: 'error', message: `No game of yours with PIN ${pin}.` });
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
  if (load.state === 'login') return <Login onDone={reload} />;
  return (
    <main className="page host report" data-testid="report-page">
      <header className="bar">
        <span className="brand-small">Stadium host</span>
        <a className="btn small" href="/host">Your quizzes</a>
      </header>
      {load.state === 'ok' ? <ReportView report={load.report} /> : (
        <>
          <h1>Report of game {pin}</h1>
          {load.state === 'loading' && <p className="muted">Loading the report…</p>}
          {load.state === 'saving' && <p className="muted" role="status" data-testid="report-saving">The game is being saved; the report follows in a moment…</p>}
          {load.state === 'error' && <p className="error" role="alert">{load.message}</p>}
        </>
      )}
    </main>
  );
}

const FORMATS: { format: ReportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
  { format: 'xlsx', label: 'Excel (XLSX)' },
];

function ReportView({ report }: { report: Report }) {
  const qs = report.questions;
  const scored = qs.filter((q) => q.share_right !== null);
  const overall = scored.reduce((a, q) => a + (q.right ?? 0), 0) / Math.max(1, scored.reduce((a, q) => a + q.answered, 0));
  return (
    <>
      <h1>Report: {report.title}</h1>
      <div className="toolbar report-downloads" aria-label="Downloads">
        {FORMATS.map(({ format, label }) => (
          <a key={format} className="btn" href={reportUrl(report.pin, format)} download={`stadium-report-${report.pin}.${format}`}
            data-testid={`download-${format}`}>Download {label}</a>
        ))}
      </div>
      <section className="card report-summary" data-testid="report-summary" aria-label="Summary"
        data-players={report.players} data-answers={report.answers} data-questions={qs.length}>
        <dl className="stats">
          <div><dt>PIN</dt><dd>{report.pin}</dd></div>
          <div><dt>Players</dt><dd data-testid="report-players-count">{count(report.players)}</dd></div>
          <div><dt>Answers</dt><dd data-testid="report-answers-count">{count(report.answers)}</dd></div>
          <div><dt>Questions</dt><dd>{qs.length}</dd></div>
          {scored.length > 0 && <div><dt>Right overall</dt><dd data-testid="report-overall">{percent(overall)}</dd></div>}
        </dl>
      </section>

      <div className="report-grid">
        <section className="card" aria-label="Share right per question">
          <h2>Share right per question</h2>
          <ShareChart questions={qs} />
        </section>
        <section className="card report-lists">
          <div data-testid="report-hardest">
            <h2>Hardest</h2>
            <QuestionList questions={pick(qs, report.hardest)} />
          </div>
          <div data-testid="report-easiest">
            <h2>Easiest</h2>
            <QuestionList questions={pick(qs, report.easiest)} />
          </div>
        </section>
      </div>

      <QuestionDetail questions={qs} />

      <section className="card" aria-label="Questions">
        <h2>Questions</h2>
        <div className="table-scroll">
          <table className="report-table" data-testid="report-questions">
            <thead>
              <tr><th>#</th><th>Kind</th><th>Question</th><th className="num">Answered</th><th className="num">Right</th>
                <th className="num">Share right</th><th className="num">Mean time</th><th className="num">Median time</th><th className="num">Points</th></tr>
            </thead>
            <tbody>
              {qs.map((q) => (
                <tr key={q.question} data-testid={`report-q-${q.question}`} data-kind={q.kind}>
                  <td data-col="question">{q.question}</td>
                  <td data-col="kind">{KIND_NAMES[q.kind] ?? q.kind}</td>
                  <td data-col="text">{q.text}</td>
                  <td className="num" data-col="answered">{count(q.answered)}</td>
                  <td className="num" data-col="right">{q.right === null ? '–' : count(q.right)}</td>
                  <td className="num" data-col="share_right" data-value={q.share_right ?? ''}>{percent(q.share_right)}</td>
                  <td className="num" data-col="mean_ms" data-value={q.mean_ms ?? ''}>{seconds(q.mean_ms)}</td>
                  <td className="num" data-col="median_ms" data-value={q.median_ms ?? ''}>{seconds(q.median_ms)}</td>
                  <td className="num" data-col="points">{count(q.points)}</td>
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
  if (questions.length === 0) return <p className="muted">No scored question.</p>;
  return (
    <ol className="report-qlist">
      {questions.map((q) => (
        <li key={q.question} data-question={q.question}>
          <strong>Q{q.question}</strong> {q.text} <span className="muted">· {percent(q.share_right)} right</span>
        </li>
      ))}
    </ol>
  );
}

const BAR = '#4b43b8';
const BAR_RIGHT = '#2e7d32';

function barOptions(yLabel: string, max?: number, horizontal = false): ChartOptions<'bar'> {
  const value = { beginAtZero: true, max, title: { display: true, text: yLabel }, ticks: { precision: 0 } };
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    indexAxis: horizontal ? 'y' : 'x',
    plugins: { legend: { display: false }, tooltip: { enabled: true } },
    scales: horizontal ? { x: value } : { y: value },
  };
}

function ShareChart({ questions }: { questions: ReportQuestion[] }) {
  const s = shareSeries(questions);
  const summary = s.labels.map((l, i) => `${l} ${s.values[i] === null ? 'not scored' : `${s.values[i]}%`}`).join(', ');
  return (
    <div className="chart" data-testid="report-share-chart" data-values={JSON.stringify(s.values)}>
      <Bar role="img" aria-label={`Share right per question: ${summary}`}
        data={{ labels: s.labels, datasets: [{ label: '% right', data: s.values, backgroundColor: BAR_RIGHT }] }}
        options={barOptions('% right', 100)} />
    </div>
  );
}

/** One question at a time: its response-time histogram and its distribution. */
function QuestionDetail({ questions }: { questions: ReportQuestion[] }) {
  const answered = questions.filter((q) => q.kind !== 'info');
  const [n, setN] = useState<number>(answered[0]?.question ?? questions[0]?.question ?? 1);
  const q = questions.find((x) => x.question === n);
  if (!q) return null;
  const t = timeSeries(q.times);
  const dist = distributionRows(q);
  return (
    <section className="card" aria-label="One question">
      <h2>Question {q.question}: {q.text}</h2>
      <div className="toolbar">
        <label htmlFor="report-question" className="inline">Show question</label>
        <select id="report-question" data-testid="report-times-select" value={n} onChange={(e) => setN(Number(e.target.value))}
          style={{ width: 'auto' }}>
          {questions.map((x) => <option key={x.question} value={x.question}>{x.question}. {KIND_NAMES[x.kind]} – {x.text.slice(0, 40)}</option>)}
        </select>
      </div>
      <div className="report-grid">
        <div>
          <h3>Response times</h3>
          {t.values.length === 0 ? <p className="muted">No answers timed.</p> : (
            <div className="chart" data-testid="report-times-chart" data-question={q.question} data-values={JSON.stringify(t.values)}>
              <Bar role="img" aria-label={`Response times of question ${q.question}: ${t.labels.map((l, i) => `${l} ${t.values[i]}`).join(', ')}`}
                data={{ labels: t.labels, datasets: [{ label: 'Answers', data: t.values, backgroundColor: BAR }] }}
                options={barOptions('Answers')} />
            </div>
          )}
        </div>
        <div>
          <h3>Answers ({KIND_NAMES[q.kind]})</h3>
          {dist.length === 0 ? <p className="muted">No distribution for this question.</p> : (
            <div className="chart" data-testid="report-dist-chart" data-question={q.question} data-values={JSON.stringify(dist.map((d) => d.count))}
              style={{ height: Math.max(220, Math.min(900, dist.length * 24 + 60)) }}>
              <Bar role="img" aria-label={`Answers to question ${q.question}: ${dist.map((d) => `${d.label} ${d.count}`).join(', ')}`}
                data={{ labels: dist.map((d) => d.label), datasets: [{ label: 'Answers', data: dist.map((d) => d.count), backgroundColor: BAR }] }}
                options={barOptions('Answers', undefined, dist.length > 8)} />
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

function TeamsTable({ report }: { report: Report }) {
  const teams = [...(report.teams_detail ?? [])].sort((a, b) => a.rank - b.rank || a.team - b.team);
  return (
    <section className="card" aria-label="Teams">
      <h2>Teams</h2>
      <div className="table-scroll">
        <table className="report-table" data-testid="report-teams">
          <thead><tr><th className="num">Rank</th><th>Team</th><th className="num">Score</th><th className="num">Members</th><th className="num">Total points</th><th className="num">Share right</th></tr></thead>
          <tbody>
            {teams.map((t) => (
              <tr key={t.team} data-team={t.team}>
                <td className="num" data-col="rank">{t.rank}</td>
                <td data-col="name">{t.name}</td>
                <td className="num" data-col="score">{count(t.score)}</td>
                <td className="num" data-col="members">{count(t.members)}</td>
                <td className="num" data-col="total">{count(t.total)}</td>
                <td className="num" data-col="share_right">{percent(t.share_right)}</td>
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

  const columns: { key: PlayerSortKey; label: string; num?: boolean }[] = [
    { key: 'rank', label: 'Rank', num: true },
    { key: 'nickname', label: 'Player' },
    ...(report.teams ? [{ key: 'team' as const, label: 'Team' }] : []),
    { key: 'score', label: 'Score', num: true },
    { key: 'right', label: 'Right', num: true },
    { key: 'answered', label: 'Answers', num: true },
    { key: 'mean_ms', label: 'Mean time', num: true },
  ];
  function sortBy(key: PlayerSortKey) {
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'nickname' || key === 'rank' || key === 'team' || key === 'mean_ms' ? 'asc' : 'desc' }));
    setPage(1);
  }
  return (
    <section className="card" aria-label="Players">
      <h2>Players</h2>
      <div className="toolbar report-pager">
        <label htmlFor="report-filter" className="inline">Find</label>
        <input id="report-filter" data-testid="report-players-filter" placeholder="Nickname" value={filter}
          onChange={(e) => { setFilter(e.target.value); setPage(1); }} style={{ width: '14em' }} />
        <label htmlFor="report-size" className="inline">Per page</label>
        <select id="report-size" value={size} onChange={(e) => { setSize(Number(e.target.value)); setPage(1); }} style={{ width: 'auto' }}>
          {PAGE_SIZES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <button type="button" className="btn small" data-testid="report-players-prev" disabled={view.page <= 1} onClick={() => setPage(view.page - 1)}>Previous</button>
        <span data-testid="report-players-page" data-page={view.page} data-pages={view.pages}>
          {view.from}–{view.to} of {count(sorted.length)} · page {view.page} of {view.pages}
        </span>
        <button type="button" className="btn small" data-testid="report-players-next" disabled={view.page >= view.pages} onClick={() => setPage(view.page + 1)}>Next</button>
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
              <th><span className="sr-only">Answers</span></th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((p) => <PlayerRowView key={p.player} p={p} teams={report.teams} teamName={p.team === null ? '–' : names.get(p.team) ?? `Team ${p.team + 1}`}
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
  return (
    <>
      <tr data-player={p.player} data-nickname={p.nickname} className={p.kicked ? 'kicked' : undefined}>
        <td className="num" data-col="rank">{p.kicked || p.rank <= 0 ? 'kicked' : p.rank}</td>
        <td data-col="nickname">{p.nickname}</td>
        {teams && <td data-col="team">{teamName}</td>}
        <td className="num" data-col="score">{count(p.score)}</td>
        <td className="num" data-col="right">{p.right}</td>
        <td className="num" data-col="answered">{p.answered}</td>
        <td className="num" data-col="mean_ms">{seconds(p.mean_ms)}</td>
        <td><button type="button" className="btn small" aria-expanded={open} onClick={onToggle}>{open ? 'Hide' : 'Answers'}</button></td>
      </tr>
      {open && (
        <tr className="report-answers">
          <td colSpan={span}>
            <table className="report-table inner" aria-label={`Answers of ${p.nickname}`}>
              <thead><tr><th className="num">Q</th><th>Answer</th><th>Result</th><th className="num">Points</th><th className="num">Time</th></tr></thead>
              <tbody>
                {p.answers.map((a) => (
                  <tr key={a.question}>
                    <td className="num">{a.question}</td>
                    <td>{answerText(byNumber.get(a.question)?.kind, a.value)}</td>
                    <td>{a.correct === null ? '–' : a.correct ? 'right' : 'wrong'}</td>
                    <td className="num">{count(a.points)}</td>
                    <td className="num">{seconds(a.elapsed_ms)}</td>
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
