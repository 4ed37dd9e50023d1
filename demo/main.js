// The demo page: tells which mode the kernel runs in, runs the round-trip benchmark in the chosen
// arrangement, and draws the latency histogram live beside the figures. `window.demo` exposes the
// same actions to scripts (the browser test drives the page through it).
import { Kernel, retcodeName } from 'kos-ipc';
import { MODES, runBenchmark } from './bench.js';
import { summarize, formatUs } from './stats.js';
import { drawHistogram, barPixels, BAR } from './histogram.js';
import { clientMessages, CHANNEL } from './echo_messages.js';

const $ = (id) => document.getElementById(id);
const DRAW_EVERY_MS = 100;

/** Boots a kernel once to see its mode; without isolation, also shows what spawn answers. */
async function probeKernel() {
  const kernel = await Kernel.create();
  const info = { mode: kernel.mode, isolated: globalThis.crossOriginIsolated === true, spawnError: null };
  try {
    if (kernel.mode === 'unshared') {
      await kernel.spawn('Probe', new URL('./echo_server.js', import.meta.url)).then(
        () => { info.spawnError = 'spawn unexpectedly worked'; },
        (e) => { info.spawnError = e.message; },
      );
    }
  } finally {
    await kernel.shutdown();
  }
  return info;
}

/** A blocking Call on the page's main thread: it must throw a clear error, never freeze the tab. */
async function tryBlockingCall() {
  const kernel = await Kernel.create();
  try {
    kernel.createProcess('Server');
    const client = kernel.createProcess('Client');
    kernel.connect('Client', 'Server', CHANNEL);
    const m = clientMessages();
    const h = client.ServiceLocatorConnect(CHANNEL);
    try {
      return `Call returned ${retcodeName(client.Call(h, m.out, m.in))} instead of throwing`;
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  } finally {
    await kernel.shutdown();
  }
}

function showMode(info) {
  const banner = $('kernel-mode');
  banner.dataset.mode = info.mode;
  $('mode-name').textContent = info.mode;
  $('mode-text').textContent = info.mode === 'shared'
    ? 'This page is cross-origin isolated: the kernel memory is a SharedArrayBuffer, processes can run in module workers with truly blocking Call and Recv.'
    : 'This page is not cross-origin isolated (no SharedArrayBuffer): the kernel runs with unshared memory and in-realm processes only. Serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp to get workers.';
  $('spawn-error').textContent = info.spawnError ? `kernel.spawn says: ${info.spawnError}` : '';
  for (const input of document.querySelectorAll('input[name=mode]')) {
    const needsWorkers = MODES[input.value].workers;
    input.disabled = needsWorkers && info.mode !== 'shared';
    if (input.disabled && input.checked) document.querySelector('input[value=realm]').checked = true;
  }
}

function showStats(run, s) {
  const rows = [
    ['arrangement', `${MODES[run.mode].label}`],
    ['batches (samples)', String(s.n)],
    ['round trips in the last batch', String(run.batch)],
    ['round trips timed', run.calls ? run.calls.toLocaleString('en') : '…'],
    ['median', `${formatUs(s.median)} µs`],
    ['mean', `${formatUs(s.mean)} µs`],
    ['p10 / p90', `${formatUs(s.p10)} / ${formatUs(s.p90)} µs`],
    ['p99', `${formatUs(s.p99)} µs`],
    ['min / max', `${formatUs(s.min)} / ${formatUs(s.max)} µs`],
    ['timer resolution', Number.isFinite(run.timerUs) ? `${formatUs(run.timerUs)} µs` : '…'],
  ];
  const body = $('stats').tBodies[0];
  body.replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { textContent: k }),
      Object.assign(document.createElement('td'), { textContent: v }));
    return tr;
  }));
}

function addResult(run, s) {
  const tr = document.createElement('tr');
  for (const text of [MODES[run.mode].label + (run.spin === 0 ? ', no spin' : ''), formatUs(s.median), formatUs(s.p99), run.calls.toLocaleString('en')]) {
    tr.append(Object.assign(document.createElement('td'), { textContent: text }));
  }
  $('results').tBodies[0].prepend(tr);
}

let running = false;

/** Runs one benchmark with the live histogram; resolves to its summary. `spin`: see runBenchmark. */
async function run(mode, ms, spin) {
  if (running) throw new Error('demo: a benchmark is already running');
  running = true;
  document.body.dataset.state = 'running';
  $('run').disabled = true;
  $('status').textContent = `running ${MODES[mode].label} for ${ms} ms…`;
  const canvas = $('histogram');
  const title = `${MODES[mode].label}: ${MODES[mode].detail}`;
  const live = { mode, batch: 0, calls: 0, timerUs: NaN };
  let lastDraw = 0;
  drawHistogram(canvas, [], title);
  try {
    const result = await runBenchmark({
      mode, ms, spin,
      onSamples(samples) {
        const now = performance.now();
        if (now - lastDraw < DRAW_EVERY_MS) return;
        lastDraw = now;
        drawHistogram(canvas, samples, title);
        showStats(live, summarize(samples));
      },
    });
    const s = summarize(result.samples);
    drawHistogram(canvas, result.samples, title);
    showStats(result, s);
    addResult({ ...result, spin }, s);
    $('status').textContent = `done: median round trip ${formatUs(s.median)} µs (${MODES[mode].label})`;
    document.body.dataset.state = 'done';
    return { ...s, mode, spin: spin ?? 'default', kernelMode: result.kernelMode, batch: result.batch, calls: result.calls,
      checked: result.checked, timerUs: result.timerUs };
  } catch (e) {
    $('status').textContent = `failed: ${e.message}`;
    document.body.dataset.state = 'error';
    throw e;
  } finally {
    running = false;
    $('run').disabled = false;
  }
}

function selectedMode() {
  return document.querySelector('input[name=mode]:checked').value;
}

const ready = (async () => {
  const info = await probeKernel();
  showMode(info);
  $('run').addEventListener('click', () => {
    run(selectedMode(), Number($('duration').value) * 1000, $('spin').checked ? undefined : 0).catch(() => { /* shown in #status */ });
  });
  $('block').addEventListener('click', async () => {
    $('block-result').textContent = await tryBlockingCall();
  });
  drawHistogram($('histogram'), [], 'press Run');
  document.body.dataset.state = 'ready';
  return info;
})();

window.demo = {
  ready,
  modes: MODES,
  run,
  tryBlockingCall,
  barColour: BAR,
  barPixels: () => barPixels($('histogram')),
};

const params = new URLSearchParams(location.search);
if (params.has('mode')) {
  const input = document.querySelector(`input[name=mode][value="${CSS.escape(params.get('mode'))}"]`);
  if (input) input.checked = true;
}
if (params.has('s')) $('duration').value = params.get('s');
if (params.get('spin') === '0') $('spin').checked = false;
ready.then(() => {
  if (params.get('autorun') === '1') $('run').click();
}, (e) => {
  $('status').textContent = `the kernel did not start: ${e.message}`;
  document.body.dataset.state = 'error';
});
