// The dashboard's shell: log in, the views (#jobs, #live/<job>, #counts/<job>, #segments/<job>,
// #files/<file_uuid>, #search, #health) and the
// status line. No data is in the page itself; every view asks the edge with the key.
import { call, setKey, clearKey, hasKey, ApiError } from './api.js';
import { say, sayError, show, handlers } from './ui.js';
import * as jobs from './jobs.js';
import * as live from './live.js';
import * as health from './health.js';
import * as files from './files.js';
import * as search from './search.js';
import { showCounts } from './chart.js';
import { showSegments } from './segments.js';

const VIEWS = ['jobs', 'live', 'counts', 'segments', 'files', 'search', 'health'];
const $ = id => document.getElementById(id);

function showApp(on) {
  $('view-login').hidden = on;
  $('nav').hidden = !on;
  if (!on) {
    VIEWS.forEach(v => { $(`view-${v}`).hidden = true; });
  }
}

function route() {
  if (!hasKey()) {
    return;
  }
  const [view, rawArg] = (location.hash.slice(1) || 'jobs').split('/');
  const name = VIEWS.includes(view) ? view : 'jobs';
  const arg = rawArg ? decodeURIComponent(rawArg) : '';
  VIEWS.forEach(v => {
    $(`view-${v}`).hidden = v !== name;
    const tab = $(`tab-${v}`);
    if (v === name) {
      tab.setAttribute('aria-current', 'page');
    } else {
      tab.removeAttribute('aria-current');
    }
  });
  jobs.active(name === 'jobs');
  if (name !== 'live') {
    live.stop();
  }
  if (name !== 'files') {
    files.stop();
  }
  if (name === 'live' && arg) {
    $('live-job').value = arg;
    live.watch(arg);
  } else if (name === 'counts' && arg) {
    $('counts-job').value = arg;
    showCounts(arg).catch(e => sayError('Counts', e));
  } else if (name === 'segments' && arg) {
    $('segments-job').value = arg;
    showSegments(arg).catch(e => sayError('Segments', e));
  } else if (name === 'files') {
    files.refresh();
    if (arg) {
      files.play(arg, true);
    }
  } else if (name === 'health') {
    health.refresh();
  }
}

function logout(message) {
  clearKey();
  live.stop();
  files.stop();
  jobs.active(false);
  showApp(false);
  say(message || 'Logged out.');
  $('api-key').focus();
}

async function login(key) {
  setKey(key);
  try {
    await call('/api/v1/dashboard/jobs?limit=1');
  } catch (e) {
    clearKey();
    say(e instanceof ApiError && e.status === 401 ? 'The API key was not accepted.' : `Cannot reach Argus: ${e.message}`, true);
    return false;
  }
  showApp(true);
  say('Logged in.');
  jobs.init();
  route();
  return true;
}

handlers(route, logout);

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', ev => {
    ev.preventDefault();
    const key = $('api-key').value.trim();
    $('api-key').value = '';
    login(key);
  });
  $('logout').addEventListener('click', () => logout());
  for (const v of VIEWS) {
    $(`tab-${v}`).addEventListener('click', () => show(v));
  }
  $('live-form').addEventListener('submit', ev => {
    ev.preventDefault();
    show('live', $('live-job').value.trim());
  });
  $('live-stop').addEventListener('click', () => live.stop());
  $('counts-form').addEventListener('submit', ev => {
    ev.preventDefault();
    show('counts', $('counts-job').value.trim());
  });
  $('segments-form').addEventListener('submit', ev => {
    ev.preventDefault();
    show('segments', $('segments-job').value.trim());
  });
  $('health-refresh').addEventListener('click', () => health.refresh());
  live.init();
  files.init();
  search.init();
  window.addEventListener('hashchange', route);
  if (hasKey()) {
    login(sessionStorage.getItem('argus.apiKey'));
  } else {
    showApp(false);
  }
});
