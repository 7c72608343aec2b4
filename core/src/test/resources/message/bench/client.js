// The Node side of the message benchmark's client, the twin of dev.jnet.message.bench.BenchClient (same modes,
// arguments and RESULT line).
//   node client.js rate ENDPOINT WARMUP_S MEASURE_S WINDOW
//   node client.js latency ENDPOINT WARMUP_N COUNT [TIMEOUT_MS]   (30000 by default, 0 for no timer)
'use strict';
const net = require('net');
const { encode, decoder, envelope, parseEnvelope, endpoint } = require('./frames');

const [mode, where, a, b, c = '30000'] = process.argv.slice(2);
const payload = Buffer.alloc(64, 'x');
const socket = net.connect(endpoint(where));
socket.setNoDelay(true);
socket.on('error', (e) => { console.error('ERROR ' + e.message); process.exit(1); });

function finish(result) {
  console.log('RESULT ' + result);
  socket.destroy();
  process.exit(0);
}

function rate(warmupS, measureS, window) {
  let echoed = 0;
  socket.on('data', decoder(() => {
    echoed++;
    socket.write(encode(payload));
  }));
  for (let i = 0; i < window; i++) socket.write(encode(payload));
  setTimeout(() => {
    const n0 = echoed;
    const t0 = process.hrtime.bigint();
    setTimeout(() => {
      const n1 = echoed;
      const t1 = process.hrtime.bigint();
      finish('rate ' + Math.round((n1 - n0) * 1e9 / Number(t1 - t0)));
    }, measureS * 1000);
  }, warmupS * 1000);
}

// Sequential requests through a pending map with a timer each (unless timeoutMs is 0), as jnet's Messenger does.
function latency(warmup, count, timeoutMs) {
  const pending = new Map();
  const nanos = new Float64Array(count);
  let nextId = 1;
  let sent = 0;
  socket.on('data', decoder((m) => {
    const e = parseEnvelope(m);
    const p = e && pending.get(e.id);
    if (!p) return;
    pending.delete(e.id);
    if (p.timer !== null) clearTimeout(p.timer);
    p.done(e);
  }));
  const next = () => {
    const i = sent++;
    const id = nextId++;
    const start = process.hrtime.bigint();
    const timer = timeoutMs > 0
      ? setTimeout(() => { console.error('ERROR request timed out'); process.exit(1); }, timeoutMs)
      : null;
    pending.set(id, { timer, done: () => {
      if (i >= warmup) nanos[i - warmup] = Number(process.hrtime.bigint() - start);
      if (sent < warmup + count) next(); else report();
    } });
    socket.write(encode(envelope('Q', id, payload)));
  };
  const report = () => {
    nanos.sort();
    const pct = (p) => nanos[Math.max(0, Math.ceil(p / 100 * count) - 1)] / 1e3;
    const mean = nanos.reduce((s, x) => s + x, 0) / count / 1e3;
    finish('latency ' + pct(50).toFixed(1) + ' ' + pct(99).toFixed(1) + ' ' + mean.toFixed(1));
  };
  socket.on('connect', next);
}

if (mode === 'rate') rate(Number(a), Number(b), Number(c));
else latency(Number(a), Number(b), Number(c));
