// The HTTP servers of ReadinessServer (hook-runner.ts), in a process of their
// own, driven over the IPC channel. The wait hook gives each attempt 1 s, so
// how fast a test server answers is part of what the tests measure. In the
// test process the servers shared an event loop and a CPU time slice with
// busy work (spawning, synthesizing charts, garbage collection): on a loaded
// 2-core machine that process waits behind other runnable work, and a server
// that answers 503 at once missed whole attempts ("did not answer within
// 1 s"). An idle process like this one is woken at once when a request comes,
// as a sidecar's server is. Plain JavaScript: it runs without ts-jest.
'use strict';
const http = require('http');

const servers = new Map();

function serve(behaviour, state) {
  return http.createServer((req, res) => {
    state.requests.push({ url: req.url, headers: req.headers });
    switch (behaviour) {
      case 'hang':
        return;
      case 'drip':
        res.writeHead(200, { 'content-type': 'text/plain' });
        state.timers.push(setInterval(() => res.write('.'), 100));
        return;
      case 'redirect-loop':
        res.writeHead(302, { location: req.url }).end();
        return;
      case 'redirect':
        res.writeHead(req.url === '/ready' ? 200 : 302, { location: '/ready' }).end();
        return;
      case 'proxy':
        res.writeHead(502).end();
        return;
      default:
        res.writeHead(state.readyAt !== undefined ? 200 : 503).end();
    }
  });
}

process.on('message', ({ op, id, behaviour }) => {
  const reply = message => process.send({ id, ...message });
  const state = servers.get(id);
  switch (op) {
    case 'start': {
      const fresh = { requests: [], timers: [], readyAt: undefined };
      fresh.server = serve(behaviour, fresh);
      servers.set(id, fresh);
      fresh.server.listen(0, '127.0.0.1', () => reply({ port: fresh.server.address().port }));
      return;
    }
    case 'ready':
      state.readyAt = Date.now();
      reply({ readyAt: state.readyAt });
      return;
    case 'close':
      state.timers.forEach(clearInterval);
      state.server.closeAllConnections();
      state.server.close(() => {
        servers.delete(id);
        reply({ requests: state.requests });
      });
      return;
  }
});
// Ends with the test process (or its stopServers()).
process.on('disconnect', () => process.exit(0));
