// The live view: a job's annotated frames and counts pushed as Server-Sent Events, a counting line
// drawn on the frame, and the recount of the job's stored tracks with it.
import { call } from './api.js';
import { say, sayError } from './ui.js';
import { lineChart } from './chart.js';

const $ = id => document.getElementById(id);
let source = null;
let jobId = null;
let lastSeq = -1;
let frames = 0;
let retry = null;
let clicks = [];
/** The last frames' counts, for the chart of the live view. */
const HISTORY = 120;
let history = [];

function state(text) {
  $('live-state').textContent = text;
}

/** Closes the stream, if any. */
export function stop() {
  clearTimeout(retry);
  retry = null;
  if (source) {
    source.close();
    source = null;
    state('closed');
  }
}

/** Follows a job: mints a stream token with the key, then opens the event stream with it. */
export async function watch(id) {
  stop();
  if (id !== jobId) {
    jobId = id;
    lastSeq = -1;
    frames = 0;
    const img = $('live-frame');
    img.removeAttribute('src');
    img.alt = `No frame yet of job ${id}`;
    img.dataset.frames = '0';
    $('recount-result').replaceChildren();
    history = [];
    $('live-chart').replaceChildren();
    $('live-segments').querySelector('tbody').replaceChildren();
  }
  await open();
}

async function open() {
  const id = jobId;
  let t;
  try {
    t = await call(`/api/v1/dashboard/jobs/${encodeURIComponent(id)}/token`, { method: 'POST' });
  } catch (e) {
    sayError(`Live ${id}`, e);
    return;
  }
  if (id !== jobId) {
    return;
  }
  state('connecting');
  // resume after the last frame shown (a new EventSource does not carry Last-Event-ID)
  const es = new EventSource(`${t.events_url}&after=${lastSeq}`);
  source = es;
  es.addEventListener('open', () => state('open'));
  es.addEventListener('frame', ev => frame(JSON.parse(ev.data)));
  es.addEventListener('segment', ev => segment(JSON.parse(ev.data)));
  es.addEventListener('end', ev => {
    const end = JSON.parse(ev.data);
    es.close();
    source = null;
    state(`ended (${end.status})`);
    say(`Job ${end.job} has no more frames: ${end.status}.`);
  });
  es.addEventListener('error', () => {
    if (source !== es) {
      return;
    }
    // the token only opens a stream: reconnect with a fresh one
    es.close();
    source = null;
    state('reconnecting');
    retry = setTimeout(() => open(), 3000);
  });
}

function frame(f) {
  lastSeq = f.seq;
  frames += 1;
  const img = $('live-frame');
  img.src = f.frame;
  img.alt = `Annotated frame ${f.seq} of job ${jobId}: ${f.people_count} people, ${f.vehicle_count} vehicles`;
  img.dataset.frames = String(frames);
  img.dataset.seq = String(f.seq);
  $('live-people').textContent = f.people_count;
  $('live-vehicles').textContent = f.vehicle_count;
  $('live-ped-int').textContent = f.pedestrians_in_interval;
  $('live-veh-int').textContent = f.vehicles_in_interval;
  $('live-seq').textContent = f.seq;
  $('live-offset').textContent = `${(f.offset_ms / 1000).toFixed(1)} s`;
  history.push(f);
  if (history.length > HISTORY) {
    history.shift();
  }
  $('live-chart').replaceChildren(lineChart('chart-live', `People and vehicles in view, last ${history.length} frames of job ${jobId}`,
    history.map(h => `${(h.offset_ms / 1000).toFixed(1)}s`), [
      { name: 'People', cls: 's1', values: history.map(h => h.people_count) },
      { name: 'Vehicles', cls: 's2', values: history.map(h => h.vehicle_count) }]));
}

const secs = ms => `${(ms / 1000).toFixed(1)} s`;
const labelText = labels => (labels || []).slice(0, 3).map(l => `${l.label} ${Number(l.score).toFixed(2)}`).join(', ')
  + ((labels || []).length > 3 ? ', …' : '') || 'no labels';

/**
 * A segment event: an op's segment open now (state "open": labels so far, begin, newest frame) or
 * its last closed one (state "closed"), shown in that op's row of the segments table.
 */
function segment(s) {
  const body = $('live-segments').querySelector('tbody');
  let row = [...body.rows].find(r => r.dataset.op === s.op);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.op = s.op;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = s.op;
    const open = document.createElement('td');
    open.className = 'open';
    open.textContent = 'none';
    const closed = document.createElement('td');
    closed.className = 'closed';
    closed.textContent = 'none yet';
    row.append(th, open, closed);
    body.appendChild(row);
  }
  if (s.state === 'open') {
    row.dataset.openBegin = String(s.offset_begin);
    row.dataset.openIndex = String(s.index);
    row.querySelector('td.open').textContent = `${labelText(s.labels)} — since ${secs(s.offset_begin)} `
      + `(segment ${s.index + 1}, ${secs(s.offset_last - s.offset_begin)} long)`;
  } else {
    row.dataset.closedIndex = String(s.index);
    row.querySelector('td.closed').textContent = `${labelText(s.labels)} — ${secs(s.offset_begin)} to `
      + `${secs(s.offset_end)} (segment ${s.index + 1})`;
    if (row.dataset.openBegin && Number(row.dataset.openBegin) <= s.offset_end) {
      // the open segment shown is the one that closed: none is open until the next frame
      delete row.dataset.openBegin;
      row.querySelector('td.open').textContent = 'none';
    }
  }
}

const FIELDS = ['line-x1', 'line-y1', 'line-x2', 'line-y2'];

function drawLine() {
  const [x1, y1, x2, y2] = FIELDS.map(f => Number($(f).value));
  const line = $('drawn-line');
  line.setAttribute('x1', x1);
  line.setAttribute('y1', y1);
  line.setAttribute('x2', x2);
  line.setAttribute('y2', y2);
}

function clamp(v) {
  return Math.min(1, Math.max(0, Math.round(v * 1000) / 1000));
}

/** A click on the frame: the first sets the line's start, the second its end. */
function pick(ev) {
  const r = $('live-frame').getBoundingClientRect();
  if (r.width === 0 || r.height === 0) {
    return;
  }
  const p = [clamp((ev.clientX - r.left) / r.width), clamp((ev.clientY - r.top) / r.height)];
  clicks = clicks.length >= 2 ? [p] : [...clicks, p];
  const [a, b] = clicks.length === 1 ? [p, p] : clicks;
  $('line-x1').value = a[0];
  $('line-y1').value = a[1];
  $('line-x2').value = b[0];
  $('line-y2').value = b[1];
  drawLine();
}

async function recount() {
  const id = $('live-job').value.trim() || jobId;
  if (!id) {
    say('Choose a job first.', true);
    return;
  }
  const [x1, y1, x2, y2] = FIELDS.map(f => Number($(f).value));
  if (x1 === x2 && y1 === y2) {
    say('The line needs two distinct points.', true);
    return;
  }
  const body = { lines: [{ name: 'drawn', points: [[x1, y1], [x2, y2]], direction: $('line-direction').value }] };
  say(`Recounting job ${id}…`);
  const a = await call(`/v1/traffic/jobs/${encodeURIComponent(id)}/recount`, { method: 'POST', json: body });
  const out = $('recount-result');
  const h = document.createElement('h3');
  h.textContent = `Recount of job ${id} with the drawn line (${a.frames} tracked frames)`;
  const dl = document.createElement('dl');
  dl.className = 'counts';
  const add = (term, value, idName) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.id = idName;
    dd.textContent = value;
    dl.append(dt, dd);
  };
  add('Pedestrians crossing', a.total.pedestrians, 'recount-pedestrians');
  add('Vehicles crossing', a.total.vehicles, 'recount-vehicles');
  add('Crossings', a.events.length, 'recount-events');
  out.replaceChildren(h, dl);
  say(`Recount of job ${id}: ${a.total.pedestrians} pedestrians, ${a.total.vehicles} vehicles.`);
}

/** Wires the line drawing and the recount form once. */
export function init() {
  $('frame-wrap').addEventListener('click', pick);
  FIELDS.forEach(f => $(f).addEventListener('input', drawLine));
  drawLine();
  $('recount-form').addEventListener('submit', ev => {
    ev.preventDefault();
    recount().catch(e => sayError('Recount', e));
  });
}
