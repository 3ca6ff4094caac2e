// The segments view: each op's segments of a job on a timeline (from GET /v1/jobs/video/{id}),
// a segment's labels and cut thumbnails, and a cut's frame. Frames are fetched with the key and
// shown from blob: URLs (an <img src> cannot send the key).
import { call } from './api.js';
import { say, sayError } from './ui.js';

const $ = id => document.getElementById(id);
let blobs = [];

function forget() {
  blobs.forEach(u => URL.revokeObjectURL(u));
  blobs = [];
}

async function frameUrl(url) {
  const key = sessionStorage.getItem('argus.apiKey');
  const res = await fetch(url, { headers: key ? { 'X-Api-Key': key } : {}, cache: 'no-store' });
  if (!res.ok) {
    throw new Error(`HTTP ${res.status} for a frame`);
  }
  const u = URL.createObjectURL(await res.blob());
  blobs.push(u);
  return u;
}

const secs = ms => `${(ms / 1000).toFixed(1)} s`;
/** The three best labels of a segment, e.g. "person 0.84, car 0.63, truck 0.45, …". */
const labelText = labels => (labels || []).slice(0, 3).map(l => `${l.label} ${Number(l.score).toFixed(2)}`).join(', ')
  + ((labels || []).length > 3 ? ', …' : '');

/** Shows a job's segments: one lane per op, one button per segment, placed by its times. */
export async function showSegments(id) {
  forget();
  const out = $('segments-out');
  out.replaceChildren();
  $('segment-detail').replaceChildren();
  const job = await call(`/v1/jobs/video/${encodeURIComponent(id)}`);
  const ops = Object.entries(job.result || {});
  const end = Math.max(1, ...ops.flatMap(([, r]) => (r.segments || []).map(s => s.offset_end)));
  if (ops.length === 0) {
    const p = document.createElement('p');
    p.textContent = `Job ${id} is ${job.status} and has no op results yet.`;
    out.appendChild(p);
    return;
  }
  for (const [op, r] of ops) {
    const h = document.createElement('h3');
    h.textContent = `${op}: ${(r.segments || []).length} segments (${labelText(r.labels) || 'no labels'})`;
    const lane = document.createElement('div');
    lane.className = 'lane';
    lane.setAttribute('role', 'group');
    lane.setAttribute('aria-label', `Segments of ${op}`);
    (r.segments || []).forEach((s, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'segment';
      b.dataset.op = op;
      b.dataset.index = String(i);
      b.style.left = `${(100 * s.offset_begin) / end}%`;
      b.style.width = `${Math.max(0.3, (100 * (s.offset_end - s.offset_begin)) / end)}%`;
      b.setAttribute('aria-label', `${op} segment ${i + 1}: ${secs(s.offset_begin)} to ${secs(s.offset_end)}, `
        + `${labelText(s.labels) || 'no labels'}, ${s.cuts.length} cuts`);
      b.addEventListener('click', () => detail(op, i, s).catch(e => sayError('Segment', e)));
      lane.appendChild(b);
    });
    out.append(h, lane);
  }
  const axis = document.createElement('p');
  axis.className = 'help';
  axis.textContent = `Timeline from 0 to ${secs(end)}. Select a segment to see its cuts.`;
  out.appendChild(axis);
}

async function detail(op, i, s) {
  forget();
  const box = $('segment-detail');
  const h = document.createElement('h3');
  h.textContent = `${op} segment ${i + 1}: ${secs(s.offset_begin)} to ${secs(s.offset_end)} — ${labelText(s.labels) || 'no labels'}`;
  const list = document.createElement('ul');
  list.className = 'cuts';
  box.replaceChildren(h, list);
  const big = document.createElement('img');
  big.id = 'cut-frame';
  big.alt = 'Select a cut to see its frame';
  big.hidden = true;
  for (const c of s.cuts) {
    const li = document.createElement('li');
    if (!c.url) {
      li.textContent = `${secs(c.offset)} (frame not stored)`;
      list.appendChild(li);
      continue;
    }
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'cut';
    b.setAttribute('aria-label', `Frame of the cut at ${secs(c.offset)}`);
    const img = document.createElement('img');
    img.alt = '';
    img.src = await frameUrl(c.url);
    const cap = document.createElement('span');
    cap.textContent = secs(c.offset);
    b.append(img, cap);
    b.addEventListener('click', () => {
      big.src = img.src;
      big.alt = `Frame of the ${op} cut at ${secs(c.offset)}`;
      big.hidden = false;
      big.scrollIntoView({ block: 'nearest' });
    });
    li.appendChild(b);
    list.appendChild(li);
  }
  box.appendChild(big);
  say(`${s.cuts.length} cuts in ${op} segment ${i + 1}.`);
}
