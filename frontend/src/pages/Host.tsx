import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, errorText, hostKey, quizList, store, type GameOpened, type QuizDoc, type QuizSummary } from '../api';
import { navigate } from '../router';

export function Login({ onDone }: { onDone(): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', '/api/auth/login', { username, password });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError && (err.status === 401 || err.status === 400 || err.status === 403)
        ? 'Wrong username or password.' : errorText(err));
    }
  }
  return (
    <main className="page narrow">
      <h1 className="brand">Stadium host</h1>
      <form className="card" onSubmit={submit} aria-label="Log in">
        <label htmlFor="username">Username</label>
        <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="btn primary">Log in</button>
      </form>
    </main>
  );
}

/** Runs `load`; shows the login form on 401/403. */
function useAuthed<T>(load: () => Promise<T>): { data: T | null; error: string | null; needLogin: boolean; reload(): void } {
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
  if (needLogin) return <Login onDone={reload} />;

  async function remove(q: QuizSummary) {
    if (!window.confirm(`Delete "${q.title}"?`)) return;
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
    try { doc = JSON.parse(await f.text()); } catch { return setProblem(`${f.name} is not a JSON file.`); }
    try {
      await api('POST', '/api/quizzes', doc);
      setMsg(`Imported ${f.name}.`);
      reload();
    } catch (e) { setMsgState(null); setProblem(`${f.name} was not imported: ${errorText(e)}`); }
  }
  async function logout() {
    try { await api('POST', '/api/auth/logout'); } finally { reload(); }
  }

  return (
    <main className="page host">
      <header className="bar">
        <span className="brand-small">Stadium host</span>
        <button type="button" className="btn small" onClick={logout}>Log out</button>
      </header>
      <div className="toolbar">
        <h1>Your quizzes</h1>
        <button type="button" className="btn primary" onClick={() => navigate('/host/quizzes/new')}>New quiz</button>
        <button type="button" className="btn" onClick={() => file.current?.click()}>Import JSON…</button>
        <input ref={file} type="file" accept="application/json,.json" className="sr-only" aria-label="Import a quiz file"
          onChange={(e) => { const f = e.target.files?.[0]; if (f) importQuiz(f); e.target.value = ''; }} />
      </div>
      {msg && <p className="notice" role="status">{msg}</p>}
      {problem && <p className="error" role="alert">{problem}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {!data ? <p className="muted">Loading…</p> : data.length === 0 ? <p className="muted">No quiz yet: create one.</p> : (
        <ul className="quiz-list">
          {data.map((q) => (
            <li key={q.id} className="card quiz-item" data-testid="quiz-item">
              <div>
                <strong className="quiz-title">{q.title}</strong>
                {q.n_questions !== undefined && <span className="muted"> · {q.n_questions} questions</span>}
              </div>
              <div className="actions">
                <button type="button" className="btn primary" onClick={() => setOpening(q)}>Open a game</button>
                <button type="button" className="btn" onClick={() => navigate(`/host/quizzes/${q.id}`)}>Edit</button>
                <button type="button" className="btn" onClick={() => exportQuiz(q)}>Export</button>
                <button type="button" className="btn danger" onClick={() => remove(q)}>Delete</button>
              </div>
              {opening?.id === q.id && <OpenGame quiz={q} onCancel={() => setOpening(null)} />}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

function OpenGame({ quiz, onCancel }: { quiz: QuizSummary; onCancel(): void }) {
  const [reveal, setReveal] = useState<'live' | 'on_close'>('live');
  const [maxPlayers, setMaxPlayers] = useState('');
  const [lateJoin, setLateJoin] = useState(true);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { quiz: quiz.id, reveal, late_join: lateJoin };
    if (maxPlayers.trim()) body.max_players = Number(maxPlayers);
    try {
      const g = await api<GameOpened>('POST', '/api/games', body);
      store.set(hostKey(g.pin), { host_token: g.host_token, screen_token: g.screen_token, title: g.title ?? quiz.title });
      navigate(`/host/game/${g.pin}`);
    } catch (err) { setError(errorText(err)); }
  }
  return (
    <form className="open-game" onSubmit={submit} aria-label="Game settings">
      <fieldset>
        <legend>Scores</legend>
        <label className="inline"><input type="radio" name="reveal" checked={reveal === 'live'} onChange={() => setReveal('live')} /> Live (the board moves during a question)</label>
        <label className="inline"><input type="radio" name="reveal" checked={reveal === 'on_close'} onChange={() => setReveal('on_close')} /> At the close of each question</label>
      </fieldset>
      <label htmlFor={`max-${quiz.id}`}>Max players (empty: no limit)</label>
      <input id={`max-${quiz.id}`} type="number" min={1} value={maxPlayers} onChange={(e) => setMaxPlayers(e.target.value)} />
      <label className="inline"><input type="checkbox" checked={lateJoin} onChange={(e) => setLateJoin(e.target.checked)} /> Players may join after the start</label>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions">
        <button type="submit" className="btn primary">Start the lobby</button>
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

const blankQuestion = (): QuizDoc['questions'][number] => ({
  text: '', time_limit: 20, multiplier: 1, image: null,
  choices: [{ text: '', correct: true }, { text: '', correct: false }, { text: '', correct: false }, { text: '', correct: false }],
});

export function QuizEditor({ id }: { id: number | null }) {
  const load = useCallback(
    () => (id === null ? Promise.resolve<QuizDoc>({ title: '', questions: [blankQuestion()] }) : api<QuizDoc>('GET', `/api/quizzes/${id}`)),
    [id],
  );
  const { data, error, needLogin, reload } = useAuthed(load);
  const [doc, setDoc] = useState<QuizDoc | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  useEffect(() => { if (data) setDoc(structuredClone(data)); }, [data]);
  if (needLogin) return <Login onDone={reload} />;
  if (error) return <main className="page"><p className="error">{error}</p></main>;
  if (!doc) return <main className="page"><p className="muted">Loading…</p></main>;

  const set = (f: (d: QuizDoc) => void) => setDoc((d) => { const c = structuredClone(d!); f(c); return c; });

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaveError(null);
    const bad = doc!.questions.findIndex((q) => !q.choices.some((c) => c.correct));
    if (bad >= 0) return setSaveError(`Question ${bad + 1} needs at least one right answer.`);
    const clean: QuizDoc = {
      title: doc!.title.trim(),
      questions: doc!.questions.map((q) => ({ ...q, text: q.text.trim(), image: q.image && q.image.trim() ? q.image.trim() : null,
        choices: q.choices.map((c) => ({ text: c.text.trim(), correct: c.correct })) })),
    };
    try {
      if (id === null) await api('POST', '/api/quizzes', clean);
      else await api('PUT', `/api/quizzes/${id}`, clean);
      navigate('/host');
    } catch (err) { setSaveError(errorText(err)); }
  }

  return (
    <main className="page host editor">
      <form onSubmit={save} aria-label="Quiz editor">
        <div className="toolbar">
          <h1>{id === null ? 'New quiz' : 'Edit quiz'}</h1>
          <button type="button" className="btn" onClick={() => navigate('/host')}>Back</button>
        </div>
        <label htmlFor="title">Title</label>
        <input id="title" required maxLength={200} value={doc.title} onChange={(e) => set((d) => { d.title = e.target.value; })} />
        {doc.questions.map((q, qi) => (
          <fieldset key={qi} className="card question-edit" data-testid={`question-${qi + 1}`}>
            <legend>Question {qi + 1}</legend>
            <label htmlFor={`q${qi}-text`}>Question text</label>
            <textarea id={`q${qi}-text`} required maxLength={500} value={q.text} onChange={(e) => set((d) => { d.questions[qi].text = e.target.value; })} />
            <div className="row">
              <div>
                <label htmlFor={`q${qi}-time`}>Time limit (seconds)</label>
                <input id={`q${qi}-time`} type="number" min={5} max={240} required value={q.time_limit}
                  onChange={(e) => set((d) => { d.questions[qi].time_limit = Number(e.target.value); })} />
              </div>
              <div>
                <label htmlFor={`q${qi}-mult`}>Points</label>
                <select id={`q${qi}-mult`} value={q.multiplier} onChange={(e) => set((d) => { d.questions[qi].multiplier = Number(e.target.value) as 0 | 1 | 2; })}>
                  <option value={1}>Standard</option>
                  <option value={2}>Double</option>
                  <option value={0}>No points</option>
                </select>
              </div>
            </div>
            <label htmlFor={`q${qi}-image`}>Image URL (optional)</label>
            <input id={`q${qi}-image`} type="url" value={q.image ?? ''} onChange={(e) => set((d) => { d.questions[qi].image = e.target.value || null; })} />
            <p className="muted small">Choices (tick the right ones; several ticks make a multi-select question)</p>
            {q.choices.map((c, ci) => (
              <div key={ci} className="choice-edit">
                <input type="checkbox" id={`q${qi}-c${ci}-ok`} checked={c.correct}
                  onChange={(e) => set((d) => { d.questions[qi].choices[ci].correct = e.target.checked; })} />
                <label htmlFor={`q${qi}-c${ci}-ok`} className="sr-only">Choice {ci + 1} is right</label>
                <label htmlFor={`q${qi}-c${ci}`} className="sr-only">Choice {ci + 1}</label>
                <input id={`q${qi}-c${ci}`} required maxLength={200} placeholder={`Choice ${ci + 1}`} value={c.text}
                  onChange={(e) => set((d) => { d.questions[qi].choices[ci].text = e.target.value; })} />
                <button type="button" className="btn small" aria-label={`Remove choice ${ci + 1}`} disabled={q.choices.length <= 2}
                  onClick={() => set((d) => { d.questions[qi].choices.splice(ci, 1); })}>✕</button>
              </div>
            ))}
            <div className="actions">
              <button type="button" className="btn small" disabled={q.choices.length >= 6}
                onClick={() => set((d) => { d.questions[qi].choices.push({ text: '', correct: false }); })}>Add a choice</button>
              <button type="button" className="btn small danger" disabled={doc.questions.length <= 1}
                onClick={() => set((d) => { d.questions.splice(qi, 1); })}>Remove question {qi + 1}</button>
            </div>
          </fieldset>
        ))}
        <div className="actions">
          <button type="button" className="btn" onClick={() => set((d) => { d.questions.push(blankQuestion()); })}>Add a question</button>
          <button type="submit" className="btn primary">Save quiz</button>
        </div>
        {saveError && <p className="error" role="alert">{saveError}</p>}
      </form>
    </main>
  );
}
