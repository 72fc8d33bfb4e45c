import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { api, ApiError, errorText, hostKey, quizList, store, type AutoAdvance, type GameOpened, type QuizDoc, type QuizSummary, type TeamsSetting } from '../api';
import { KINDS, type QuestionKind } from '../lib/protocol';
import { blankEdit, checkEdit, fromDoc, KIND_LABELS, SCORED, toDoc, type EditQuestion } from '../lib/quizdoc';
import { GamesList } from '../components/GamesList';
import { apiProblem, type Problem } from '../lib/editorerrors';
import '../host.css';
import { parseTeamNames } from '../lib/teams';
import i18n from '../i18n';
import { navigate } from '../router';
import { BrandFields } from '../components/BrandFields';

export function Login({ onDone }: { onDone(): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation('host');
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', '/api/auth/login', { username, password });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError && (err.status === 401 || err.status === 400 || err.status === 403)
        ? t('login.wrong') : errorText(err));
    }
  }
  return (
    <main className="page narrow">
      <div className="lang-row"><LanguageSwitch /></div>
      <h1 className="brand">{t('brand')}</h1>
      <form className="card" onSubmit={submit} aria-label={t('login.form')}>
        <label htmlFor="username">{t('login.username')}</label>
        <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="password">{t('login.password')}</label>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="btn primary">{t('login.submit')}</button>
      </form>
    </main>
  );
}

/** Runs `load`; shows the login form on 401/403. */
export function useAuthed<T>(load: () => Promise<T>): { data: T | null; error: string | null; needLogin: boolean; reload(): void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [needLogin, setNeedLogin] = useState(false);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => { if (live) { setData(d); setNeedLogin(false); setError(null); } },
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) setNeedLogin(true);
        else setError(errorText(e));
      },
    );
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [n]);
  return { data, error, needLogin, reload: () => setN((x) => x + 1) };
}

function download(name: string, text: string, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function slug(s: string) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'quiz';
}

export function HostHome() {
  const { data, error, needLogin, reload } = useAuthed(() => api('GET', '/api/quizzes').then(quizList));
  const [msg, setMsgState] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const setMsg = (m: string | null) => { setMsgState(m); setProblem(null); };
  const [opening, setOpening] = useState<QuizSummary | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const { t } = useTranslation('host');
  if (needLogin) return <Login onDone={reload} />;

  async function remove(q: QuizSummary) {
    if (!window.confirm(t('home.confirmDelete', { title: q.title }))) return;
    try { await api('DELETE', `/api/quizzes/${q.id}`); reload(); } catch (e) { setProblem(errorText(e)); }
  }
  async function exportQuiz(q: QuizSummary) {
    try {
      const doc = await api<QuizDoc>('GET', `/api/quizzes/${q.id}`);
      download(`${slug(q.title)}.json`, JSON.stringify(doc, null, 2));
    } catch (e) { setProblem(errorText(e)); }
  }
  async function importQuiz(f: File) {
    setMsg(null);
    let doc: unknown;
    try { doc = JSON.parse(await f.text()); } catch { return setProblem(t('home.notJson', { name: f.name })); }
    try {
      await api('POST', '/api/quizzes', doc);
      setMsg(t('home.imported', { name: f.name }));
      reload();
    } catch (e) { setMsgState(null); setProblem(t('home.notImported', { name: f.name, problem: apiProblem(e).text })); }
  }
  async function logout() {
    try { await api('POST', '/api/auth/logout'); } finally { reload(); }
  }

  return (
    <main className="page host">
      <header className="bar">
        <span className="brand-small">{t('brand')}</span>
        <LanguageSwitch />
        <button type="button" className="btn small" onClick={logout}>{t('home.logout')}</button>
      </header>
      <div className="toolbar">
        <h1>{t('home.heading')}</h1>
        <button type="button" className="btn primary" onClick={() => navigate('/host/quizzes/new')}>{t('home.newQuiz')}</button>
        <button type="button" className="btn" onClick={() => file.current?.click()}>{t('home.import')}</button>
        <input ref={file} type="file" accept="application/json,.json" className="sr-only" aria-label={t('home.importLabel')}
          onChange={(e) => { const f = e.target.files?.[0]; if (f) importQuiz(f); e.target.value = ''; }} />
      </div>
      {msg && <p className="notice" role="status">{msg}</p>}
      {problem && <p className="error" role="alert">{problem}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {!data ? <p className="muted">{t('loading')}</p> : data.length === 0 ? <p className="muted">{t('home.empty')}</p> : (
        <ul className="quiz-list">
          {data.map((q) => (
            <li key={q.id} className="card quiz-item" data-testid="quiz-item">
              <div>
                <strong className="quiz-title" dir="auto">{q.title}</strong>
                {q.n_questions !== undefined && <span className="muted"> · {t('home.questions', { count: q.n_questions })}</span>}
              </div>
              <div className="actions">
                <button type="button" className="btn primary" onClick={() => setOpening(q)}>{t('home.openGame')}</button>
                <button type="button" className="btn" onClick={() => navigate(`/host/quizzes/${q.id}`)}>{t('home.edit')}</button>
                <button type="button" className="btn" onClick={() => exportQuiz(q)}>{t('home.export')}</button>
                <button type="button" className="btn danger" onClick={() => remove(q)}>{t('home.delete')}</button>
              </div>
              {opening?.id === q.id && <OpenGame quiz={q} onCancel={() => setOpening(null)} />}
            </li>
          ))}
        </ul>
      )}
      {data && <GamesList />}
    </main>
  );
}

function OpenGame({ quiz, onCancel }: { quiz: QuizSummary; onCancel(): void }) {
  // on_close by default: a live board lets neighbours copy a right answer's jump
  const [reveal, setReveal] = useState<'live' | 'on_close'>('on_close');
  const [maxPlayers, setMaxPlayers] = useState('');
  const [lateJoin, setLateJoin] = useState(true);
  const [names, setNames] = useState<'off' | 'offered' | 'required'>('off');
  const [auto, setAuto] = useState(false);
  const [revealS, setRevealS] = useState('8');
  const [boardS, setBoardS] = useState('6');
  const [teamsOn, setTeamsOn] = useState(false);
  const [teamsMode, setTeamsMode] = useState<TeamsSetting['mode']>('choose');
  const [teamsScore, setTeamsScore] = useState<TeamsSetting['score']>('average');
  const { t } = useTranslation('host');
  const [teamNames, setTeamNames] = useState(() => `${t('open.teamHome')}\n${t('open.teamAway')}`);
  const [hookUrl, setHookUrl] = useState('');
  const [hookSecret, setHookSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    let autoAdvance: AutoAdvance | null = null;
    if (auto) {
      const r = Number(revealS);
      const b = Number(boardS);
      if (![r, b].every((x) => Number.isInteger(x) && x >= 1 && x <= 60)) return setError(t('open.autoBad'));
      autoAdvance = { reveal_s: r, leaderboard_s: b };
    }
    let teams: TeamsSetting | null = null;
    if (teamsOn) {
      const parsed = parseTeamNames(teamNames);
      if (parsed.error) return setError(parsed.error);
      teams = { mode: teamsMode, score: teamsScore, names: parsed.names };
    }
    const body: Record<string, unknown> = { quiz: quiz.id, reveal, late_join: lateJoin, auto_advance: autoAdvance, names };
    // teams off: the field is left out (the server's default, null), so this
    // form still opens games on a server that predates teams
    if (teams) body.teams = teams;
    // a webhook for this game; left empty, the host's default applies (if any)
    if (hookUrl.trim()) body.webhook = { url: hookUrl.trim(), secret: hookSecret };
    if (maxPlayers.trim()) body.max_players = Number(maxPlayers);
    try {
      const g = await api<GameOpened>('POST', '/api/games', body);
      store.set(hostKey(g.pin), { host_token: g.host_token, screen_token: g.screen_token, title: g.title ?? quiz.title });
      navigate(`/host/game/${g.pin}`);
    } catch (err) { setError(errorText(err)); }
  }
  return (
    <form className="open-game" onSubmit={submit} aria-label={t('open.form')}>
      <fieldset>
        <legend>{t('open.scores')}</legend>
        <label className="inline"><input type="radio" name="reveal" data-testid="reveal-on-close" checked={reveal === 'on_close'} onChange={() => setReveal('on_close')} /> {t('open.onClose')}</label>
        <label className="inline"><input type="radio" name="reveal" data-testid="reveal-live" checked={reveal === 'live'} onChange={() => setReveal('live')} /> {t('open.live')}</label>
      </fieldset>
      <label htmlFor={`max-${quiz.id}`}>{t('open.maxPlayers')}</label>
      <input id={`max-${quiz.id}`} type="number" min={1} value={maxPlayers} onChange={(e) => setMaxPlayers(e.target.value)} />
      <label className="inline"><input type="checkbox" checked={lateJoin} onChange={(e) => setLateJoin(e.target.checked)} /> {t('open.lateJoin')}</label>
      <label htmlFor={`names-${quiz.id}`}>{t('open.names')}</label>
      <select id={`names-${quiz.id}`} data-testid="names-select" value={names}
        onChange={(e) => setNames(e.target.value as 'off' | 'offered' | 'required')}>
        <option value="off">{t('open.namesOff')}</option>
        <option value="offered">{t('open.namesOffered')}</option>
        <option value="required">{t('open.namesRequired')}</option>
      </select>
      <fieldset>
        <legend>{t('open.auto')}</legend>
        <label className="inline"><input type="checkbox" data-testid="auto-advance" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> {t('open.autoOn')}</label>
        {auto && (
          <div className="row">
            <div>
              <label htmlFor={`reveal-s-${quiz.id}`}>{t('open.autoReveal')}</label>
              <input id={`reveal-s-${quiz.id}`} type="number" min={1} max={60} required data-testid="auto-reveal-s" value={revealS} onChange={(e) => setRevealS(e.target.value)} />
            </div>
            <div>
              <label htmlFor={`board-s-${quiz.id}`}>{t('open.autoBoard')}</label>
              <input id={`board-s-${quiz.id}`} type="number" min={1} max={60} required data-testid="auto-board-s" value={boardS} onChange={(e) => setBoardS(e.target.value)} />
            </div>
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('open.teams')}</legend>
        <label className="inline"><input type="checkbox" data-testid="teams-on" checked={teamsOn} onChange={(e) => setTeamsOn(e.target.checked)} /> {t('open.teamsOn')}</label>
        {teamsOn && (
          <>
            <div className="row">
              <div>
                <label htmlFor={`teams-mode-${quiz.id}`}>{t('open.teamsMode')}</label>
                <select id={`teams-mode-${quiz.id}`} data-testid="teams-mode" value={teamsMode} onChange={(e) => setTeamsMode(e.target.value as TeamsSetting['mode'])}>
                  <option value="choose">{t('open.teamsChoose')}</option>
                  <option value="auto">{t('open.teamsAuto')}</option>
                </select>
              </div>
              <div>
                <label htmlFor={`teams-score-${quiz.id}`}>{t('open.teamsScore')}</label>
                <select id={`teams-score-${quiz.id}`} data-testid="teams-score" value={teamsScore} onChange={(e) => setTeamsScore(e.target.value as TeamsSetting['score'])}>
                  <option value="average">{t('open.teamsAverage')}</option>
                  <option value="sum">{t('open.teamsSum')}</option>
                </select>
              </div>
            </div>
            <label htmlFor={`teams-names-${quiz.id}`}>{t('open.teamNames')}</label>
            <textarea id={`teams-names-${quiz.id}`} data-testid="teams-names" rows={4} value={teamNames} onChange={(e) => setTeamNames(e.target.value)} />
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('open.webhook')}</legend>
        <label htmlFor={`hook-url-${quiz.id}`}>{t('open.webhookUrl')}</label>
        <input id={`hook-url-${quiz.id}`} type="url" data-testid="webhook-url" placeholder="https://example.com/stadium" value={hookUrl} onChange={(e) => setHookUrl(e.target.value)} />
        <label htmlFor={`hook-secret-${quiz.id}`}>{t('open.webhookSecret')}</label>
        <input id={`hook-secret-${quiz.id}`} type="password" autoComplete="off" data-testid="webhook-secret" value={hookSecret} onChange={(e) => setHookSecret(e.target.value)} />
      </fieldset>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions">
        <button type="submit" className="btn primary">{t('open.start')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}

interface EditDoc { title: string; questions: EditQuestion[] }

/** The editor's error: where it is (question, 1-based, null: the title or
 *  the whole quiz) and what. `source` says how it goes away: a client
 *  check is re-run at each edit; a server refusal goes once the part it
 *  names (`was`: that part at the save) has changed. */
interface EditProblem extends Problem { source: 'client' | 'server'; was: string }

function firstClientProblem(doc: EditDoc): Problem | null {
  if (!doc.title.trim()) return { question: null, field: 'title', text: i18n.t('host:editor.needTitle') };
  for (let i = 0; i < doc.questions.length; i++) {
    const bad = checkEdit(doc.questions[i], i + 1);
    if (bad) return { question: i + 1, field: null, text: bad };
  }
  return null;
}

/** The part of the quiz a problem names, to see when the host changed it. */
function partOf(doc: EditDoc, p: Problem): string {
  if (p.question !== null) {
    const q = doc.questions[p.question - 1];
    return q ? JSON.stringify(toDoc(q)) : '';
  }
  return p.field === 'title' ? doc.title : JSON.stringify(doc);
}

export function QuizEditor({ id }: { id: number | null }) {
  const load = useCallback(
    () => (id === null ? Promise.resolve<QuizDoc>({ title: '', questions: [toDoc(blankEdit())] }) : api<QuizDoc>('GET', `/api/quizzes/${id}`)),
    [id],
  );
  const { data, error, needLogin, reload } = useAuthed(load);
  const [doc, setDoc] = useState<EditDoc | null>(null);
  // the document as loaded (or last saved): Back asks before dropping edits
  const [pristine, setPristine] = useState<string | null>(null);
  const [problem, setProblem] = useState<EditProblem | null>(null);
  const [confirmBack, setConfirmBack] = useState(false);
  const { t, i18n: i18next } = useTranslation('host');
  useEffect(() => {
    if (!data) return;
    const d = { title: data.title ?? '', questions: (data.questions ?? []).map(fromDoc) };
    setDoc(d);
    setPristine(JSON.stringify(d));
  }, [data]);
  const dirty = doc !== null && pristine !== null && JSON.stringify(doc) !== pristine;
  // a reload or a closed tab with unsaved edits: the browser's own prompt
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = ''; };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  // an error goes away once fixed, not at the next Save
  useEffect(() => {
    if (!doc || !problem) return;
    if (problem.source === 'client') {
      const now = firstClientProblem(doc);
      if (!now) setProblem(null);
      else if (now.text !== problem.text || now.question !== problem.question) setProblem({ ...now, source: 'client', was: '' });
    } else if (partOf(doc, problem) !== problem.was) {
      setProblem(null);
    }
    // a client check's words follow the language (a server refusal's stay until fixed)
  }, [doc, problem, i18next.resolvedLanguage]);
  if (needLogin) return <Login onDone={reload} />;
  if (error) return <main className="page"><p className="error">{error}</p></main>;
  if (!doc) return <main className="page"><p className="muted">{t('loading')}</p></main>;

  const set = (f: (d: EditDoc) => void) => setDoc((d) => { const c = structuredClone(d!); f(c); return c; });

  async function save(e: FormEvent) {
    e.preventDefault();
    const local = firstClientProblem(doc!);
    if (local) return setProblem({ ...local, source: 'client', was: '' });
    setProblem(null);
    const clean: QuizDoc = { title: doc!.title.trim(), questions: doc!.questions.map(toDoc) };
    try {
      if (id === null) await api('POST', '/api/quizzes', clean);
      else await api('PUT', `/api/quizzes/${id}`, clean);
      setPristine(JSON.stringify(doc));
      navigate('/host');
    } catch (err) {
      const p = apiProblem(err);
      setProblem({ ...p, source: 'server', was: partOf(doc!, p) });
    }
  }
  const back = () => (dirty ? setConfirmBack(true) : navigate('/host'));
  const titleProblem = problem && problem.question === null && problem.field === 'title' ? problem : null;

  return (
    <main className="page host editor">
      <form onSubmit={save} aria-label={t('editor.form')}>
        <div className="toolbar">
          <h1>{id === null ? t('editor.new') : t('editor.edit')}</h1>
          <button type="button" className="btn" data-testid="editor-back" onClick={back}>{t('editor.back')}</button>
          <LanguageSwitch />
        </div>
        <label htmlFor="title">{t('editor.title')}</label>
        <input id="title" required maxLength={200} value={doc.title} aria-invalid={titleProblem ? true : undefined}
          aria-describedby={titleProblem ? 'title-error' : undefined}
          onChange={(e) => set((d) => { d.title = e.target.value; })} />
        {titleProblem && <p className="error field-error" id="title-error" data-testid="field-error-title">{titleProblem.text}</p>}
        <BrandFields quizId={id} />
        {doc.questions.map((q, qi) => (
          <QuestionEditor key={qi} q={q} qi={qi} count={doc.questions.length}
            problem={problem && problem.question === qi + 1 ? problem : null}
            change={(f) => set((d) => { f(d.questions[qi]); })}
            remove={() => set((d) => { d.questions.splice(qi, 1); })}
            move={(to) => set((d) => { const [x] = d.questions.splice(qi, 1); d.questions.splice(to, 0, x); })} />
        ))}
        <div className="actions">
          <button type="button" className="btn" data-testid="add-question" onClick={() => set((d) => { d.questions.push(blankEdit()); })}>{t('editor.addQuestion')}</button>
        </div>
        <div className="actions save-row">
          <button type="submit" className="btn primary" data-testid="save-quiz">{t('editor.save')}</button>
          {problem && <p className="error" role="alert" data-testid="save-error">{problem.text}</p>}
        </div>
      </form>
      {confirmBack && (
        <ConfirmDialog title={t('editor.discardTitle')} body={t('editor.discardBody')}
          confirm={t('editor.discard')} cancel={t('editor.keep')}
          onConfirm={() => { setConfirmBack(false); navigate('/host'); }} onCancel={() => setConfirmBack(false)} />
      )}
    </main>
  );
}

/** A confirmation in the page (not window.confirm): focus on the safe
 *  choice, Escape cancels. */
function ConfirmDialog({ title, body, confirm, cancel, onConfirm, onCancel }: {
  title: string; body: string; confirm: string; cancel: string; onConfirm(): void; onCancel(): void;
}) {
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => { keep.current?.focus(); }, []);
  return (
    <div className="confirm-backdrop" onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <div className="card confirm-dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title"
        aria-describedby="confirm-body" data-testid="confirm-dialog">
        <h2 id="confirm-title">{title}</h2>
        <p id="confirm-body">{body}</p>
        <div className="actions">
          <button type="button" ref={keep} className="btn primary" onClick={onCancel}>{cancel}</button>
          <button type="button" className="btn danger" onClick={onConfirm}>{confirm}</button>
        </div>
      </div>
    </div>
  );
}

/** One question: common fields, then the kind's own. Ids are q<index>-<field> (0-based, as before). */
function QuestionEditor({ q, qi, count, problem, change, remove, move }: {
  q: EditQuestion; qi: number; count: number; problem: Problem | null;
  change(f: (q: EditQuestion) => void): void; remove(): void; move(to: number): void;
}) {
  const id = (f: string) => `q${qi}-${f}`;
  const scored = SCORED.has(q.kind);
  const choiceKind = q.kind === 'choice' || q.kind === 'poll';
  const { t } = useTranslation('host');
  const kindLabel = (k: QuestionKind) => t(`kind.${k}`, { defaultValue: KIND_LABELS[k] });
  return (
    <fieldset className="card question-edit" data-testid={`question-${qi + 1}`}>
      <legend>{t('q.legend', { n: qi + 1, kind: kindLabel(q.kind) })}</legend>
      {problem && <p className="error field-error" role="status" data-testid={`field-error-${qi + 1}`}>{problem.text}</p>}
      <div className="row">
        <div>
          <label htmlFor={id('kind')}>{t('q.kind')}</label>
          <select id={id('kind')} data-testid={id('kind')} value={q.kind}
            onChange={(e) => change((x) => {
              x.kind = e.target.value as QuestionKind;
              if (!SCORED.has(x.kind)) x.multiplier = 0;
              else if (x.multiplier === 0) x.multiplier = 1;
            })}>
            {KINDS.map((k) => <option key={k} value={k}>{kindLabel(k)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor={id('read')}>{t('q.read')}</label>
          <input id={id('read')} data-testid={id('read')} type="number" min={0} max={15} step={1} required value={q.read_time}
            onChange={(e) => change((x) => { x.read_time = Number(e.target.value); })} />
        </div>
      </div>
      <label htmlFor={id('text')}>{q.kind === 'info' ? t('q.slideText') : t('q.text')}</label>
      <textarea id={id('text')} required maxLength={500} value={q.text} onChange={(e) => change((x) => { x.text = e.target.value; })} />
      <div className="row">
        <div>
          <label htmlFor={id('time')}>{q.kind === 'info' ? t('q.shownFor') : t('q.time')}</label>
          <input id={id('time')} type="number" min={5} max={240} required value={q.time_limit}
            onChange={(e) => change((x) => { x.time_limit = Number(e.target.value); })} />
        </div>
        {scored && (
          <div>
            <label htmlFor={id('mult')}>{t('q.points')}</label>
            <select id={id('mult')} value={q.multiplier} onChange={(e) => change((x) => { x.multiplier = Number(e.target.value) as 0 | 1 | 2; })}>
              <option value={1}>{t('q.standard')}</option>
              <option value={2}>{t('q.double')}</option>
              <option value={0}>{t('q.noPoints')}</option>
            </select>
          </div>
        )}
      </div>
      <label htmlFor={id('image')}>{t('q.image')}</label>
      <input id={id('image')} type="url" value={q.image} onChange={(e) => change((x) => { x.image = e.target.value; })} />

      {choiceKind && (
        <>
          <p className="muted small">{q.kind === 'poll' ? t('q.choicesPoll') : t('q.choicesQuiz')}</p>
          {q.choices.map((c, ci) => (
            <div key={ci} className="choice-edit">
              {q.kind === 'choice' && (
                // a visible label: a bare checkbox said nothing to sighted hosts
                <label htmlFor={id(`c${ci}-ok`)} className="right-toggle" data-testid={id(`c${ci}-ok-label`)}>
                  <input type="checkbox" id={id(`c${ci}-ok`)} checked={c.correct}
                    onChange={(e) => change((x) => { x.choices[ci].correct = e.target.checked; })} />
                  {t('q.right')}<span className="sr-only"> {t('q.rightOf', { n: ci + 1 })}</span>
                </label>
              )}
              <label htmlFor={id(`c${ci}`)} className="sr-only">{t('q.choice', { n: ci + 1 })}</label>
              <input id={id(`c${ci}`)} required maxLength={200} placeholder={t('q.choice', { n: ci + 1 })} value={c.text}
                onChange={(e) => change((x) => { x.choices[ci].text = e.target.value; })} />
              <button type="button" className="btn small" aria-label={t('q.removeChoice', { n: ci + 1 })} data-testid={id(`c${ci}-remove`)} disabled={q.choices.length <= 2}
                onClick={() => change((x) => { x.choices.splice(ci, 1); })}>✕</button>
            </div>
          ))}
          <div className="actions">
            <button type="button" className="btn small" data-testid={id('add-choice')} disabled={q.choices.length >= 6}
              onClick={() => change((x) => { x.choices.push({ text: '', correct: false }); })}>{t('q.addChoice')}</button>
          </div>
        </>
      )}

      {q.kind === 'true_false' && (
        <fieldset>
          <legend>{t('q.statement')}</legend>
          <label className="inline"><input type="radio" name={id('tf')} id={id('tf-true')} data-testid={id('tf-true')} checked={q.truth}
            onChange={() => change((x) => { x.truth = true; })} /> {t('q.true')}</label>
          <label className="inline"><input type="radio" name={id('tf')} id={id('tf-false')} data-testid={id('tf-false')} checked={!q.truth}
            onChange={() => change((x) => { x.truth = false; })} /> {t('q.false')}</label>
        </fieldset>
      )}

      {q.kind === 'slider' && (
        <div className="grid3">
          {(['min', 'max', 'step', 'answer', 'tolerance'] as const).map((f) => (
            <div key={f}>
              <label htmlFor={id(f)}>{t(`q.slider.${f}`)}</label>
              <input id={id(f)} data-testid={id(f)} type="text" inputMode="decimal" required value={q[f]}
                onChange={(e) => change((x) => { x[f] = e.target.value; })} />
            </div>
          ))}
          <div>
            <label htmlFor={id('unit')}>{t('q.unit')}</label>
            <input id={id('unit')} data-testid={id('unit')} maxLength={20} value={q.unit} onChange={(e) => change((x) => { x.unit = e.target.value; })} />
          </div>
          <p className="muted small span3">{t('q.sliderHelp')}</p>
        </div>
      )}

      {q.kind === 'type_answer' && (
        <>
          <p className="muted small">{t('q.acceptedHelp')}</p>
          {q.accepted.map((a, ai) => (
            <div key={ai} className="choice-edit">
              <label htmlFor={id(`acc${ai}`)} className="sr-only">{t('q.accepted', { n: ai + 1 })}</label>
              <input id={id(`acc${ai}`)} data-testid={id(`acc${ai}`)} maxLength={40} placeholder={t('q.accepted', { n: ai + 1 })} value={a}
                onChange={(e) => change((x) => { x.accepted[ai] = e.target.value; })} />
              <button type="button" className="btn small" aria-label={t('q.removeAccepted', { n: ai + 1 })} data-testid={id(`acc${ai}-remove`)} disabled={q.accepted.length <= 1}
                onClick={() => change((x) => { x.accepted.splice(ai, 1); })}>✕</button>
            </div>
          ))}
          <div className="actions">
            <button type="button" className="btn small" data-testid={id('add-accepted')} disabled={q.accepted.length >= 10}
              onClick={() => change((x) => { x.accepted.push(''); })}>{t('q.addAccepted')}</button>
          </div>
        </>
      )}

      {(q.kind === 'type_answer' || q.kind === 'word_cloud') && (
        <>
          <label htmlFor={id('maxlen')}>{t('q.maxLength')}</label>
          <input id={id('maxlen')} data-testid={id('maxlen')} type="number" min={1} max={40} required value={q.max_length}
            onChange={(e) => change((x) => { x.max_length = Number(e.target.value); })} />
        </>
      )}

      {q.kind === 'ordering' && (
        <>
          <p className="muted small">{t('q.itemsHelp')}</p>
          {q.items.map((it, ii) => (
            <div key={ii} className="choice-edit">
              <span className="order-pos small">{ii + 1}</span>
              <label htmlFor={id(`item${ii}`)} className="sr-only">{t('q.item', { n: ii + 1 })}</label>
              <input id={id(`item${ii}`)} data-testid={id(`item${ii}`)} required maxLength={200} placeholder={t('q.item', { n: ii + 1 })} value={it}
                onChange={(e) => change((x) => { x.items[ii] = e.target.value; })} />
              <button type="button" className="btn small" aria-label={t('q.removeItem', { n: ii + 1 })} data-testid={id(`item${ii}-remove`)} disabled={q.items.length <= 3}
                onClick={() => change((x) => { x.items.splice(ii, 1); })}>✕</button>
            </div>
          ))}
          <div className="actions">
            <button type="button" className="btn small" data-testid={id('add-item')} disabled={q.items.length >= 6}
              onClick={() => change((x) => { x.items.push(''); })}>{t('q.addItem')}</button>
          </div>
        </>
      )}

      <div className="actions">
        <button type="button" className="btn small" data-testid={id('up')} disabled={qi === 0} onClick={() => move(qi - 1)}>{t('q.up')}</button>
        <button type="button" className="btn small" data-testid={id('down')} disabled={qi >= count - 1} onClick={() => move(qi + 1)}>{t('q.down')}</button>
        <button type="button" className="btn small danger" disabled={count <= 1} onClick={remove}>{t('q.remove', { n: qi + 1 })}</button>
      </div>
    </fieldset>
  );
}
