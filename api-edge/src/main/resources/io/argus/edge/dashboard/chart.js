// A line chart in plain SVG: one polyline and one point per value for each series.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) {
    e.setAttribute(k, String(v));
  }
  if (parent) {
    parent.appendChild(e);
  }
  return e;
}

/**
 * Draws series over a shared x axis.
 * id: the svg's id; title: its accessible name; xLabels: one label per index;
 * series: [{name, cls, values: [numbers]}]. Each point carries data-series, data-index and
 * data-value (the number drawn) and a <title> with it.
 */
export function lineChart(id, title, xLabels, series) {
  const W = 900, H = 280, L = 44, R = 12, T = 16, B = 36;
  const svg = el('svg', { id, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart' });
  const max = Math.max(1, ...series.flatMap(s => s.values));
  const n = Math.max(1, xLabels.length);
  const x = i => L + (n === 1 ? (W - L - R) / 2 : i * (W - L - R) / (n - 1));
  const y = v => T + (H - T - B) * (1 - v / max);
  const axes = el('g', { class: 'axes' }, svg);
  el('line', { x1: L, y1: T, x2: L, y2: H - B }, axes);
  el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B }, axes);
  for (const v of [0, Math.round(max / 2), max]) {
    el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, axes).textContent = v;
  }
  const step = Math.max(1, Math.ceil(n / 8));
  xLabels.forEach((label, i) => {
    if (i % step === 0) {
      el('text', { x: x(i), y: H - B + 16, 'text-anchor': 'middle' }, axes).textContent = label;
    }
  });
  series.forEach((s, k) => {
    const g = el('g', { class: `series ${s.cls}`, 'data-series': s.name }, svg);
    el('polyline', { points: s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ') }, g);
    s.values.forEach((v, i) => {
      const c = el('circle', { cx: x(i), cy: y(v), r: 3.5, 'data-series': s.name, 'data-index': i, 'data-value': v }, g);
      el('title', {}, c).textContent = `${s.name}, ${xLabels[i]}: ${v}`;
    });
    const lx = L + 8 + k * 170;
    el('rect', { x: lx, y: H - 12, width: 10, height: 10, class: 'swatch' }, g);
    el('text', { x: lx + 14, y: H - 3 }, g).textContent = s.name;
  });
  return svg;
}

/** The counts view: GET /v1/traffic/jobs/{id} (the stored counts in Kafka) as two charts and a table. */
export async function showCounts(id) {
  const { call } = await import('./api.js');
  const out = document.getElementById('counts-out');
  out.replaceChildren();
  const a = await call(`/v1/traffic/jobs/${encodeURIComponent(id)}`);
  if (!a.pedestrians_per_interval) {
    const p = document.createElement('p');
    p.textContent = `Job ${id} is ${a.status}: its counts are charted once it has ended; the live view shows them as they come.`;
    out.appendChild(p);
    return;
  }
  const secs = ms => `${Math.round(ms / 100) / 10}s`;
  const ticks = a.pedestrian_counts.map((_, i) => secs(i * a.interval));
  const spans = a.pedestrians_per_interval.map((_, i) => secs(i * a.interval));
  const h1 = document.createElement('h3');
  h1.textContent = `Passes per interval of ${secs(a.interval)}` +
    (a.totals ? ` (totals: ${a.totals.pedestrians} pedestrians, ${a.totals.vehicles} vehicles)` : '');
  const h2 = document.createElement('h3');
  h2.textContent = 'In view at each tick';
  out.append(h1,
    lineChart('chart-passes', `Passes per interval of job ${id}`, spans, [
      { name: 'Pedestrians', cls: 's1', values: a.pedestrians_per_interval },
      { name: 'Vehicles', cls: 's2', values: a.vehicles_per_interval }]),
    h2,
    lineChart('chart-inview', `People and vehicles in view in job ${id}`, ticks, [
      { name: 'People', cls: 's1', values: a.pedestrian_counts },
      { name: 'Vehicles', cls: 's2', values: a.vehicle_counts }]));
  const t = document.createElement('table');
  t.id = 'counts-table';
  t.createCaption().textContent = 'Passes per interval';
  const head = t.createTHead().insertRow();
  for (const h of ['Interval from', 'Pedestrians', 'Vehicles']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.appendChild(th);
  }
  const body = t.createTBody();
  spans.forEach((s, i) => {
    const r = body.insertRow();
    r.insertCell().textContent = s;
    r.insertCell().textContent = a.pedestrians_per_interval[i];
    r.insertCell().textContent = a.vehicles_per_interval[i];
  });
  const wrap = document.createElement('div');
  wrap.className = 'scroll';
  wrap.appendChild(t);
  out.appendChild(wrap);
}
