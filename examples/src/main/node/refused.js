// Refused.java in Node: a connection to a port nobody listens on, and the error it gets.
// node refused.js PORT
'use strict';
const net = require('net');

const client = net.createConnection(Number(process.argv[2]), '127.0.0.1');
client.on('connect', () => console.log('connected?'));
client.on('error', (e) => console.log(`error ${e.code} ${e.syscall}: ${e.message}`));
client.on('close', (hadError) => console.log(`close hadError=${hadError}`));
