// The demo's controls and figures as DOM: the arrangement choices, why a control is disabled,
// the duration field's rule, and the rows of the "This run" table.
import { formatUs } from './stats.js';

export const MIN_S = 1, MAX_S = 60;

/** { ms } for a duration text of MIN_S..MAX_S seconds, else { error } saying what to enter. */
export function parseDuration(text) {
  const s = text.trim() === '' ? NaN : Number(text);
  if (!(s >= MIN_S && s <= MAX_S)) {
    return { error: `Measure for: enter a number of seconds from ${MIN_S} to ${MAX_S} (got "${text}")` };
  }
  return { ms: Math.round(s * 1000) };
}

/**
 * Disables `control` when `reason` is a string, and shows the reason (its title, and the text of
 * the element with id `why-<control id or value>`); enables it when `reason` is null.
 */
export function setReason(control, reason) {
  control.disabled = reason !== null;
  control.title = reason ?? '';
  const why = document.getElementById(`why-${control.id || control.value}`);
  if (why) why.textContent = reason ? `(${reason})` : '';
}

/** A radio button, its description and its why-text for each arrangement. */
export function modeChoices(modes) {
  return Object.entries(modes).map(([value, m], i) => {
    const label = document.createElement('label');
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'mode', value, checked: i === 0 });
    label.append(input, ` ${m.label}`, Object.assign(document.createElement('small'), { textContent: m.detail }),
      Object.assign(document.createElement('small'), { className: 'why', id: `why-${value}` }));
    return label;
  });
}

/** [key, name, value] rows of the "This run" table for `run` (arrangement `label`) and its summary `s`. */
export function statRows(run, label, s, finished) {
  const batch = run.timing === 'batch';
  const timing = run.timing === null ? 'warming up…'
    : batch ? `batch means: the clock (${formatUs(run.timerUs)} µs) is too coarse to time one round trip`
      : 'each round trip timed on its own';
  const ofBatches = batch ? ' (of batch means)' : '';
  return [
    ['mode', 'arrangement', label],
    ['timing', 'timing', timing],
    ['timerUs', 'clock resolution', Number.isFinite(run.timerUs) ? `${formatUs(run.timerUs)} µs` : '…'],
    ['roundTrips', 'round trips timed', s.roundTrips.toLocaleString('en')],
    ['totalMs', 'time they took', `${s.totalMs.toFixed(1)} ms`],
    ['mean', 'mean (time ÷ round trips)', `${formatUs(s.mean)} µs`],
    ['median', `median${ofBatches}`, `${formatUs(s.median)} µs`],
    ['p99', `p99${ofBatches}`, `${formatUs(s.p99)} µs`],
    ['minMax', `min / max${ofBatches}`, `${formatUs(s.min)} / ${formatUs(s.max)} µs`],
    ['served', 'answered by the server (its own count)', finished ? served(run, s) : '…'],
  ];
}

/** The server's count beside the page's: warm-up + timed + the STOP request. */
function served(run, s) {
  const n = (v) => v.toLocaleString('en');
  const sum = run.warmup + s.roundTrips + 1;
  return run.served === sum ? `${n(run.served)} = ${n(run.warmup)} warm-up + ${n(s.roundTrips)} timed + 1 stop`
    : `${n(run.served)}, but warm-up + timed + stop make ${n(sum)}: the counts disagree`;
}
