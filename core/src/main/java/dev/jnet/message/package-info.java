/**
 * The message layer over jnet's streams: {@link dev.jnet.message.Framing}s that cut a byte stream
 * into messages (lines, length-prefixed frames), {@link dev.jnet.message.MessageSocket}s that send
 * and receive them, a {@link dev.jnet.message.MessageServer} with broadcast and request/reply, a
 * reconnecting {@link dev.jnet.message.MessageClient}, and {@link dev.jnet.message.NodeChannel},
 * which speaks Node's {@code child_process} IPC. Hostile input is bounded: frames have a size
 * limit, a decoder never allocates what a header announces, and slow or silent peers are cut off by
 * timeouts and backlogs.
 */
package dev.jnet.message;
