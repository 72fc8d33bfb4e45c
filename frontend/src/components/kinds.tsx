// Per-kind pieces: the phone's answer inputs (choices, slider, text,
// ordering) and the reveals shared by the big screen and the host console
// (histogram, word cloud, the right order).

import { useEffect, useRef, useState, type FormEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { formatNumber, numberLocale } from '../i18n/format';
import {
  bucketOf, bucketsInBand, cloudSizes, formatValue, isAcceptedCorrect, isOrderCorrect, isSliderCorrect,
  moveItem, sliderStart, snapToGrid, stepBy, tapPick,
} from '../lib/kinds';
import type { AnswerPayload, RightWrong, SliderBucket, TextCount } from '../lib/protocol';
import type { QuestionView } from '../lib/state';
import { Distribution, Shape, shapeName } from './bits';

/** A slider's value with its grid's decimals and unit, in the UI's digits. */
function fmtValue(v: number, step: number, unit?: string | null): string {
  return formatValue(v, step, unit, numberLocale());
}

interface AnswerProps {
  q: QuestionView;
  disabled: boolean;
  onAnswer(a: AnswerPayload): void;
}

/** choice / true_false / poll: a tile per choice (poll and single: one tap). */
export function ChoiceAnswer({ q, disabled, onAnswer }: AnswerProps) {
  const { t } = useTranslation('play');
  const [picked, setPicked] = useState<number[]>([]);
  useEffect(() => setPicked([]), [q.question]);
  const choices = q.choices ?? [];
  const multi = q.kind === 'choice' && !!q.multi;
  return (
    <>
      {multi && <p className="hint">{t('answer.multiHint')}</p>}
      {q.kind === 'poll' && <p className="hint">{t('answer.pollHint')}</p>}
      <div className={`answers n${choices.length}${q.kind === 'true_false' ? ' tf' : ''}`} role="group" aria-label={t('answer.group')}>
        {choices.map((c, i) => {
          const on = picked.includes(i);
          return (
            <button key={i} type="button" className={`answer c${i}${on ? ' on' : ''}`} disabled={disabled}
              data-testid={`answer-${i}`}
              aria-pressed={multi ? on : undefined}
              aria-label={t(choices.length > 1 ? 'answer.tileThe' : 'answer.tile', { text: c, shape: shapeName(i) })}
              onClick={() => (multi ? setPicked(on ? picked.filter((x) => x !== i) : [...picked, i]) : onAnswer({ choices: [i] }))}>
              <Shape index={i} size={36} />
              <span className="answer-text" dir="auto">{c}</span>
            </button>
          );
        })}
      </div>
      {multi && (
        <button type="button" className="btn primary big submit" disabled={disabled || picked.length === 0} data-testid="choices-submit"
          onClick={() => onAnswer({ choices: [...picked].sort((a, b) => a - b) })}>
          {picked.length > 0 ? t('answer.submitN', { n: formatNumber(picked.length) }) : t('answer.submit')}
        </button>
      )}
    </>
  );
}

/** slider: a big thumb on the grid, the value and unit shown big, -/+ steps, Submit. */
export function SliderAnswer({ q, disabled, onAnswer }: AnswerProps) {
  const { t } = useTranslation('play');
  const min = q.min ?? 0;
  const max = q.max ?? 100;
  const step = q.step ?? 1;
  const [v, setV] = useState(() => sliderStart(min, max, step));
  useEffect(() => setV(sliderStart(min, max, step)), [q.question, min, max, step]);
  const nsteps = Math.round((max - min) / step);
  const bigJump = Math.max(1, Math.round(nsteps / 20));
  return (
    <div className="slider-answer">
      <p className="slider-value" aria-live="polite" data-testid="slider-value" dir="ltr">{fmtValue(v, step, q.unit)}</p>
      <label htmlFor="slider" className="sr-only">{q.unit ? t('answer.sliderLabelUnit', { unit: q.unit }) : t('answer.sliderLabel')}</label>
      <input id="slider" type="range" className="slider" min={min} max={max} step={step} value={v} disabled={disabled}
        data-testid="slider-input" aria-valuetext={fmtValue(v, step, q.unit)}
        onChange={(e) => setV(snapToGrid(Number(e.target.value), min, max, step))} />
      <div className="slider-range" aria-hidden="true" dir="ltr">
        <span>{fmtValue(min, step, q.unit)}</span>
        <span>{fmtValue(max, step, q.unit)}</span>
      </div>
      <div className="slider-steps">
        {bigJump > 1 && (
          <button type="button" className="btn" disabled={disabled} aria-label={t('answer.downN', { n: formatNumber(bigJump) })} data-testid="slider-minus-big"
            onClick={() => setV(stepBy(v, -bigJump, min, max, step))}>−−</button>
        )}
        <button type="button" className="btn" disabled={disabled} aria-label={t('answer.oneDown')} data-testid="slider-minus"
          onClick={() => setV(stepBy(v, -1, min, max, step))}>−</button>
        <button type="button" className="btn" disabled={disabled} aria-label={t('answer.oneUp')} data-testid="slider-plus"
          onClick={() => setV(stepBy(v, 1, min, max, step))}>+</button>
        {bigJump > 1 && (
          <button type="button" className="btn" disabled={disabled} aria-label={t('answer.upN', { n: formatNumber(bigJump) })} data-testid="slider-plus-big"
            onClick={() => setV(stepBy(v, bigJump, min, max, step))}>++</button>
        )}
      </div>
      <button type="button" className="btn primary big submit" disabled={disabled} data-testid="slider-submit"
        onClick={() => onAnswer({ value: v })}>{t('answer.submitValue', { v: fmtValue(v, step, q.unit) })}</button>
    </div>
  );
}

/** type_answer / word_cloud: a text field that suits phone keyboards; Enter sends. */
export function TextAnswer({ q, disabled, onAnswer }: AnswerProps) {
  const { t } = useTranslation('play');
  const [text, setText] = useState('');
  useEffect(() => setText(''), [q.question]);
  const maxLength = q.max_length ?? 40;
  const cloud = q.kind === 'word_cloud';
  const length = [...text.trim()].length;
  const ok = length > 0 && length <= maxLength;
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!disabled && ok) onAnswer({ text: text.trim() });
  }
  return (
    <form className="text-answer" onSubmit={submit} aria-label={t('answer.form')}>
      <label htmlFor="answer-text">{cloud ? t('answer.yourWord') : t('answer.yourAnswer')}</label>
      <input id="answer-text" className="big-input" type="text" inputMode="text" enterKeyHint="send"
        autoComplete="off" autoCorrect="off" spellCheck={false} autoCapitalize={cloud ? 'none' : 'sentences'}
        maxLength={maxLength} value={text} disabled={disabled} data-testid="text-input"
        placeholder={cloud ? t('answer.wordPlaceholder') : t('answer.answerPlaceholder')} dir="auto"
        onChange={(e) => setText(e.target.value)} />
      <p className="muted small counter" aria-live="polite" dir="ltr">{length} / {maxLength}</p>
      <button type="submit" className="btn primary big submit" disabled={disabled || !ok} data-testid="text-submit">{t('answer.send')}</button>
    </form>
  );
}

/** ordering: drag the handles (pointer events: mouse and touch) or tap the
 *  items in order (each tap puts the item next; Undo takes the last back). */
export function OrderingAnswer({ q, disabled, onAnswer }: AnswerProps) {
  const { t } = useTranslation('play');
  const items = q.items ?? [];
  const n = items.length;
  const [order, setOrder] = useState<number[]>(() => items.map((_, i) => i));
  const [tapped, setTapped] = useState<number[]>([]);
  const [drag, setDrag] = useState<{ from: number; dy: number; h: number } | null>(null);
  const startY = useRef(0);
  useEffect(() => { setOrder(Array.from({ length: n }, (_, i) => i)); setTapped([]); setDrag(null); }, [q.question, n]);

  // what the player sees: the tapped items first, then the rest in the dragged order
  const shown = [...tapped, ...order.filter((i) => !tapped.includes(i))];
  const target = drag ? Math.max(0, Math.min(n - 1, drag.from + Math.round(drag.dy / drag.h))) : -1;

  function down(e: ReactPointerEvent<HTMLElement>, pos: number) {
    if (disabled) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const row = e.currentTarget.closest('li');
    startY.current = e.clientY;
    setDrag({ from: pos, dy: 0, h: row ? row.getBoundingClientRect().height + 8 : 60 });
  }
  function move(e: ReactPointerEvent<HTMLElement>) {
    if (drag) setDrag({ ...drag, dy: e.clientY - startY.current });
  }
  function up() {
    if (!drag) return;
    setOrder(moveItem(shown, drag.from, target));
    setTapped([]);
    setDrag(null);
  }

  return (
    <div className="ordering-answer">
      <p className="hint">{t('answer.orderHint')}</p>
      <ol className="order-list" data-testid="order-list">
        {shown.map((item, pos) => {
          const dragging = drag?.from === pos;
          let shift = 0;
          if (drag && !dragging) {
            if (drag.from < pos && pos <= target) shift = -drag.h;
            if (target <= pos && pos < drag.from) shift = drag.h;
          }
          const style = dragging ? { transform: `translateY(${drag!.dy}px)`, zIndex: 2 } : shift ? { transform: `translateY(${shift}px)` } : undefined;
          const rank = tapped.indexOf(item);
          return (
            <li key={item} className={`order-row c${item}${dragging ? ' dragging' : ''}${rank >= 0 ? ' tapped' : ''}`} style={style}
              data-testid={`order-item-${item}`} data-position={pos}>
              <button type="button" className="order-tap" disabled={disabled || rank >= 0} data-testid={`order-tap-${item}`}
                aria-label={t('answer.putNext', { item: items[item], pos: formatNumber(pos + 1), n: formatNumber(n) })}
                onClick={() => setTapped(tapPick(tapped, item))}>
                <span className="order-pos">{formatNumber(pos + 1)}</span>
                <span className="order-text" dir="auto">{items[item]}</span>
                {rank >= 0 && <span className="order-check" aria-hidden="true">✓</span>}
              </button>
              <span className="order-handle" role="presentation" aria-hidden="true" data-testid={`order-handle-${item}`}
                onPointerDown={(e) => down(e, pos)} onPointerMove={move} onPointerUp={up} onPointerCancel={() => setDrag(null)}>☰</span>
            </li>
          );
        })}
      </ol>
      <div className="actions">
        <button type="button" className="btn" disabled={disabled || tapped.length === 0} data-testid="order-undo"
          onClick={() => setTapped(tapped.slice(0, -1))}>{t('answer.undo')}</button>
        <button type="button" className="btn" disabled={disabled || tapped.length === 0} data-testid="order-reset"
          onClick={() => setTapped([])}>{t('answer.startOver')}</button>
      </div>
      <button type="button" className="btn primary big submit" disabled={disabled} data-testid="order-submit"
        onClick={() => onAnswer({ order: shown })}>{t('answer.submitOrder')}</button>
    </div>
  );
}

/** The answer input of a kind (null for an info slide). */
export function AnswerInput(props: AnswerProps) {
  switch (props.q.kind) {
    case 'choice':
    case 'true_false':
    case 'poll':
      return <ChoiceAnswer {...props} />;
    case 'slider':
      return <SliderAnswer {...props} />;
    case 'type_answer':
    case 'word_cloud':
      return <TextAnswer {...props} />;
    case 'ordering':
      return <OrderingAnswer {...props} />;
    default:
      return null;
  }
}

// --- reveals ------------------------------------------------------------------

/** Slider histogram: a bar per bucket, the right answer's bucket and the tolerance band marked. */
export function Histogram({ buckets, correct, step, unit }: { buckets: SliderBucket[]; correct: unknown; step: number; unit?: string | null }) {
  const { t } = useTranslation('common');
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const sc = isSliderCorrect(correct) ? correct : null;
  const band = sc ? bucketsInBand(buckets, sc.answer - sc.tolerance, sc.answer + sc.tolerance) : buckets.map(() => false);
  const at = sc ? bucketOf(buckets, sc.answer) : -1;
  return (
    <section className="histogram" aria-label={t('kinds.answersPerRange')} data-testid="histogram">
      {sc && (
        <p className="hist-answer" data-testid="hist-answer">
          {t('kinds.rightAnswer')} <strong dir="ltr">{fmtValue(sc.answer, step, unit)}</strong>
          {sc.tolerance > 0 && <> {t('kinds.tolerance', { v: fmtValue(sc.tolerance, step, unit) })}</>}
        </p>
      )}
      <ol className="hist-bars">
        {buckets.map((b, i) => (
          <li key={i} className={`hist-col${band[i] ? ' band' : ''}${i === at ? ' answer' : ''}`} data-testid={`hist-${i}`}
            aria-label={t('kinds.range', { from: fmtValue(b.from, step), to: fmtValue(b.to, step), count: b.count })}>
            <span className="hist-count" data-testid={`hist-count-${i}`}>{b.count}</span>
            <span className="hist-bar" style={{ height: `${(b.count / max) * 100}%` }} />
            {i === at && <span className="hist-mark" aria-hidden="true">▲</span>}
          </li>
        ))}
      </ol>
      <div className="hist-axis" aria-hidden="true" dir="ltr">
        <span>{buckets.length ? fmtValue(buckets[0].from, step, unit) : ''}</span>
        <span>{buckets.length ? fmtValue(buckets[buckets.length - 1].to, step, unit) : ''}</span>
      </div>
    </section>
  );
}

/** Word cloud: the normalized texts, sized by count (largest first in the DOM). */
export function WordCloud({ entries, accepted }: { entries: TextCount[]; accepted?: string[] }) {
  const { t } = useTranslation('common');
  const sizes = cloudSizes(entries);
  if (entries.length === 0) return <p className="muted" data-testid="word-cloud">{t('kinds.noAnswersYet')}</p>;
  return (
    <ul className="word-cloud" aria-label={t('kinds.answers')} data-testid="word-cloud">
      {entries.map((e, i) => (
        <li key={e.text} className={`cloud-word c${i % 6}`} style={{ fontSize: `${sizes[i].toFixed(2)}rem` }}
          data-testid="cloud-word" data-count={e.count} title={`${e.count}`}>
          <bdi>{e.text}</bdi> <span className="cloud-count">{formatNumber(e.count)}</span>
        </li>
      ))}
      {accepted && <li className="sr-only">{t('kinds.accepted', { list: accepted.join(', ') })}</li>}
    </ul>
  );
}

/** Ordering: the items listed in the right order, with right / wrong counts. */
export function OrderReveal({ items, correct, counts }: { items: string[]; correct: unknown; counts: RightWrong | null }) {
  const { t } = useTranslation('common');
  const order = isOrderCorrect(correct) ? correct.order : items.map((_, i) => i);
  return (
    <section className="order-reveal" aria-label={t('kinds.rightOrder')} data-testid="order-reveal">
      <ol className="order-list revealed">
        {order.map((i, pos) => (
          <li key={i} className={`order-row c${i}`} data-testid={`order-right-${pos}`}>
            <span className="order-pos">{formatNumber(pos + 1)}</span> <span className="order-text" dir="auto">{items[i]}</span>
          </li>
        ))}
      </ol>
      {counts && (
        <p className="rightwrong">
          <span className="rw-right" data-testid="order-right-count">{t('kinds.right', { n: formatNumber(counts.right) })}</span>
          {' · '}
          <span className="rw-wrong" data-testid="order-wrong-count">{t('kinds.wrong', { n: formatNumber(counts.wrong) })}</span>
        </p>
      )}
    </section>
  );
}

function isRightWrong(d: unknown): d is RightWrong {
  return !!d && typeof d === 'object' && !Array.isArray(d) && 'right' in d;
}

/** The closed question's distribution, per kind (screen and host). */
export function KindResults({ q, dist }: { q: QuestionView; dist: unknown }) {
  const { t } = useTranslation('common');
  switch (q.kind) {
    case 'slider':
      return <Histogram buckets={Array.isArray(dist) ? (dist as SliderBucket[]) : []} correct={q.correct} step={q.step ?? 1} unit={q.unit} />;
    case 'type_answer':
    case 'word_cloud': {
      const acc = isAcceptedCorrect(q.correct) ? q.correct.accepted : undefined;
      return (
        <>
          {acc && <p className="accepted" data-testid="accepted">{t('kinds.rightAnswer')} <strong dir="auto">{acc.join(' / ')}</strong></p>}
          <WordCloud entries={Array.isArray(dist) ? (dist as TextCount[]) : []} accepted={acc} />
        </>
      );
    }
    case 'ordering':
      return <OrderReveal items={q.items ?? []} correct={q.correct} counts={isRightWrong(dist) ? dist : null} />;
    case 'info':
      return null;
    default: {
      const counts = Array.isArray(dist) && dist.every((x) => typeof x === 'number') ? (dist as number[]) : (q.choices ?? []).map(() => 0);
      return <Distribution choices={q.choices ?? []} counts={counts} correct={Array.isArray(q.correct) && q.kind !== 'poll' ? q.correct : undefined} />;
    }
  }
}

/** What the big screen / host show while a question is open, per kind. */
export function KindPrompt({ q, big = false }: { q: QuestionView; big?: boolean }) {
  const { t } = useTranslation('common');
  switch (q.kind) {
    case 'slider':
      return (
        <p className="prompt slider-prompt" data-testid="prompt-slider">
          <Trans ns="common" i18nKey="kinds.sliderPrompt" components={{ b: <strong dir="ltr" /> }}
            values={{ min: fmtValue(q.min ?? 0, q.step ?? 1, q.unit), max: fmtValue(q.max ?? 0, q.step ?? 1, q.unit) }} />
        </p>
      );
    case 'type_answer':
      return <p className="prompt" data-testid="prompt-text">{t('kinds.typePrompt')}</p>;
    case 'word_cloud':
      return <p className="prompt" data-testid="prompt-text">{t('kinds.wordPrompt')}</p>;
    case 'ordering':
      return (
        <ol className={`order-list${big ? ' big' : ''}`} data-testid="prompt-items">
          {(q.items ?? []).map((t, i) => <li key={i} className={`order-row c${i}`}><span className="order-text">{t}</span></li>)}
        </ol>
      );
    case 'info':
      return null;
    default:
      return (
        <ul className={`screen-choices n${(q.choices ?? []).length}`}>
          {(q.choices ?? []).map((c, i) => <li key={i} className={`answer c${i}`}><Shape index={i} size={40} /> <span>{c}</span></li>)}
        </ul>
      );
  }
}
