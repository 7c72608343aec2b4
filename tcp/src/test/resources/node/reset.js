'use strict';
// Resets.
//   node reset.js server|client [port] reset   resetAndDestroy() when the first data arrives
//   node reset.js client <port> hello          write "hello" once connected, then just record events
//   node reset.js server hello                 write "hello" when the first data arrives (so the client has set up
//                                              its listeners), then just record events
const { emit, record, open, commands } = require('./peer.js');

const argv = process.argv.slice(2);
const mode = argv[0] === 'server' ? argv[1] : argv[2];
open(argv, {}, (socket) => {
  record(socket);
  if (mode === 'reset') {
    socket.once('data', () => {
      socket.resetAndDestroy();
      emit({ ev: 'reset' });
    });
  } else if (argv[0] === 'server') {
    socket.once('data', () => socket.write('hello'));
  } else {
    socket.on('connect', () => socket.write('hello'));
  }
});
commands({});
