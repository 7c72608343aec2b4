'use strict';
// A writer that honours backpressure against a peer that stops reading.
//   node writer.js server|client [port] <seed> <chunk> <stallMs> <tail>
// Writes chunks of a payload stream while write() returns true, waits for 'drain' otherwise. When no write
// completes for stallMs ('timeout' while waiting for 'drain'), prints {"ev":"stalled",...} once; after the next
// 'drain' it writes <tail> more bytes, then end()s and prints {"ev":"sent","bytes":N,"sha256":...}.
// Gives up with {"ev":"nostall"} after 256 MiB.
const crypto = require('crypto');
const { emit, payload, record, open, commands } = require('./peer.js');

const argv = process.argv.slice(2);
const rest = (argv[0] === 'server' ? argv.slice(1) : argv.slice(2)).map(Number);
const [seed, chunk, stallMs, tail] = rest;
const data = payload(seed, 4 * 1024 * 1024);
open(argv, {}, (socket) => {
  const track = record(socket);
  const hash = crypto.createHash('sha256');
  let written = 0;
  let falses = 0;
  let waiting = false;
  let stalled = false;
  let limit = Infinity;
  const finish = () => {
    socket.end();
    emit({ ev: 'sent', bytes: written, sha256: hash.digest('hex'), falseWrites: falses });
  };
  const pump = () => {
    waiting = false;
    while (written < limit) {
      if (!stalled && written >= 256 * 1024 * 1024) {
        emit({ ev: 'nostall', bytes: written });
        break;
      }
      const off = written % data.length;
      const piece = data.subarray(off, Math.min(off + chunk, data.length, off + (limit - written)));
      hash.update(piece);
      written += piece.length;
      if (!socket.write(piece)) {
        falses++;
        waiting = true;
        socket.once('drain', () => {
          if (stalled && limit === Infinity) limit = written + tail;
          pump();
        });
        return;
      }
    }
    finish();
  };
  socket.on('timeout', () => {
    if (waiting && !stalled) {
      stalled = true;
      socket.setTimeout(0);
      emit({ ev: 'stalled', written, writableLength: socket.writableLength,
        writableNeedDrain: socket.writableNeedDrain, falseWrites: falses });
    }
  });
  const start = () => {
    socket.setTimeout(stallMs);
    pump();
  };
  if (argv[0] === 'server') start(); else socket.on('connect', start);
  void track;
});
commands({});
