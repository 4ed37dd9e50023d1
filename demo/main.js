// The demo page: tells which mode the kernel runs in, runs the round-trip benchmark in the chosen
// arrangement with live figures, and draws every arrangement measured so far on one log-scale
// chart. `window.demo` exposes the same actions to scripts (the browser test drives it).
import { Kernel, retcodeName } from 'kos-ipc';
import { MODES, startBenchmark } from './bench.js';
import { summarize, formatUs } from './stats.js';
import { drawChart, colourPixels } from './chart.js';
import { clientMessages, CHANNEL } from './echo_messages.js';
import { setReason, parseDuration, modeChoices, statRows } from './controls.js';

const $ = (id) => document.getElementById(id);
let info = { mode: 'unshared' };
let active = null;              // the run in progress: { run, stop, done }
let lastLabels = [];
const rows = new Map();         // mode -> the chart row of its latest run

/** Boots a kernel once to see its mode; without isolation, also shows what spawn answers. */
async function probeKernel() {
  const kernel = await Kernel.create();
  const found = { mode: kernel.mode, isolated: globalThis.crossOriginIsolated === true, spawnError: null };
  try {
    if (kernel.mode === 'unshared') {
      await kernel.spawn('Probe', new URL('./echo_server.js', import.meta.url)).then(
        () => { found.spawnError = 'spawn unexpectedly worked'; },
        (e) => { found.spawnError = e.message; },
      );
    }
  } finally {
    await kernel.shutdown();
  }
  return found;
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

const selectedMode = () => document.querySelector('input[name=mode]:checked').value;

/** Enables each control that does something now, and says why the others are disabled. */
function refreshControls() {
  const running = active !== null, mode = MODES[selectedMode()];
  const duration = parseDuration($('duration').value);
  for (const input of document.querySelectorAll('input[name=mode]')) {
    const needsShared = MODES[input.value].shared && info.mode !== 'shared';
    setReason(input, needsShared ? 'needs a cross-origin isolated page (SharedArrayBuffer)' : running ? 'a run is in progress' : null);
  }
  setReason($('spin'), running ? 'a run is in progress'
    : !mode.blocking || info.mode !== 'shared' ? 'no thread of this arrangement waits in Atomics.wait, so there is no spin to set' : null);
  setReason($('duration'), running ? 'a run is in progress' : null);
  $('duration-error').textContent = duration.error ?? '';
  $('duration').setAttribute('aria-invalid', String(Boolean(duration.error)));
  setReason($('run'), running ? 'a run is in progress' : duration.error ? 'enter a duration from 1 to 60 s first' : null);
  setReason($('stop'), running ? null : 'no run in progress');
}

/** The figures of `run` so far: the summary, and the row it draws on the chart. */
function figures(run) {
  const s = summarize(run.chunks);
  rows.set(run.mode, { label: MODES[run.mode].label, colour: MODES[run.mode].colour, values: run.chunks.values(),
    weights: run.chunks.ns.subarray(0, run.chunks.length), min: s.min, median: s.median, p99: s.p99, batch: run.timing === 'batch' });
  return s;
}

function draw() {
  lastLabels = drawChart($('chart'), Object.keys(MODES).filter((m) => rows.has(m)).map((m) => rows.get(m)));
}

function showStats(run, s, finished) {
  $('stats').tBodies[0].replaceChildren(...statRows(run, MODES[run.mode].label, s, finished).map(([key, name, value]) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { textContent: name }),
      Object.assign(document.createElement('td'), { textContent: value }));
    tr.lastChild.dataset.key = key;
    return tr;
  }));
}

function addResult(run, s, spin) {
  const tr = document.createElement('tr');
  const label = MODES[run.mode].label + (spin === 0 ? ', no spin' : '') + (run.stopped ? ' (stopped)' : '');
  for (const t of [label, run.timing, formatUs(s.median), formatUs(s.mean), formatUs(s.p99), s.roundTrips.toLocaleString('en')]) {
    tr.append(Object.assign(document.createElement('td'), { textContent: t }));
  }
  $('results').tBodies[0].prepend(tr);
}

/** Runs one measurement with live figures; resolves to its summary. `spin`: see startBenchmark. */
async function run(mode, ms, spin) {
  if (active) throw new Error('demo: a run is already in progress; stop it first');
  if (!(ms >= 1000 && ms <= 60000)) throw new RangeError(`demo.run: ms must be from 1000 to 60000, got ${ms}`);
  document.body.dataset.state = 'running';
  $('status').textContent = `running ${MODES[mode].label} for ${ms / 1000} s…`;
  let lastDraw = 0, drawEvery = 100;
  active = startBenchmark({
    mode, ms, spin,
    onData(r) {
      const now = performance.now();
      if (now - lastDraw < drawEvery) return;
      showStats(r, figures(r), false);
      draw();
      lastDraw = performance.now();
      drawEvery = Math.max(100, 4 * (lastDraw - now)); // never spend more than a fifth of the time drawing
    },
  });
  refreshControls();
  try {
    const r = await active.done;
    const s = figures(r);
    showStats(r, s, true);
    draw();
    addResult(r, s, spin);
    $('status').textContent = `${r.stopped ? 'stopped' : 'done'}: median round trip ${formatUs(s.median)} µs (${MODES[mode].label})`;
    document.body.dataset.state = r.stopped ? 'stopped' : 'done';
    const { chunks, ...rest } = r;
    return { ...rest, ...s, spin: spin ?? 'default' };
  } catch (e) {
    $('status').textContent = `failed: ${e.message}`;
    document.body.dataset.state = 'error';
    throw e;
  } finally {
    active = null;
    refreshControls();
  }
}

const ready = (async () => {
  $('modes').append(...modeChoices(MODES));
  info = await probeKernel();
  const banner = $('kernel-mode');
  banner.dataset.mode = info.mode;
  $('mode-name').textContent = info.mode;
  $('mode-text').textContent = info.mode === 'shared'
    ? 'This page is cross-origin isolated: the kernel memory is a SharedArrayBuffer, processes can run in module workers with truly blocking Call and Recv.'
    : 'This page is not cross-origin isolated (no SharedArrayBuffer): the kernel runs with unshared memory and in-realm processes only. Serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp to get workers.';
  $('spawn-error').textContent = info.spawnError ? `kernel.spawn says: ${info.spawnError}` : '';
  if (MODES[selectedMode()].shared && info.mode !== 'shared') document.querySelector('input[value=realm]').checked = true;
  $('duration').addEventListener('input', refreshControls);
  $('modes').addEventListener('change', refreshControls);
  $('run').addEventListener('click', () => {
    run(selectedMode(), parseDuration($('duration').value).ms, $('spin').checked ? undefined : 0).catch(() => { /* in #status */ });
  });
  $('stop').addEventListener('click', () => active?.stop());
  $('block').addEventListener('click', async () => { $('block-result').textContent = await tryBlockingCall(); });
  refreshControls();
  draw();
  document.body.dataset.state = 'ready';
  return info;
})();

window.demo = {
  ready,
  modes: MODES,
  run,
  stop: () => active?.stop(),
  tryBlockingCall,
  colourPixels: (hex) => colourPixels($('chart'), hex),
  chartLabels: () => lastLabels,
  shown: () => Object.fromEntries([...document.querySelectorAll('#stats td')].map((td) => [td.dataset.key, td.textContent])),
};

const params = new URLSearchParams(location.search);
ready.then(() => {
  const input = params.has('mode') && document.querySelector(`input[name=mode][value="${CSS.escape(params.get('mode'))}"]`);
  if (input && !input.disabled) input.checked = true;
  if (params.has('s')) $('duration').value = params.get('s');
  if (params.get('spin') === '0') $('spin').checked = false;
  refreshControls();
  if (params.get('autorun') === '1' && !$('run').disabled) $('run').click();
}, (e) => {
  $('status').textContent = `the kernel did not start: ${e.message}`;
  document.body.dataset.state = 'error';
});
