'use strict';
// One large write() that returns false, then end() at once; the received bytes are consumed.
//   node bigend.js server|client [port] <size>      prints {"ev":"wrote","writeReturned":bool} after end()
const { emit, record, open, commands } = require('./peer.js');

const argv = process.argv.slice(2);
const size = Number(argv[0] === 'server' ? argv[1] : argv[2]);
open(argv, {}, (socket) => {
  record(socket);
  const go = () => {
    const ok = socket.write(Buffer.alloc(size, 7));
    socket.end();
    emit({ ev: 'wrote', writeReturned: ok, writableLength: socket.writableLength });
  };
  if (argv[0] === 'server') go(); else socket.on('connect', go);
});
commands({});
