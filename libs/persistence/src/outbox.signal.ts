// An in-process signal "events were just written to an outbox", so a relay in the same process publishes at once
// instead of at its next poll. Only latency depends on it: the poll finds every write anyway.
import { EventEmitter } from 'node:events';

const OUTBOX_WRITTEN = 'outbox-written';
const signal = new EventEmitter();
// Every relay in the process listens (tests run several); the default limit of 10 would warn for nothing.
signal.setMaxListeners(0);

export function notifyOutboxWrite(collection: string): void {
  signal.emit(OUTBOX_WRITTEN, collection);
}

/** Returns the function that stops listening. */
export function onOutboxWrite(listener: (collection: string) => void): () => void {
  signal.on(OUTBOX_WRITTEN, listener);
  return () => signal.off(OUTBOX_WRITTEN, listener);
}
