// The files view: upload a video (POST /api/v1/files), list the files the key may read, and play one
// in an HTML5 <video>, with its analysis boxes (/video/bbox) or plain (/video). A <video src>
// cannot send the key, so the src is a short-lived signed URL (POST /api/v1/file/{uuid}/signed-url);
// the key itself never goes in a URL. While the boxed video is rendered the edge answers 202 with
// Retry-After, which is waited for before asking again; 409 (no analysis) is shown as such.
import { call, keyHeaders, ApiError } from './api.js';
import { say, sayError, show } from './ui.js';

const $ = id => document.getElementById(id);
const TERMINAL = ['FINISHED', 'FAILED', 'CANCELLED', 'NONE', 'UNKNOWN'];
/** Lifetime of a player's signed URL, s: long enough to watch, short enough to be useless if leaked. */
const SIGNED_TTL_S = 3600;
/** Bounds of the wait between two asks while the boxed video renders, s. */
const MIN_WAIT_S = 1;
const MAX_WAIT_S = 60;
let ready = false;
let timer = null;
let attempt = 0;
let files = [];
/** A time to seek to once the next file played is loaded: {uuid, ms}. */
let pendingSeek = null;

const secs = ms => `${(ms / 1000).toFixed(1)} s`;
const size = b => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${Math.ceil(b / 1024)} KiB`);

function state(text, name) {
  const p = $('player-state');
  p.textContent = text;
  p.dataset.state = name;
}

/** Wires the upload form and the player once. */
export function init() {
  if (ready) {
    return;
  }
  ready = true;
  $('upload-form').addEventListener('submit', ev => {
    ev.preventDefault();
    upload().catch(e => sayError('Upload', e));
  });
  $('files-refresh').addEventListener('click', () => refresh());
  const video = $('player');
  video.addEventListener('loadedmetadata', () => {
    if (pendingSeek && pendingSeek.uuid === video.dataset.file) {
      video.currentTime = Math.min(pendingSeek.ms / 1000, video.duration || Infinity);
      pendingSeek = null;
    }
  });
  video.addEventListener('error', () => {
    if (video.getAttribute('src')) {
      state(`The video could not be played (media error ${video.error ? video.error.code : '?'}).`, 'error');
    }
  });
}

/** The files the key may read, newest first (GET /api/v1/files). */
export async function list() {
  files = (await call('/api/v1/files')).files;
  return files;
}

/** @return the file whose analysis is a job, from the last list (or a new one), or undefined */
export async function fileOfJob(job) {
  const found = files.find(f => f.job === job);
  return found || (await list()).find(f => f.job === job);
}

/** Shows the list; refreshes it every 3 s while an analysis runs and the view is open. */
export async function refresh() {
  clearTimeout(timer);
  timer = null;
  try {
    await list();
  } catch (e) {
    sayError('Files', e);
    return;
  }
  const rows = files.map(f => {
    const tr = document.createElement('tr');
    tr.dataset.file = f.file_uuid;
    const status = f.analysis ? f.analysis.status : 'NONE';
    tr.dataset.analysis = status;
    const cell = (text, cls) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) {
        td.className = cls;
      }
      tr.appendChild(td);
      return td;
    };
    cell(f.name, 'source');
    cell(secs(f.duration_ms));
    cell(size(f.size_bytes));
    cell(f.analysis ? `${status} (job ${f.analysis.job})` : 'none', `status s-${status.toLowerCase()}`);
    cell((f.created_at || '').replace('T', ' ').replace('Z', ''));
    const actions = cell('', 'actions');
    const button = (text, label, onClick) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.setAttribute('aria-label', label);
      b.addEventListener('click', onClick);
      actions.appendChild(b);
    };
    button('Play with boxes', `Play ${f.name} (${f.file_uuid}) with its boxes`, () => open(f.file_uuid, true));
    button('Play', `Play ${f.name} (${f.file_uuid}) without boxes`, () => open(f.file_uuid, false));
    return tr;
  });
  // keep the focused button when the list is redrawn
  const focused = document.activeElement && document.activeElement.getAttribute('aria-label');
  const body = $('files-table').querySelector('tbody');
  body.replaceChildren(...rows);
  if (focused) {
    const again = [...body.querySelectorAll('button')].find(b => b.getAttribute('aria-label') === focused);
    if (again) {
      again.focus();
    }
  }
  if (!$('view-files').hidden && files.some(f => f.analysis && !TERMINAL.includes(f.analysis.status))) {
    timer = setTimeout(refresh, 3000);
  }
}

/** Opens the files view on a file (the shell then calls play). */
function open(uuid, boxes) {
  if (!boxes) {
    play(uuid, false);
    return;
  }
  show('files', uuid);
}

/**
 * Opens a file at a time: the files view plays it with its boxes and seeks there once loaded.
 *
 * @param uuid the file
 * @param ms   the time in the video, ms
 */
export function openAt(uuid, ms) {
  pendingSeek = { uuid, ms };
  $('player-at').textContent = `Opened at ${secs(ms)} of the video.`;
  $('player-at').dataset.ms = String(ms);
  show('files', uuid);
}

/** Stops asking for a render and the list's refresh (the view is left). */
export function stop() {
  attempt += 1;
  clearTimeout(timer);
  timer = null;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** @return Retry-After in seconds (a number or an HTTP date), within the bounds; 5 when absent */
function retryAfter(res) {
  const h = res.headers.get('Retry-After');
  let s = h === null ? 5 : Number(h);
  if (h !== null && Number.isNaN(s)) {
    s = (Date.parse(h) - Date.now()) / 1000;
  }
  return Math.min(MAX_WAIT_S, Math.max(MIN_WAIT_S, Number.isFinite(s) ? s : 5));
}

/**
 * Plays a file in the player.
 *
 * @param uuid  the file
 * @param boxes true: the video with its analysis boxes, waiting while it renders; false: the file
 */
export async function play(uuid, boxes = true) {
  const mine = ++attempt;
  const video = $('player');
  if (video.dataset.file !== uuid || video.dataset.boxes !== String(boxes)) {
    video.pause();
    video.removeAttribute('src');
    video.load();
    video.hidden = true;
  }
  if (!pendingSeek || pendingSeek.uuid !== uuid) {
    $('player-at').textContent = '';
    delete $('player-at').dataset.ms;
  }
  try {
    const f = await call(`/api/v1/file/${encodeURIComponent(uuid)}`);
    const name = `${f.name} (${secs(f.duration_ms)})`;
    if (boxes && !(await rendered(uuid, name, mine))) {
      return;
    }
    if (mine !== attempt) {
      return;
    }
    const signed = await call(`/api/v1/file/${encodeURIComponent(uuid)}/signed-url`, {
      method: 'POST', json: { path: boxes ? 'video/bbox' : 'video', ttl_s: SIGNED_TTL_S } });
    if (mine !== attempt) {
      return;
    }
    video.dataset.file = uuid;
    video.dataset.boxes = String(boxes);
    video.setAttribute('aria-label', `Video of ${name}${boxes ? ' with its boxes' : ''}`);
    video.src = signed.url;
    video.hidden = false;
    state(`Playing ${name}${boxes ? ' with its boxes' : ''}; the link works until ${signed.expires_at}.`, 'playing');
    say(`Playing ${f.name}.`);
  } catch (e) {
    if (mine === attempt) {
      state(`Cannot play the file: ${e.message}`, 'error');
      sayError('Player', e);
    }
  }
}

/**
 * Asks for the boxed video until it is rendered, honouring Retry-After.
 *
 * @return true once it can be played; false when it cannot (409, shown) or another play began
 */
async function rendered(uuid, name, mine) {
  for (;;) {
    // one byte is enough to know: 206 (or 200) once rendered, 202 while not yet, 409 never
    const res = await fetch(`/api/v1/file/${encodeURIComponent(uuid)}/video/bbox`,
      { headers: keyHeaders({ Range: 'bytes=0-0' }), cache: 'no-store' });
    if (mine !== attempt) {
      return false;
    }
    if (res.ok && res.status !== 202) {
      res.body && res.body.cancel();
      return true;
    }
    let body = {};
    try {
      body = await res.json();
    } catch (e) {
      body = { error: `HTTP ${res.status}` };
    }
    if (res.status === 202) {
      const wait = retryAfter(res);
      state(`The video of ${name} with its boxes is not ready (${body.status || 'rendering'}${body.detail
        ? ': ' + body.detail : ''}); asking again in ${Math.round(wait)} s.`, body.status || 'rendering');
      await sleep(wait * 1000);
      if (mine !== attempt) {
        return false;
      }
      continue;
    }
    if (res.status === 409) {
      state(`No boxes to show for ${name}: ${body.error}${body.detail ? ' (' + body.detail + ')' : ''}. `
        + 'Use Play to watch the file without boxes.', 'no-analysis');
      return false;
    }
    if (res.status === 401) {
      sayError('Player', new ApiError(401, body.error || 'unauthorized'));
    }
    state(`Cannot play ${name} with its boxes: ${body.error || res.status}${body.detail ? ' (' + body.detail + ')' : ''}.`,
      'error');
    return false;
  }
}

async function upload() {
  const file = $('file-video').files[0];
  if (!file) {
    say('Choose a video file.', true);
    $('file-video').focus();
    return;
  }
  const form = new FormData();
  form.append('video', file, file.name);
  const ops = $('file-ops').value.trim();
  if (ops) {
    form.append('ops', ops);
  }
  form.append('interval', $('file-interval').value.trim() || '0.2');
  say(`Uploading ${file.name}…`);
  const f = await call('/api/v1/files', { method: 'POST', form });
  say(`File ${f.name} uploaded as ${f.file_uuid}${f.job ? `, analysis job ${f.job}` : ''}.`);
  $('upload-form').reset();
  await refresh();
}
