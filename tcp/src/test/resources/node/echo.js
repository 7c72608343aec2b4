'use strict';
// Echo integrity.
//   node echo.js server                               echo every byte back (socket.pipe(socket))
//   node echo.js client <port> <seed> <size> <maxChunk>  send payload(seed, size) in random chunks, honouring
//                                                     backpressure, then end(); prints {"ev":"sent",...}
const { emit, payload, sha256, record, open, commands, writePaced } = require('./peer.js');

const argv = process.argv.slice(2);
open(argv, { allowHalfOpen: false }, (socket) => {
  record(socket);
  if (argv[0] === 'server') {
    socket.pipe(socket);
    return;
  }
  const [, , seed, size, maxChunk] = argv.map(Number);
  const data = payload(seed, size);
  socket.on('connect', () => {
    writePaced(socket, data, seed, maxChunk, (falses) => {
      socket.end();
      emit({ ev: 'sent', bytes: data.length, sha256: sha256(data), falseWrites: falses });
    });
  });
});
commands({});
