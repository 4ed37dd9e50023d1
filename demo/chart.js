// The comparison chart: one row per arrangement (kos-ipc and its peers), each a histogram of its
// round trips on one shared log-scale axis in microseconds, with the median (orange) and p99
// (dark) marked. Round trips slower than the axis end pile into the last bar. Every text is laid
// out on its own line or skipped when it would overlap another, at any canvas width.
import { formatUs } from './stats.js';

export const BACKGROUND = '#ffffff';
const MEDIAN = '#e0662a';
const P99 = '#222222';
const AXIS = '#333333';
const FONT = 12, LINE = 15, STRIP = 28, GAP = 10, PAD = 8, AXIS_H = 40;
/** The axis starts no lower than this (a chunk the clock saw take 0 µs is drawn here). */
const MIN_US = 0.01;

/** The canvas height (CSS px) for `n` rows. */
export const chartHeight = (n) => PAD + Math.max(1, n) * (LINE + STRIP + GAP) + AXIS_H;

/** 1, 2, 5 x 10^k ticks within [lo, hi]. */
function ticks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) { const t = m * 10 ** e; if (t >= lo && t <= hi) out.push(t); }
  }
  return out;
}

/** Cuts `text` with an ellipsis so that it fits `width` px. */
function fit(g, text, width) {
  if (g.measureText(text).width <= width) return text;
  let t = text;
  while (t.length > 1 && g.measureText(`${t}…`).width > width) t = t.slice(0, -1);
  return `${t}…`;
}

/**
 * Draws `rows` ({ label, colour, values: Float64Array µs, weights: Float64Array, min, median, p99,
 * batch: true when the values are batch means })
 * into `canvas`. Returns the box of every text drawn: { text, x, y, w, h } in CSS px.
 */
export function drawChart(canvas, rows) {
  const dpr = globalThis.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || 640, cssH = chartHeight(rows.length);
  // The style height is the border box (style.css: box-sizing), so the borders are added to keep
  // the bitmap unscaled.
  canvas.style.height = `${cssH + canvas.offsetHeight - canvas.clientHeight}px`;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = BACKGROUND;
  g.fillRect(0, 0, cssW, cssH);
  g.font = `${FONT}px system-ui, sans-serif`;
  g.textBaseline = 'top';
  const labels = [];
  const text = (t, x, y, colour = AXIS) => {
    g.fillStyle = colour;
    g.fillText(t, x, y);
    labels.push({ text: t, x, y, w: g.measureText(t).width, h: FONT + 2 });
  };
  const left = PAD, w = cssW - 2 * PAD;
  const shown = rows.filter((r) => r.values.length > 0);
  if (shown.length === 0) {
    text(fit(g, 'no round trips yet: press Run', w), left, PAD + LINE);
    return labels;
  }
  let lo = Infinity, hi = 0;
  for (const r of shown) { lo = Math.min(lo, Math.max(r.min, MIN_US)); hi = Math.max(hi, r.p99 * 2); }
  lo /= 1.25;
  if (!(hi > lo * 1.5)) hi = lo * 1.5;
  const span = Math.log(hi / lo);
  const xOf = (v) => left + (Math.log(Math.min(Math.max(v, lo), hi) / lo) / span) * w;
  const bins = Math.max(10, Math.floor(w / 4)), bw = w / bins;
  rows.forEach((r, i) => {
    const top = PAD + i * (LINE + STRIP + GAP);
    const figures = r.values.length
      ? `: median ${formatUs(r.median)} µs, p99 ${formatUs(r.p99)} µs${r.batch ? ' (batch means)' : ''}` : ': running…';
    text(fit(g, `${r.label}${figures}`, w), left, top);
    const y0 = top + LINE;
    const counts = new Float64Array(bins);
    r.values.forEach((v, k) => { counts[Math.min(bins - 1, Math.floor(((xOf(v) - left) / w) * bins))] += r.weights[k]; });
    const peak = Math.max(...counts);
    g.fillStyle = r.colour;
    counts.forEach((c, b) => {
      if (c === 0) return;
      const h = Math.max(1, (c / peak) * STRIP);
      g.fillRect(left + b * bw, y0 + STRIP - h, Math.max(1, bw - 0.5), h);
    });
    for (const [v, colour] of [[r.median, MEDIAN], [r.p99, P99]]) {
      if (!Number.isFinite(v)) continue;
      g.fillStyle = colour;
      g.fillRect(Math.round(xOf(v)) - 1, y0, 2, STRIP);
    }
  });
  const axisY = PAD + rows.length * (LINE + STRIP + GAP);
  g.fillStyle = AXIS;
  g.fillRect(left, axisY, w, 1);
  let lastRight = -Infinity;
  for (const t of ticks(lo, hi)) {
    const x = xOf(t), label = String(Number(t.toPrecision(1))), lw = g.measureText(label).width;
    g.fillRect(Math.round(x), axisY, 1, 4);
    const lx = Math.min(Math.max(left, x - lw / 2), left + w - lw);
    if (lx < lastRight + 6) continue;
    text(label, lx, axisY + 6);
    lastRight = lx + lw;
  }
  text(fit(g, 'µs per round trip, log scale (slower than the axis end: last bar)', w), left, axisY + 6 + LINE);
  return labels;
}

/** How many pixels of the canvas have colour `hex` (#rrggbb). */
export function colourPixels(canvas, hex) {
  const [r, gr, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === gr && data[i + 2] === b) n++;
  return n;
}
