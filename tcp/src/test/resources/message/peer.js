// A Node peer that speaks jnet's documented frame formats (dev.jnet.message.LengthPrefixedFraming, LineFraming,
// Envelope) with built-ins only. Used by TcpFramingNodeIT.
//
//   node peer.js server lp|lines          listen on 127.0.0.1:0, print "PORT <n>", greet each client, echo with a prefix
//   node peer.js client lp|lines PORT     send a message set one byte at a time, check the replies, exit 0 if right
//   node peer.js client rpc PORT          send envelope requests (Q<id> body) over lp, check the R/E responses
'use strict';
const net = require('net');

const [mode, format, portArg] = process.argv.slice(2);

function lpEncode(text) {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

function lpDecoder(onMessage) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const n = pending.readUInt32BE(0);
      if (pending.length < 4 + n) break;
      onMessage(pending.subarray(4, 4 + n).toString('utf8'));
      pending = pending.subarray(4 + n);
    }
  };
}

function linesDecoder(onMessage) {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    let i;
    while ((i = pending.indexOf('\n')) >= 0) {
      onMessage(pending.slice(0, i).replace(/\r$/, ''));
      pending = pending.slice(i + 1);
    }
  };
}

const codec = format === 'lines'
  ? { encode: (t) => Buffer.from(t + '\n', 'utf8'), decoder: linesDecoder }
  : { encode: lpEncode, decoder: lpDecoder };

function reply(text) {
  if (format === 'lines') return JSON.stringify({ node: JSON.parse(text) });
  return 'node:' + text;
}

if (mode === 'server') {
  const server = net.createServer((socket) => {
    socket.write(codec.encode(format === 'lines' ? '{"hello":"from node"}' : 'hello from node'));
    socket.on('data', codec.decoder((m) => socket.write(codec.encode(reply(m)))));
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
} else {
  const sets = {
    lp: { send: ['', 'héllo', '', 'x'.repeat(70000), ''], expect: (m) => 'java:' + m },
    lines: { send: ['{"a":1}', '[]', '"ü"'], expect: (m) => JSON.stringify({ java: JSON.parse(m) }) },
    rpc: { send: ['Q1 ping', 'Q2 fail', 'M0 note', 'Q3 '], expect: null },
  };
  const set = sets[format];
  const wanted = format === 'rpc'
    ? ['R1 pong:ping', 'E2 no: fail', 'M0 seen:note', 'R3 pong:']
    : set.send.map(set.expect);
  const got = [];
  const socket = net.connect(Number(portArg), '127.0.0.1', () => {
    const crlf = format === 'lines';
    const bytes = Buffer.concat(set.send.map((m) => crlf ? Buffer.from(m + '\r\n', 'utf8') : lpEncode(m)));
    // one byte per write for the small messages, the rest in one go
    const split = Math.min(bytes.length, 64);
    for (let i = 0; i < split; i++) socket.write(bytes.subarray(i, i + 1));
    socket.write(bytes.subarray(split));
  });
  const decode = (format === 'lines' ? linesDecoder : lpDecoder)((m) => {
    got.push(m);
    if (got.length === wanted.length) {
      const ok = JSON.stringify(got) === JSON.stringify(wanted);
      console.log(ok ? 'OK ' + got.length : 'MISMATCH ' + JSON.stringify({ got, wanted }).slice(0, 2000));
      socket.end();
      process.exitCode = ok ? 0 : 1;
    }
  });
  socket.on('data', decode);
  socket.on('error', (e) => { console.log('ERROR ' + e.message); process.exitCode = 2; });
}
