// The search view: by plate text (POST /licence-plate) and by face photo (POST /face-detect), both
// answering NDJSON; results as thumbnails with their times. A result opens the video at its time: a
// file's in the player of the files view, a job without a file as the stored frame nearest that time.
import { call, callLines, imageUrl, ApiError } from './api.js';
import { say, sayError } from './ui.js';
import * as files from './files.js';

const $ = id => document.getElementById(id);
let blobs = [];

const secs = ms => `${(ms / 1000).toFixed(1)} s`;

function forget() {
  blobs.forEach(u => URL.revokeObjectURL(u));
  blobs = [];
}

async function image(url) {
  const u = await imageUrl(url);
  blobs.push(u);
  return u;
}

function searching(text) {
  forget();
  $('search-results').replaceChildren();
  $('search-detail').replaceChildren();
  $('search-state').textContent = text;
  $('search-state').classList.remove('error');
}

/** Shows the error of a search in the view (the edge's error and detail) and on the status line. */
function failed(what, e) {
  $('search-state').textContent = `${what}: ${e instanceof ApiError ? e.message : e}`;
  $('search-state').classList.add('error');
  sayError(what, e);
}

/** Wires the two forms once. */
export function init() {
  $('plate-form').addEventListener('submit', ev => {
    ev.preventDefault();
    plates($('plate-text').value.trim()).catch(e => failed('Plate search', e));
  });
  $('face-form').addEventListener('submit', ev => {
    ev.preventDefault();
    faces().catch(e => failed('Face search', e));
  });
}

/** Searches plates by text and shows them. */
export async function plates(text) {
  searching(`Searching plates like ${text}…`);
  const found = await callLines('/licence-plate', { method: 'POST', json: { licence_plate: text } });
  await showResults(found.map(p => ({
    kind: 'plate',
    time: p.time,
    job: p.job,
    file: null,
    image: p.car_image,
    title: p.licence_plate,
    detail: `${p.label || 'vehicle'} track ${p.track}, distance ${p.distance}, confidence ${Number(p.confidence).toFixed(2)}`,
  })), `${found.length} ${found.length === 1 ? 'plate' : 'plates'} like ${text}`);
}

/**
 * Searches faces like the photo's: multipart field image, query file_uuid, job and all=true (every
 * face of the photo, not only the largest) when given. Each answer line: {time (ms), similar_face
 * (URL), score (cosine + 1, 0 to 2), file_uuid (or null), job, trace_id, query_face (optional)};
 * 400 {error} when the photo shows no face.
 */
async function faces() {
  const photo = $('face-photo').files[0];
  if (!photo) {
    say('Choose a photo.', true);
    $('face-photo').focus();
    return;
  }
  const query = new URLSearchParams();
  const file = $('face-file').value.trim();
  const job = $('face-job').value.trim();
  if (file) {
    query.set('file_uuid', file);
  }
  if (job) {
    query.set('job', job);
  }
  if ($('face-all').checked) {
    query.set('all', 'true');
  }
  const form = new FormData();
  form.append('image', photo, photo.name);
  searching(`Searching faces like ${photo.name}…`);
  const q = query.toString();
  const found = await callLines(`/face-detect${q ? '?' + q : ''}`, { method: 'POST', form });
  await showResults(found.map(f => ({
    kind: 'face',
    time: f.time,
    job: f.job,
    file: f.file_uuid || null,
    image: f.similar_face,
    title: `score ${Number(f.score).toFixed(2)} of 2`,
    detail: `face trace ${f.trace_id}${f.query_face ? `, face ${f.query_face + 1} of the photo` : ''}`,
  })), `${found.length} ${found.length === 1 ? 'face' : 'faces'} like ${photo.name}`);
}

async function showResults(results, summary) {
  const list = $('search-results');
  for (const [i, r] of results.entries()) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'result';
    b.dataset.time = String(r.time);
    b.dataset.job = r.job;
    b.setAttribute('aria-label', `${r.kind === 'plate' ? 'Plate ' : 'Face, '}${r.title} at ${secs(r.time)} in job ${r.job}: `
      + 'open the video there');
    const img = document.createElement('img');
    img.alt = '';
    try {
      img.src = await image(r.image);
    } catch (e) {
      img.alt = `(no picture: ${e.message})`;
    }
    const title = document.createElement('strong');
    title.textContent = r.title;
    const time = document.createElement('span');
    time.className = 'time';
    time.textContent = secs(r.time);
    const detail = document.createElement('span');
    detail.className = 'help';
    detail.textContent = `${r.detail}; job ${r.job}`;
    b.append(img, title, time, detail);
    b.addEventListener('click', () => open(r, i).catch(e => sayError('Result', e)));
    li.appendChild(b);
    list.appendChild(li);
  }
  $('search-state').textContent = results.length ? `${summary}. Select one to open the video at its time.`
    : `${summary}: none found.`;
  say(`${summary}.`);
}

/** Opens a result: its file's video at its time, else its job's stored frame nearest that time. */
async function open(r) {
  const file = r.file || ((await files.fileOfJob(r.job)) || {}).file_uuid;
  if (file) {
    files.openAt(file, r.time);
    return;
  }
  const job = await call(`/v1/jobs/video/${encodeURIComponent(r.job)}`);
  let best = null;
  for (const op of Object.values(job.result || {})) {
    for (const s of op.segments || []) {
      for (const c of s.cuts || []) {
        if (c.url && (!best || Math.abs(c.offset - r.time) < Math.abs(best.offset - r.time))) {
          best = c;
        }
      }
    }
  }
  const box = $('search-detail');
  const h = document.createElement('h3');
  const img = document.createElement('img');
  img.id = 'search-frame';
  if (best) {
    h.textContent = `Job ${r.job} at ${secs(r.time)}: its stored frame at ${secs(best.offset)}`;
    img.src = await image(best.url);
    img.alt = `Frame of job ${r.job} at ${secs(best.offset)}`;
  } else {
    h.textContent = `Job ${r.job} at ${secs(r.time)} (no stored frame: the result's picture)`;
    img.src = await image(r.image);
    img.alt = `Picture of the result at ${secs(r.time)} in job ${r.job}`;
  }
  img.dataset.ms = String(best ? best.offset : r.time);
  box.replaceChildren(h, img);
  img.scrollIntoView({ block: 'nearest' });
}
