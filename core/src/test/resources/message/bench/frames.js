// Length-prefixed framing (u32 big-endian length, then the payload) and jnet's request envelope
// (kind letter, decimal id, one space, body), as dev.jnet.message.LengthPrefixedFraming and Envelope document
// them. Shared by the benchmark's Node server and client; built-ins only.
'use strict';

function encode(payload) {
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  payload.copy(frame, 4);
  return frame;
}

// Returns a 'data' listener that calls onMessage(payload) once per whole frame.
function decoder(onMessage) {
  let pending = null;
  return (chunk) => {
    let buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
    let p = 0;
    while (buf.length - p >= 4) {
      const n = buf.readUInt32BE(p);
      if (buf.length - p - 4 < n) break;
      onMessage(buf.subarray(p + 4, p + 4 + n));
      p += 4 + n;
    }
    pending = p === buf.length ? null : buf.subarray(p);
  };
}

function envelope(kind, id, body) {
  const head = Buffer.from(kind + id + ' ', 'latin1');
  const out = Buffer.allocUnsafe(head.length + body.length);
  head.copy(out, 0);
  body.copy(out, head.length);
  return out;
}

// Returns { kind, id, body } or null if the payload is not an envelope.
function parseEnvelope(payload) {
  const space = payload.indexOf(0x20, 1);
  if (payload.length < 3 || space < 2) return null;
  const id = Number(payload.toString('latin1', 1, space));
  if (!Number.isInteger(id)) return null;
  return { kind: String.fromCharCode(payload[0]), id, body: payload.subarray(space + 1) };
}

// 'tcp://HOST:PORT' or 'unix:/path' to the options of net.connect / server.listen.
function endpoint(text) {
  if (text.startsWith('unix:')) return { path: text.slice(5) };
  const m = /^tcp:\/\/(.*):(\d+)$/.exec(text);
  if (!m) throw new Error('endpoint must be tcp://HOST:PORT or unix:/path: ' + text);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

module.exports = { encode, decoder, envelope, parseEnvelope, endpoint };
