// QuickStart.java in Node: an echo server and a client that sends "hello", prints the echo and closes the server.
// node quickstart.js [PORT]   (0 picks a free one)
'use strict';
const net = require('net');

const server = net.createServer((socket) => socket.pipe(socket)); // an echo server
server.listen(Number(process.argv[2] || 7000), '127.0.0.1', () => {
  const client = net.createConnection(server.address().port, '127.0.0.1');
  client.setEncoding('utf8');
  client.on('data', (text) => process.stdout.write(text)); // "hello"
  client.on('error', (e) => console.error(e.message));
  client.on('close', () => server.close());
  client.end('hello'); // write, then FIN
});
