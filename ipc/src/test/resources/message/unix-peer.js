// A Node peer for UnixFramingNodeIT that speaks jnet's documented frame formats (dev.jnet.message
// LengthPrefixedFraming: u32 big-endian length then payload; LineFraming: payload then LF, CRLF tolerated) over a
// Unix socket path, with built-ins only. It answers each message with the message's bytes reversed, which proves
// it found the frame boundaries, and reports what it saw on stdout:
//
//   node unix-peer.js server lp|lines PATH   listen on PATH, print "READY"; per message print "MSG <hex>" and
//                                            send it back reversed; on end print "WIRE <bytes> <sha256>" of
//                                            everything received, then end
//   node unix-peer.js client lp|lines PATH   read "P <hex>" payload lines from stdin until it ends, connect, send
//                                            them (lines with CRLF; the first 64 bytes one per write), expect each
//                                            back reversed; print "WIRE <bytes> <sha256>" of what came back, then
//                                            "OK <n>" or "MISMATCH ...", then end
'use strict';
const net = require('net');
const crypto = require('crypto');

const [mode, format, path] = process.argv.slice(2);

function lpEncode(payload) {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

function lpDecoder(onMessage) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const n = pending.readUInt32BE(0);
      onMessage(pending.subarray(4, 4 + n));
      pending = pending.subarray(4 + n);
    }
  };
}

function linesDecoder(onMessage) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    let i;
    while ((i = pending.indexOf(0x0a)) >= 0) {
      const end = i > 0 && pending[i - 1] === 0x0d ? i - 1 : i;
      onMessage(pending.subarray(0, end));
      pending = pending.subarray(i + 1);
    }
  };
}

const lines = format === 'lines';
const decoder = lines ? linesDecoder : lpDecoder;
const encode = (m, crlf) => lines ? Buffer.concat([m, Buffer.from(crlf ? '\r\n' : '\n')]) : lpEncode(m);
const reversed = (m) => Buffer.from(m).reverse();

function wire() {
  let n = 0;
  const hash = crypto.createHash('sha256');
  return { add: (c) => { n += c.length; hash.update(c); }, report: () => 'WIRE ' + n + ' ' + hash.digest('hex') };
}

function server() {
  const srv = net.createServer((socket) => {
    const received = wire();
    const decode = decoder((m) => {
      console.log('MSG ' + m.toString('hex'));
      socket.write(encode(reversed(m), false));
    });
    socket.on('data', (chunk) => { received.add(chunk); decode(chunk); });
    socket.on('end', () => { console.log(received.report()); socket.end(); });
    socket.on('error', (e) => console.log('ERROR ' + e.message));
  });
  srv.listen(path, () => console.log('READY'));
  process.stdin.on('end', () => srv.close(() => process.exit(0)));
  process.stdin.resume();
}

function client(payloads) {
  const got = [];
  const received = wire();
  const socket = net.connect(path, () => {
    const bytes = Buffer.concat(payloads.map((p) => encode(p, true)));
    const split = Math.min(bytes.length, 64);
    for (let i = 0; i < split; i++) socket.write(bytes.subarray(i, i + 1));
    socket.write(bytes.subarray(split));
  });
  const decode = decoder((m) => {
    got.push(Buffer.from(m));
    if (got.length < payloads.length) return;
    const bad = got.findIndex((g, i) => !g.equals(reversed(payloads[i])));
    console.log(received.report());
    console.log(bad < 0 ? 'OK ' + got.length : 'MISMATCH at ' + bad + ': ' + got[bad].toString('hex').slice(0, 200));
    process.exitCode = bad < 0 ? 0 : 1;
    socket.end();
  });
  socket.on('data', (chunk) => { received.add(chunk); decode(chunk); });
  socket.on('error', (e) => { console.log('ERROR ' + e.message); process.exitCode = 2; });
}

if (mode === 'server') {
  server();
} else {
  let input = '';
  process.stdin.setEncoding('latin1');
  process.stdin.on('data', (c) => { input += c; });
  process.stdin.on('end', () => client(input.split('\n')
    .filter((l) => l.startsWith('P '))
    .map((l) => Buffer.from(l.slice(2).trim(), 'hex'))));
}
