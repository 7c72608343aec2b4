// HalfClose.java in Node: a server that reads until the client's end, then answers and ends its own side.
// node half-close.js
'use strict';
const net = require('net');

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  let got = 0;
  socket.on('data', (chunk) => (got += chunk.length));
  socket.on('end', () => socket.end(`got ${got} bytes\n`)); // the client ended: we may still write
});
server.listen(0, '127.0.0.1', () => {
  const client = net.createConnection({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
  client.setEncoding('utf8');
  client.on('data', (text) => process.stdout.write(text));
  client.on('end', () => console.log('server ended'));
  client.on('close', (hadError) => {
    console.log(`closed, hadError=${hadError}`);
    server.close();
  });
  client.end('hello'); // FIN after "hello"; the answer still comes
});
