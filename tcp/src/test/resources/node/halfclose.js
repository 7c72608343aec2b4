'use strict';
// Half-close.
//   node halfclose.js server|client [port] <allowHalfOpen> first              write "request" and end() at once
//   node halfclose.js server|client [port] <allowHalfOpen> reply <seed> <size> after the peer's 'end', write
//                                      payload(seed, size), then end() (with allowHalfOpen false, Node ends itself)
const { emit, payload, record, open, commands } = require('./peer.js');

const argv = process.argv.slice(2);
const rest = argv[0] === 'server' ? argv.slice(1) : argv.slice(2);
const allowHalfOpen = rest[0] === 'true';
const mode = rest[1];
open(argv, { allowHalfOpen }, (socket) => {
  record(socket);
  const start = () => {
    if (mode === 'first') {
      socket.write('request');
      socket.end();
      emit({ ev: 'ended', readyState: socket.readyState });
    }
  };
  if (argv[0] === 'server') start(); else socket.on('connect', start);
  if (mode === 'reply') {
    const data = payload(Number(rest[2]), Number(rest[3]));
    socket.on('end', () => {
      const ok = socket.write(data);
      emit({ ev: 'replied', bytes: data.length, writeReturned: ok, readyState: socket.readyState });
      if (allowHalfOpen) socket.end();
    });
  }
});
commands({});
