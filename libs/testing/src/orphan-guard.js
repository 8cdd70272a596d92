// Preloaded (-r) into every service process a test starts: when the test process is gone (a jest worker killed
// after its tests, a runner stopped with kill -9), the service ends too, instead of consuming and scheduling on
// for hours. Plain JavaScript so it loads before any compiler hook; harness code, never part of a service.
'use strict';
const parent = process.ppid;
const POLL_MS = 1000;
setInterval(() => {
  let alive = process.ppid === parent;
  if (alive) {
    try {
      process.kill(parent, 0);
    } catch {
      alive = false;
    }
  }
  if (!alive) process.kill(process.pid, 'SIGKILL');
}, POLL_MS).unref();
