// Debian's Chromium and the flags both browser tests launch it with (check.cjs for the
// book, jupyterlab.cjs for the notebooks): headless on a closed machine, never talking to
// another host.

'use strict';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  // Belt and braces: no host name resolves except loopback, so nothing can leave the machine
  // even if a page asked for it (the test still sees and fails such a request).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

module.exports = { CHROMIUM, FLAGS };
