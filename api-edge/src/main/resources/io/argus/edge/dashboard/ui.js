// The status line and the navigation every view shares. app.js registers what showing a view and a
// refused key do (handlers), so that the views need not import the shell that imports them.
import { ApiError } from './api.js';

const $ = id => document.getElementById(id);
let navigate = () => {};
let refused = () => {};

/** Registers the shell's routing (after the hash changed) and its logout (given a message). */
export function handlers(onShow, onRefused) {
  navigate = onShow;
  refused = onRefused;
}

/** Writes the status line (role=status, read out by screen readers). */
export function say(text, error = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', error);
}

/** Writes an error of a call: the edge's error and detail; a refused key logs out. */
export function sayError(what, e) {
  if (e instanceof ApiError && e.status === 401) {
    refused('The API key was not accepted: log in again.');
    return;
  }
  say(`${what}: ${e.message}`, true);
}

/** Shows a view; arg is the job id of the live, counts and segments views. */
export function show(view, arg) {
  say('');
  const target = `#${view}${arg ? '/' + encodeURIComponent(arg) : ''}`;
  if (location.hash !== target) {
    history.replaceState(null, '', target);
  }
  navigate();
}
