'use strict';
// Node's answers to a write made inside the 'end' listener, for three ways of ending; one JSON line each:
//   {"scenario":"...","log":["returned:false","cb:EPIPE","error:EPIPE","close:true"]}
// "inside:" entries would mark events emitted while write() was still running.
const net = require('net');
const scenarios = [
  // name, client allowHalfOpen, client ends first
  ['peerEndsFirst', false, false],
  ['weEndFirst', false, true],
  ['halfOpenWeEndFirst', true, true],
];
let left = scenarios.length;
for (const [name, halfOpen, weEndFirst] of scenarios) {
  const server = net.createServer((s) => {
    s.on('data', () => {});
    s.on('error', () => {});
    if (weEndFirst) s.on('end', () => s.end()); else s.end();
  });
  server.listen(0, '127.0.0.1', () => {
    const c = net.createConnection({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: halfOpen });
    const log = [];
    let inCall = false;
    const add = (e) => log.push((inCall ? 'inside:' : '') + e);
    c.on('error', (e) => add('error:' + e.code));
    c.on('close', (hadError) => {
      add('close:' + hadError);
      console.log(JSON.stringify({ scenario: name, log }));
      server.close();
      if (--left === 0) process.exit(0);
    });
    c.on('connect', () => { if (weEndFirst) c.end(); });
    c.on('end', () => {
      inCall = true;
      const r = c.write('late', (err) => add('cb:' + (err ? err.code : 'ok')));
      inCall = false;
      add('returned:' + r);
    });
    c.resume();
  });
}
