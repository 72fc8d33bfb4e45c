import { describe, expect, it } from 'vitest';
import fixture from './fixtures/report.json';
import {
  answerText, count, distributionRows, filterPlayers, isReport, paginate, percent, pick, playerRow,
  reportUrl, seconds, shareSeries, sortPlayers, teamNames, timeSeries, type PlayerRow, type Report,
} from './report';

const report = fixture as unknown as Report;
const q = (n: number) => report.questions.find((x) => x.question === n)!;

describe('report formats', () => {
  it('builds the download links per format', () => {
    expect(reportUrl('123456')).toBe('/api/games/123456/report?format=json');
    expect(reportUrl('123456', 'csv')).toBe('/api/games/123456/report?format=csv');
    expect(reportUrl('123456', 'xlsx')).toBe('/api/games/123456/report?format=xlsx');
  });
  it('shows shares as whole percents and unscored as a dash', () => {
    expect(percent(2 / 3)).toBe('67%');
    expect(percent(0)).toBe('0%');
    expect(percent(1)).toBe('100%');
    expect(percent(null)).toBe('–');
    expect(percent(undefined)).toBe('–');
  });
  it('shows times in seconds with one decimal', () => {
    expect(seconds(3400)).toBe('3.4 s');
    expect(seconds(0)).toBe('0.0 s');
    expect(seconds(12345)).toBe('12.3 s');
    expect(seconds(null)).toBe('–');
  });
  it('groups thousands as the language does', () => {
    expect(count(100000)).toBe('100,000');
    expect(count(999)).toBe('999');
    expect(count(1234567, 'en')).toBe('1,234,567');
    expect(count(1234567, 'de')).toBe('1.234.567');
    expect(count(1234567, 'fr')).toMatch(/^1[\u00a0\u202f]234[\u00a0\u202f]567$/);
  });
  it('formats shares and times per language', () => {
    // a no-break space before % (narrow or not, as the ICU version has it)
    expect(percent(0.75, 'fr')).toMatch(/^75[\u00a0\u202f]%$/);
    expect(percent(0.75, 'de')).toMatch(/^75[\u00a0\u202f]%$/);
    expect(percent(0.75, 'en')).toBe('75%');
    expect(seconds(3400, 'fr')).toBe('3,4 s');
    expect(seconds(3400, 'ja')).toBe('3.4 秒');
  });
  it('recognises a report', () => {
    expect(isReport(fixture)).toBe(true);
    expect(isReport('<html>')).toBe(false);
    expect(isReport({ questions: [] })).toBe(false);
  });
});

describe('chart series', () => {
  it('share right in percent per question, no bar for unscored kinds', () => {
    const s = shareSeries(report.questions);
    expect(s.labels).toEqual(['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'Q8']);
    expect(s.values).toEqual([66.7, 100, null, 33.3, 0, 50, null, null]);
  });
  it('response-time histogram labels in seconds', () => {
    const t = timeSeries(q(1).times);
    expect(t.labels[0]).toBe('0–2 s');
    expect(t.labels[9]).toBe('18–20 s');
    expect(t.values.reduce((a, b) => a + b, 0)).toBe(q(1).answered);
    expect(timeSeries([{ from_ms: 0, to_ms: 1500, count: 4 }]).labels).toEqual(['0–1.5 s']);
    expect(timeSeries([])).toEqual({ labels: [], values: [] });
  });
});

describe('distribution per kind', () => {
  it('choices as letters', () => {
    expect(distributionRows(q(1))).toEqual([
      { label: 'A', count: 2 }, { label: 'B', count: 1 }, { label: 'C', count: 0 }, { label: 'D', count: 0 },
    ]);
    expect(distributionRows(q(3)).map((r) => r.count)).toEqual([1, 1, 0]);
  });
  it('true/false by name', () => {
    expect(distributionRows(q(2))).toEqual([{ label: 'True', count: 3 }, { label: 'False', count: 0 }]);
  });
  it('slider buckets as ranges', () => {
    expect(distributionRows(q(4))).toEqual([
      { label: '1950–1960', count: 0 }, { label: '1960–1970', count: 2 }, { label: '1970–1980', count: 1 },
    ]);
  });
  it('texts for type answer and word cloud', () => {
    expect(distributionRows(q(5))).toEqual([{ label: 'saturn', count: 1 }, { label: 'mars', count: 1 }]);
    expect(distributionRows(q(7))).toEqual([{ label: 'fun', count: 2 }]);
  });
  it('right and wrong for ordering; nothing for info or an empty list', () => {
    expect(distributionRows(q(6))).toEqual([{ label: 'Right', count: 1 }, { label: 'Wrong', count: 1 }]);
    expect(distributionRows(q(8))).toEqual([]);
    expect(distributionRows({ kind: 'choice', distribution: [] })).toEqual([]);
  });
});

describe('hardest and easiest', () => {
  it('picks the questions in the list order, skipping unknown numbers', () => {
    expect(pick(report.questions, report.hardest).map((x) => x.question)).toEqual([5, 4, 6]);
    expect(pick(report.questions, [2, 99]).map((x) => x.text)).toEqual(['The sun is a star.']);
  });
});

describe('players table', () => {
  const rows: PlayerRow[] = report.players_detail.map(playerRow);

  it('counts right answers, answers and the mean time (untimed answers left out)', () => {
    const [alice, bob, carol] = rows;
    expect([alice.right, alice.answered, alice.mean_ms]).toEqual([3, 7, (2500 + 800 + 2000 + 6000 + 9000 + 12000 + 3000) / 7]);
    expect([bob.right, bob.answered, bob.mean_ms]).toEqual([3, 4, (3700 + 1500 + 7500 + 12000) / 4]);
    expect([carol.right, carol.answered, carol.mean_ms]).toEqual([1, 6, (4000 + 2200 + 3000 + 10500 + 5000) / 5]);
    expect(playerRow({ ...report.players_detail[0], answers: [] }).mean_ms).toBeNull();
  });
  it('sorts by rank with kicked players last, both ways', () => {
    expect(sortPlayers(rows, 'rank', 'asc').map((p) => p.nickname)).toEqual(['Alice', 'bob', 'Carol']);
    expect(sortPlayers(rows, 'rank', 'desc').map((p) => p.nickname)).toEqual(['Carol', 'bob', 'Alice']);
  });
  it('sorts by score, nickname (ignoring case), answers and time', () => {
    expect(sortPlayers(rows, 'score', 'asc').map((p) => p.score)).toEqual([900, 2600, 3050]);
    expect(sortPlayers(rows, 'score', 'desc').map((p) => p.score)).toEqual([3050, 2600, 900]);
    expect(sortPlayers(rows, 'nickname', 'asc').map((p) => p.nickname)).toEqual(['Alice', 'bob', 'Carol']);
    expect(sortPlayers(rows, 'nickname', 'desc').map((p) => p.nickname)).toEqual(['Carol', 'bob', 'Alice']);
    expect(sortPlayers(rows, 'answered', 'desc').map((p) => p.answered)).toEqual([7, 6, 4]);
    // equal right counts fall back to rank
    expect(sortPlayers(rows, 'right', 'desc').map((p) => p.nickname)).toEqual(['Alice', 'bob', 'Carol']);
    // means: Carol 4940, Alice 5043, bob 6175 ms
    expect(sortPlayers(rows, 'mean_ms', 'asc').map((p) => p.nickname)).toEqual(['Carol', 'Alice', 'bob']);
  });
  it('puts missing values last in either direction', () => {
    const noTeam = rows.map((p) => (p.nickname === 'bob' ? { ...p, team: null } : p));
    expect(sortPlayers(noTeam, 'team', 'asc').map((p) => p.nickname)).toEqual(['Alice', 'Carol', 'bob']);
    expect(sortPlayers(noTeam, 'team', 'desc').map((p) => p.nickname)).toEqual(['Alice', 'Carol', 'bob']);
  });
  it('does not change the input', () => {
    const before = rows.map((p) => p.player);
    sortPlayers(rows, 'score', 'asc');
    expect(rows.map((p) => p.player)).toEqual(before);
  });
  it('filters by nickname', () => {
    expect(filterPlayers(rows, 'BO').map((p) => p.nickname)).toEqual(['bob']);
    expect(filterPlayers(rows, '  ')).toHaveLength(3);
    expect(filterPlayers(rows, 'zzz')).toEqual([]);
  });
  it('pages 100,000 players and clamps the page', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ ...rows[0], player: i + 1, rank: i + 1, nickname: `P${i + 1}` }));
    const sorted = sortPlayers(many, 'rank', 'desc');
    const first = paginate(sorted, 1, 50);
    expect(first.pages).toBe(2000);
    expect(first.rows.map((p) => p.rank).slice(0, 2)).toEqual([100_000, 99_999]);
    expect([first.from, first.to]).toEqual([1, 50]);
    const last = paginate(sorted, 9999, 50);
    expect(last.page).toBe(2000);
    expect([last.from, last.to]).toEqual([99_951, 100_000]);
    expect(last.rows.at(-1)?.rank).toBe(1);
    expect(paginate(sorted, 0, 50).page).toBe(1);
    expect(paginate([], 3, 50)).toEqual({ rows: [], page: 1, pages: 1, from: 0, to: 0 });
    const odd = paginate(many, 3, 40_000);
    expect([odd.from, odd.to, odd.rows.length]).toEqual([80_001, 100_000, 20_000]);
  });
});

describe('answers and teams', () => {
  it('writes an answer per kind', () => {
    expect(answerText('choice', [0, 2])).toBe('A, C');
    expect(answerText('true_false', [1])).toBe('False');
    expect(answerText('ordering', [2, 0, 1])).toBe('C → A → B');
    expect(answerText('slider', 1969)).toBe('1969');
    expect(answerText('type_answer', 'saturn')).toBe('saturn');
    expect(answerText('poll', null)).toBe('–');
  });
  it('names teams by index', () => {
    expect(teamNames(report).get(1)).toBe('Away');
    expect(teamNames({ ...report, teams_detail: null }).size).toBe(0);
  });
});
