// The health view, from GET /metrics (Prometheus text format 0.0.4): jobs by status, consumer
// lag per group (a group that reports is a stage that is up), hook deliveries and dead letters,
// frames analysed and records dropped.
import { call } from './api.js';
import { sayError } from './ui.js';

const $ = id => document.getElementById(id);

/** Parses the text format into [{name, labels: {k: v}, value}] (comments skipped). */
export function parse(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) {
      continue;
    }
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/);
    if (!m) {
      continue;
    }
    const labels = {};
    if (m[3]) {
      for (const l of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
      }
    }
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

function table(id, caption, headers, rows) {
  const t = document.createElement('table');
  t.id = id;
  t.createCaption().textContent = caption;
  const head = t.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.appendChild(th);
  }
  const body = t.createTBody();
  if (rows.length === 0) {
    const td = body.insertRow().insertCell();
    td.colSpan = headers.length;
    td.textContent = 'none yet';
  }
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach(v => { tr.insertCell().textContent = Number.isFinite(v) ? String(Math.round(v * 100) / 100) : v; });
  }
  return t;
}

const pick = (samples, name, ...keys) => samples.filter(s => s.name === name)
  .map(s => [...keys.map(k => s.labels[k] || ''), s.value]);

export async function refresh() {
  let text;
  try {
    text = await call('/metrics', { text: true });
  } catch (e) {
    sayError('Health', e);
    return;
  }
  const s = parse(text);
  const uptime = s.find(x => x.name === 'process_uptime_seconds');
  const p = document.createElement('p');
  p.id = 'health-uptime';
  p.textContent = uptime ? `Process up for ${Math.round(uptime.value)} s.` : 'Uptime not reported.';
  const blocks = [
    p,
    table('health-jobs', 'Jobs by status', ['Status', 'Jobs'], pick(s, 'argus_jobs', 'status')),
    table('health-lag', 'Consumer lag per group (each group reporting is a stage that is up)', ['Group', 'Records behind'],
      pick(s, 'argus_consumer_lag', 'group')),
    table('health-hooks', 'Hook calls', ['Outcome', 'Calls'], pick(s, 'argus_hook_calls_total', 'outcome')),
    table('health-attempts', 'Hook attempts', ['Result', 'Attempts'], pick(s, 'argus_hook_attempts_total', 'result')),
    table('health-frames', 'Frames analysed', ['Op', 'Outcome', 'Frames'],
      pick(s, 'argus_frames_analysed_total', 'op', 'outcome')),
    table('health-dropped', 'Records dropped', ['Stage', 'Reason', 'Records'],
      pick(s, 'argus_records_dropped_total', 'stage', 'reason')),
  ];
  $('health-out').replaceChildren(...blocks);
}
