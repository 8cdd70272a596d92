// Live change notices from the gateway (GET /live, server-sent events). EventSource cannot send a bearer token,
// so the stream is read with fetch. One connection for the whole console, opened while someone listens, reopened
// after a drop (with a fresh token when the old one expired). A notice carries ids only
// ({ id, topic, type, subject, jurisdiction, time }); pages refetch what they show through the APIs. After a
// reconnect listeners get `{ type: 'reconnected' }`: notices may have been missed, so they refetch anyway.
import { accessToken } from './api.js';

const listeners = new Set();
let controller = null;
let running = false;
let connected = false;
const statusListeners = new Set();

function setConnected(next) {
  if (connected === next) return;
  connected = next;
  for (const listener of statusListeners) listener(next);
}

function emit(notice) {
  for (const listener of [...listeners]) {
    try {
      listener(notice);
    } catch {
      // one page's failing listener must not silence the others
    }
  }
}

/** Parses SSE text into events; returns the unparsed rest. */
function drain(buffer, onEvent) {
  let boundary;
  while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
    const block = buffer.slice(0, boundary);
    buffer = buffer.slice(boundary + (buffer[boundary] === '\r' ? 4 : 2));
    let event = 'message';
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) onEvent(event, data.join('\n'));
  }
  return buffer;
}

async function connectOnce(signal, renew) {
  const token = await accessToken({ renew });
  if (!token) return 'signed-out';
  const response = await fetch('/live', {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    credentials: 'omit',
    cache: 'no-store',
    signal,
  });
  if (response.status === 401) return 'expired';
  if (!response.ok || !response.body) return 'failed';
  setConnected(true);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer = drain(buffer + value, (event, data) => {
      if (event !== 'change') return;
      try {
        emit(JSON.parse(data));
      } catch {
        // a malformed notice is skipped
      }
    });
  }
  return 'ended';
}

async function run() {
  running = true;
  let delay = 1000;
  let renew = false;
  let first = true;
  while (listeners.size > 0) {
    controller = new AbortController();
    let outcome;
    try {
      outcome = await connectOnce(controller.signal, renew);
    } catch {
      outcome = controller.signal.aborted ? 'stopped' : 'failed';
    }
    setConnected(false);
    if (outcome === 'stopped' || outcome === 'signed-out' || listeners.size === 0) break;
    renew = outcome === 'expired';
    if (!first || outcome === 'ended') emit({ type: 'reconnected' });
    first = false;
    if (outcome === 'ended' || outcome === 'expired') delay = 1000;
    await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * 500));
    delay = Math.min(delay * 2, 30_000);
  }
  running = false;
  controller = null;
  // A page subscribed while the last stream was closing: open a new one.
  if (listeners.size > 0) void run();
}

/** Calls `handler(notice)` for every change notice until the returned function is called. */
export function onLive(handler) {
  listeners.add(handler);
  if (!running) void run();
  return () => {
    listeners.delete(handler);
    if (listeners.size === 0 && controller) controller.abort();
  };
}

/** Whether the live stream is open now, and a way to follow it (the header's "live" indicator). */
export function isLive() {
  return connected;
}

export function onLiveStatus(listener) {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** Ends the stream (sign-out). */
export function stopLive() {
  listeners.clear();
  if (controller) controller.abort();
}
