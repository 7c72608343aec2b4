'use strict';
// Shared helpers of the Node-oracle scripts. Protocol: one JSON object per line on stdout ({"ev":...}); commands
// arrive as one word per line on stdin; stdin's EOF ends the process. Only Node built-ins are used.
const net = require('net');
const crypto = require('crypto');
const readline = require('readline');

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

// xorshift32, four little-endian bytes per step; PeerPayload.java generates the same bytes from the same seed.
function payload(seed, size) {
  const buf = Buffer.alloc(size);
  let x = (seed >>> 0) || 0x9e3779b9;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    for (let k = 0; k < 4 && i + k < size; k++) buf[i + k] = (x >>> (8 * k)) & 0xff;
  }
  return buf;
}

// Chunk sizes in 1..max from their own xorshift32 stream.
function chunker(seed, max) {
  let x = ((seed ^ 0x5bd1e995) >>> 0) || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return 1 + (x % max);
  };
}

function sha256(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

// Reports a socket's events as lines: connect, ready, data (consecutive chunks folded into one line), end (with
// the bytes received and their SHA-256), finish, drain, timeout, error (code, syscall), close (hadError).
// With consume=false no 'data' listener is attached (the socket stays paused) until track.consume() is called.
function record(socket, consume = true) {
  const hash = crypto.createHash('sha256');
  const track = { bytes: 0, last: '' };
  const ev = (name, extra) => {
    if (name === 'data' && track.last === 'data') return;
    track.last = name;
    emit(Object.assign({ ev: name }, extra));
  };
  track.ev = ev;
  track.consume = () => {
    socket.on('data', (chunk) => {
      track.bytes += chunk.length;
      hash.update(chunk);
      ev('data');
    });
    socket.resume();
  };
  socket.on('connect', () => ev('connect'));
  socket.on('ready', () => ev('ready'));
  socket.on('end', () => ev('end', { bytes: track.bytes, sha256: hash.copy().digest('hex'),
    readyState: socket.readyState }));
  socket.on('finish', () => ev('finish', { readyState: socket.readyState }));
  socket.on('drain', () => ev('drain'));
  socket.on('timeout', () => ev('timeout'));
  socket.on('error', (e) => ev('error', { code: e.code, syscall: e.syscall, message: e.message }));
  socket.on('close', (hadError) => ev('close', { hadError: String(hadError) }));
  if (consume) track.consume();
  return track;
}

// argv: "server" (listen on an ephemeral 127.0.0.1 port, print {"ev":"listening","port":N}, take one connection)
// or "client <port>". onSocket runs before any socket event can fire.
function open(argv, options, onSocket) {
  const [role, port] = argv;
  if (role === 'server') {
    const server = net.createServer(options, (socket) => {
      server.close();
      onSocket(socket);
    });
    server.listen(0, '127.0.0.1', () => emit({ ev: 'listening', port: server.address().port }));
  } else if (role === 'client') {
    onSocket(net.connect(Object.assign({ port: Number(port), host: '127.0.0.1' }, options)));
  } else {
    throw new Error('role must be server or client: ' + role);
  }
}

// Calls handlers[word]() for each stdin line; exits when stdin closes (the Java side is done with us).
function commands(handlers) {
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const word = line.trim();
    if (handlers[word]) handlers[word]();
    else emit({ ev: 'unknown-command', command: word });
  });
  rl.on('close', () => process.exit(0));
}

// Writes data in random chunks of at most maxChunk (sizes from chunker(seed)), waiting for 'drain' whenever write()
// returns false, then calls done(falseWrites) (maybe synchronously, if the kernel took everything).
function writePaced(socket, data, seed, maxChunk, done) {
  const next = chunker(seed, maxChunk);
  let offset = 0;
  let falses = 0;
  const pump = () => {
    while (offset < data.length) {
      const n = Math.min(next(), data.length - offset);
      const ok = socket.write(data.subarray(offset, offset + n));
      offset += n;
      if (!ok) {
        falses++;
        socket.once('drain', pump);
        return;
      }
    }
    done(falses);
  };
  pump();
}

module.exports = { emit, payload, chunker, sha256, record, open, commands, writePaced };
