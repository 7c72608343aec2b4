// A Node parent that starts a Java child with an IPC channel (JSON serialization) and talks to it with
// child.send() / child.on('message'). Used by NodeChannelIT; also the README's runnable example:
//
//   node node-parent.js <java> <classpath> [dev.jnet.message.NodeChildExample]
//
// The channel must be the child's fd 0 (stdio[0] = 'ipc'): see dev.jnet.message.NodeChannel.
'use strict';
const { spawn } = require('child_process');

const [java, classpath, main = 'dev.jnet.message.NodeChildExample'] = process.argv.slice(2);
const child = spawn(java, ['-cp', classpath, main], {
  stdio: ['ipc', 'inherit', 'inherit'],
  serialization: 'json',
});

const got = [];
const sent = [{ n: 1, text: 'héllo' }, { cmd: 'NODE_NOT_FOR_THE_APP' }, [1, 2, 3], 'plain string', { n: 2 }];
child.on('message', (m) => {
  got.push(m);
  if (m && m.ready) {
    for (const s of sent) child.send(s);
  }
  if (got.length === 5) {
    child.disconnect();
  }
});
child.on('exit', (code) => {
  const wanted = [
    { ready: true, pid: child.pid },
    { echo: { n: 1, text: 'héllo' }, count: 1 },
    { echo: [1, 2, 3], count: 2 },
    { echo: 'plain string', count: 3 },
    { echo: { n: 2 }, count: 4 },
  ];
  const ok = code === 0 && JSON.stringify(got) === JSON.stringify(wanted);
  console.log(ok ? 'OK' : 'MISMATCH ' + JSON.stringify({ code, got, wanted }));
  process.exitCode = ok ? 0 : 1;
});
