'use strict';
// A reader that does not read until told: the server takes its connection with pauseOnConnect, the client
// pause()s at once. Command "resume" starts consuming; 'end' then reports the bytes and their SHA-256.
//   node reader.js server | node reader.js client <port>
const { emit, record, open, commands } = require('./peer.js');

const argv = process.argv.slice(2);
let track;
let sock;
open(argv, { pauseOnConnect: true }, (socket) => {
  sock = socket;
  socket.pause();
  track = record(socket, false);
});
commands({
  resume: () => {
    emit({ ev: 'resuming', bytesRead: sock.bytesRead });
    track.consume();
  },
});
