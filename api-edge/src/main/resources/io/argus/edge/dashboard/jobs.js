// The jobs view: the list (status, source, ops, progress, start, error), the start form and kill.
import { call } from './api.js';
import { say, sayError, show } from './ui.js';

const $ = id => document.getElementById(id);
const TERMINAL = ['FINISHED', 'FAILED', 'CANCELLED'];
/** COCO classes a tracked job follows and counts, as the traffic API does. */
const CLASSES = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'];
let timer = null;
let ready = false;

/** Loads the ops once and wires the form. */
export async function init() {
  if (ready) {
    return;
  }
  ready = true;
  $('start-form').addEventListener('submit', ev => {
    ev.preventDefault();
    start().catch(e => sayError('Start', e));
  });
  $('jobs-refresh').addEventListener('click', () => refresh());
  $('jobs-auto').addEventListener('change', () => active(!$('view-jobs').hidden));
  try {
    const ops = await call('/v1/ops');
    $('ops-loading').remove();
    for (const o of ops) {
      const id = `op-${o.op}`;
      const div = document.createElement('div');
      div.className = 'check';
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.id = id;
      input.value = o.op;
      input.checked = input.defaultChecked = o.op === 'detection';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = o.op;
      div.append(input, label);
      $('ops-list').appendChild(div);
    }
  } catch (e) {
    sayError('Ops', e);
  }
}

/** Starts or stops the periodic refresh of the list (only while the view shows). */
export function active(on) {
  clearInterval(timer);
  timer = null;
  if (on) {
    refresh();
    if ($('jobs-auto').checked) {
      timer = setInterval(refresh, 3000);
    }
  }
}

function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) {
    td.className = cls;
  }
  tr.appendChild(td);
  return td;
}

function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

export async function refresh() {
  let answer;
  try {
    answer = await call('/api/v1/dashboard/jobs?limit=50');
  } catch (e) {
    sayError('Jobs', e);
    return;
  }
  const body = $('jobs-table').querySelector('tbody');
  const rows = [];
  for (const j of answer.jobs) {
    const req = j.request || {};
    const tracked = !!(req.params && req.params.tracking);
    const tr = document.createElement('tr');
    tr.dataset.job = j.id;
    tr.dataset.status = j.status;
    cell(tr, j.id, 'id');
    cell(tr, j.status, `status s-${j.status.toLowerCase()}`);
    cell(tr, (req.data && req.data.uri) || '', 'source');
    cell(tr, (req.ops || []).map(o => o.op).join(', ') + (tracked ? ' + tracking' : ''));
    const p = j.progress || {};
    cell(tr, p.frames_expected > 0 ? `${p.frames_analyzed}/${p.frames_expected}` : `${p.frames_analyzed || 0}`);
    cell(tr, (j.created_at || '').replace('T', ' ').replace('Z', ''));
    cell(tr, j.error || '', 'error');
    const actions = cell(tr, '', 'actions');
    if (tracked) {
      actions.appendChild(button('Live', `Watch job ${j.id} live`, () => show('live', j.id)));
      actions.appendChild(button('Counts', `Counts of job ${j.id}`, () => show('counts', j.id)));
    }
    actions.appendChild(button('Segments', `Segments of job ${j.id}`, () => show('segments', j.id)));
    if (!TERMINAL.includes(j.status)) {
      actions.appendChild(button('Kill', `Kill job ${j.id}`, () => kill(j.id)));
    }
    rows.push(tr);
  }
  // keep the focused action button when the list is redrawn
  const focused = document.activeElement && document.activeElement.getAttribute('aria-label');
  body.replaceChildren(...rows);
  if (focused) {
    const again = [...body.querySelectorAll('button')].find(b => b.getAttribute('aria-label') === focused);
    if (again) {
      again.focus();
    }
  }
}

async function kill(id) {
  try {
    const a = await call(`/v1/jobs/video/${encodeURIComponent(id)}`, { method: 'POST', json: { op: 'kill' } });
    say(`Job ${id}: ${a.status}.`);
  } catch (e) {
    sayError(`Kill ${id}`, e);
  }
  refresh();
}

async function start() {
  const file = $('job-file').files[0];
  const uri = $('job-uri').value.trim();
  const interval = Number($('job-interval').value);
  if (!Number.isInteger(interval) || interval < 1) {
    say('The interval must be a whole number of ms, at least 1.', true);
    $('job-interval').focus();
    return;
  }
  const lineY = $('job-line-y').value.trim();
  const lines = lineY === '' ? null
    : [{ name: 'line', points: [[0, Number(lineY)], [1, Number(lineY)]], direction: 'both' }];
  let job;
  if (file) {
    const form = new FormData();
    form.append('video', file, file.name);
    form.append('interval', String(interval));
    form.append('async', 'true');
    if (lines) {
      form.append('lines', JSON.stringify(lines));
    }
    say(`Uploading ${file.name}…`);
    job = (await call('/v1/traffic/video', { method: 'POST', form })).job;
  } else if (uri) {
    const ops = [...$('job-ops').querySelectorAll('input:checked')].map(i => ({ op: i.value }));
    if (ops.length === 0) {
      say('Choose at least one op.', true);
      return;
    }
    const params = { async: true, vframe: { mode: 0, interval: interval / 1000 } };
    if ($('job-track').checked) {
      params.tracking = { op: 'detection', classes: CLASSES, interval_ms: interval };
      if (lines) {
        params.tracking.lines = lines;
      }
      if (!ops.some(o => o.op === 'detection')) {
        ops.push({ op: 'detection' });
      }
    }
    job = (await call('/v1/video/dashboard', { method: 'POST', json: { data: { uri }, params, ops } })).job;
  } else {
    say('Choose a video file or type a source URI.', true);
    $('job-file').focus();
    return;
  }
  say(`Job ${job} started.`);
  $('start-form').reset();
  refresh();
}
