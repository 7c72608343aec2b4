// The Node side of the message benchmark's server, the twin of dev.jnet.message.bench.BenchServer.
//   node server.js echo|rpc ENDPOINT      prints "READY <endpoint>", runs until killed
'use strict';
const net = require('net');
const { encode, decoder, envelope, parseEnvelope, endpoint } = require('./frames');

const [mode, where] = process.argv.slice(2);

function echo(socket) {
  socket.on('data', decoder((m) => socket.write(encode(m))));
}

function rpc(socket) {
  socket.on('data', decoder((m) => {
    const e = parseEnvelope(m);
    if (e === null) {
      socket.destroy(new Error('malformed envelope'));
    } else if (e.kind === 'Q') {
      socket.write(encode(envelope('R', e.id, e.body)));
    }
  }));
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  (mode === 'rpc' ? rpc : echo)(socket);
});
const at = endpoint(where);
server.listen(at, () => {
  const a = server.address();
  console.log('READY ' + (typeof a === 'string' ? 'unix:' + a : 'tcp://' + a.address + ':' + a.port));
});
