// A latency histogram on a canvas: bars of batch-mean round trips from the fastest sample to the
// 99th percentile (slower ones pile into the last bar), the median marked, an axis in us.
import { quantile, formatUs } from './stats.js';

export const BACKGROUND = '#ffffff';
export const BAR = '#3b6fb6';
const MEDIAN = '#e0662a';
const AXIS = '#333333';
const BINS = 40;

function niceStep(span, ticks) {
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

/** Draws `samples` (microseconds) into `canvas`; `title` goes above the bars. */
export function drawHistogram(canvas, samples, title = '') {
  const dpr = globalThis.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || 640, cssH = canvas.clientHeight || 320;
  if (canvas.width !== Math.round(cssW * dpr)) canvas.width = Math.round(cssW * dpr);
  if (canvas.height !== Math.round(cssH * dpr)) canvas.height = Math.round(cssH * dpr);
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = BACKGROUND;
  g.fillRect(0, 0, cssW, cssH);
  const left = 48, right = 12, top = 28, bottom = 36;
  const w = cssW - left - right, h = cssH - top - bottom;
  g.font = '12px system-ui, sans-serif';
  g.fillStyle = AXIS;
  g.fillText(title, left, 16);
  if (samples.length === 0) {
    g.fillText('no samples yet', left + w / 2 - 40, top + h / 2);
    return;
  }
  const sorted = Float64Array.from(samples).sort();
  let lo = sorted[0], hi = quantile(sorted, 0.99);
  if (!(hi > lo)) { hi = lo * 1.05 + 0.001; }
  const counts = new Array(BINS).fill(0);
  for (const v of sorted) counts[Math.min(BINS - 1, Math.floor(((v - lo) / (hi - lo)) * BINS))]++;
  const peak = Math.max(...counts);
  const bw = w / BINS;
  g.fillStyle = BAR;
  counts.forEach((c, i) => {
    const bh = (c / peak) * h;
    g.fillRect(left + i * bw + 0.5, top + h - bh, Math.max(1, bw - 1), bh);
  });
  // axes and ticks
  g.strokeStyle = AXIS;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(left, top); g.lineTo(left, top + h); g.lineTo(left + w, top + h);
  g.stroke();
  g.fillStyle = AXIS;
  const step = niceStep(hi - lo, 5);
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
    const x = left + ((t - lo) / (hi - lo)) * w;
    g.beginPath(); g.moveTo(x, top + h); g.lineTo(x, top + h + 4); g.stroke();
    g.fillText(formatUs(t), x - 10, top + h + 16);
  }
  g.fillText('round trip, µs (mean of each batch)', left + w / 2 - 100, top + h + 32);
  g.save();
  g.translate(14, top + h / 2 + 24); g.rotate(-Math.PI / 2);
  g.fillText('batches', 0, 0);
  g.restore();
  // median
  const med = quantile(sorted, 0.5);
  const mx = left + ((med - lo) / (hi - lo)) * w;
  g.strokeStyle = MEDIAN;
  g.lineWidth = 2;
  g.beginPath(); g.moveTo(mx, top); g.lineTo(mx, top + h); g.stroke();
  g.fillStyle = MEDIAN;
  g.fillText(`median ${formatUs(med)} µs`, Math.min(mx + 4, left + w - 110), top + 12);
  g.fillStyle = AXIS;
  g.fillText('last bar: slower than p99', left + w - 150, 16);
}

/** How many pixels of the canvas have the bars' colour (none before a histogram is drawn). */
export function barPixels(canvas) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(BAR.slice(i, i + 2), 16));
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n++;
  }
  return n;
}
