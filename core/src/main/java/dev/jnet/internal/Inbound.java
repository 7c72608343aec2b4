package dev.jnet.internal;

import dev.jnet.SocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The read side of one {@link DefaultSocket}, as Node's Readable is beside its {@code net.Socket}:
 * the bytes nobody consumed yet, pause and resume, the kernel's auto-read, the dispatch of every
 * read to the data and text listeners and to the pipes, and the peer's end.
 *
 * <p>Threads: confined to the socket's loop, but for {@link #pause()} and {@link #isPaused()} (any
 * thread) and for {@link #ended()}, which other threads read.
 */
final class Inbound {
  /** Where the read side is; the phase only moves forward. */
  enum Phase {
    /** Reading. */
    OPEN,
    /** The peer's end arrived; bytes nobody consumed yet may still be queued. */
    EOF,
    /** {@code end} was emitted (Node's {@code readableEnded}). */
    ENDED
  }

  private static final DefaultSocket[] NO_PIPES = new DefaultSocket[0];

  private final DefaultSocket socket;
  private final SocketOptions options;
  private volatile Phase phase = Phase.OPEN; // written on the loop only
  private volatile boolean paused; // written on any thread
  private volatile long bytesRead; // read on any thread
  private boolean reading = true; // what the channel's auto-read was last set to
  private boolean pipeBlocked; // a pipe destination is over its high-water mark
  private boolean channelGone; // the channel closed under us: the end is a close
  private ArrayDeque<ByteBuf> inbox; // created by the first read that nobody consumes at once
  private long inboxBytes;
  private DefaultSocket[] pipes = NO_PIPES; // copy-on-write
  private TextDecoder decoder;
  private Splice splice; // the kernel moves the bytes to pipes[0]; see Splice
  private DefaultSocket unspliceable; // a destination Splice.possible refused

  Inbound(DefaultSocket socket, SocketOptions options, boolean paused) {
    this.socket = socket;
    this.options = options;
    this.paused = paused;
  }

  boolean ended() {
    return phase == Phase.ENDED;
  }

  boolean isPaused() {
    return paused;
  }

  long bytesRead() {
    return bytesRead;
  }

  /** Counts bytes the kernel spliced from this socket. Loop only. */
  void countSpliced(int n) {
    bytesRead += n;
  }

  // ---------------------------------------------------------------- from the channel

  void onRead(ByteBuf buf) {
    int n = buf.readableBytes();
    bytesRead += n;
    if (socket.life.destroyed()) {
      buf.release();
      return;
    }
    if (inboxIsEmpty() && !paused && hasConsumer()) {
      dispatch(buf);
    } else {
      if (inbox == null) {
        inbox = new ArrayDeque<>(2);
      }
      inbox.add(buf);
      inboxBytes += n;
      BufferBudget.add(n);
      if (inboxBytes >= options.highWaterMark() || BufferBudget.isPressured()) {
        updateReading();
      }
    }
  }

  void onReadComplete() {
    if (socket.life.destroyed()) {
      return;
    }
    for (DefaultSocket d : pipes) {
      if (!pipeBlocked && d.out.aboveHighWaterMark()) {
        pipeBlocked = true;
        d.out.whenDrained(() -> socket.run(this::pipeUnblocked));
      }
    }
    updateReading();
    trySplice();
  }

  private void pipeUnblocked() {
    pipeBlocked = false;
    drain();
  }

  void onEof() {
    if (splice != null && !splice.atEof()) {
      return; // the source failed reading its rest: destroyed with the error
    }
    phase = Phase.EOF;
    drain();
  }

  /**
   * The channel closed under us without an error: on transports that cannot half-close (NIO Unix
   * sockets) that is how the peer's EOF arrives. Unconsumed data is still delivered, then {@code
   * end}, then {@code close}.
   */
  void onInactive() {
    channelGone = true;
    if (phase == Phase.ENDED) {
      socket.life.destroyInternal(null);
    } else {
      phase = Phase.EOF;
      drain();
    }
  }

  // ---------------------------------------------------------------- to the listeners

  private boolean hasConsumer() {
    return pipes.length > 0
        || socket.events.has(SocketEvents.DATA)
        || socket.events.has(SocketEvents.TEXT);
  }

  private boolean inboxIsEmpty() {
    return inbox == null || inbox.isEmpty();
  }

  /** Delivers what waits while someone consumes it, then the end if it came. */
  void drain() {
    while (!paused && !socket.life.destroyed() && !inboxIsEmpty() && hasConsumer()) {
      ByteBuf b = inbox.poll();
      inboxBytes -= b.readableBytes();
      BufferBudget.add(-b.readableBytes());
      dispatch(b);
    }
    if (inboxIsEmpty() && phase == Phase.EOF && !paused && !socket.life.destroyed()) {
      emitEnd();
    }
    updateReading();
  }

  private void dispatch(ByteBuf buf) {
    boolean handedOver = false;
    try {
      SocketEvents events = socket.events;
      if (events.has(SocketEvents.DATA)) {
        events.forEach(SocketEvents.DATA, l -> deliverCopy(buf, l));
      }
      if (events.has(SocketEvents.TEXT)) {
        String text = decoder().decode(buf);
        if (!text.isEmpty()) {
          events.emit(SocketEvents.TEXT, text);
        }
      }
      DefaultSocket[] ps = pipes;
      for (int i = ps.length - 1; i >= 0; i--) {
        DefaultSocket d = ps[i];
        if (d.life.destroyed()) {
          removePipe(d);
        } else if (i == 0) {
          handedOver = true;
          d.out.writeOwned(buf);
        } else {
          d.out.writeOwned(buf.retainedDuplicate());
        }
      }
    } finally {
      if (!handedOver) {
        buf.release();
      }
    }
  }

  private void deliverCopy(ByteBuf buf, Consumer<ByteBuffer> listener) {
    ByteBuffer copy = ByteBuffer.allocate(buf.readableBytes());
    buf.getBytes(buf.readerIndex(), copy);
    copy.flip();
    socket.events.safely(() -> listener.accept(copy));
  }

  private TextDecoder decoder() {
    if (decoder == null) {
      decoder = new TextDecoder(StandardCharsets.UTF_8);
    }
    return decoder;
  }

  void setEncoding(Charset charset) {
    decoder = new TextDecoder(charset);
  }

  private void emitEnd() {
    phase = Phase.ENDED;
    Outbound out = socket.out;
    boolean autoEnd = !options.allowHalfOpen() && !out.ended();
    out.setAutoEnding(autoEnd);
    if (decoder != null && socket.events.has(SocketEvents.TEXT)) {
      String rest = decoder.finish();
      if (!rest.isEmpty()) {
        socket.events.emit(SocketEvents.TEXT, rest);
      }
    }
    socket.events.emit(SocketEvents.END);
    for (DefaultSocket d : pipes) {
      d.end();
    }
    if (channelGone) {
      socket.life.destroyInternal(null);
      return;
    }
    if (!options.allowHalfOpen() && !out.ended() && !socket.life.destroyed()) {
      out.endOnLoop();
    }
    socket.life.maybeClose();
  }

  // ---------------------------------------------------------------- flow control

  /** Sets the channel's auto-read from what the socket wants: pause, pipes, memory. */
  void updateReading() {
    Channel ch = socket.life.channel();
    if (ch == null || socket.life.destroyed() || phase != Phase.OPEN || socket.life.connecting()) {
      return;
    }
    boolean want =
        (socket.tls != null && !socket.tls.isSecure()) // the handshake reads, paused or not
            || !paused
                && !pipeBlocked
                && inboxBytes < Math.max(1, options.highWaterMark())
                && !(inboxBytes > 0
                    && BufferBudget
                        .isPressured()); // unconsumed bytes wait while the process is short
    if (splice != null) {
      // Netty reads for the splice and stops while the destination's pipe is full: jnet only
      // stops it (pause), and restarts it once the pipe is empty, or a full pipe would spin
      if (want != reading) {
        reading = want;
        if (want) {
          splice.resumeReading();
        } else {
          ch.config().setAutoRead(false);
        }
      }
      return;
    }
    if (want != reading) {
      reading = want;
      ch.config().setAutoRead(want);
    }
  }

  /** Node's {@code pause()}, on any thread. */
  void pause() {
    paused = true;
    socket.run(this::updateReading);
  }

  /**
   * Node's {@code resume()}, on any thread: data flows from a later turn, never inside the call.
   */
  void resume() {
    paused = false;
    socket.loop.execute(this::drain);
  }

  void addPipe(DefaultSocket d) {
    DefaultSocket[] ps = Arrays.copyOf(pipes, pipes.length + 1);
    ps[ps.length - 1] = d;
    pipes = ps;
    socket.loop.execute(
        () -> {
          drain();
          trySplice();
        });
  }

  // ---------------------------------------------------------------- splice

  /** Hands a lone pipe to the kernel's splice when nothing else consumes this socket. Loop only. */
  private void trySplice() {
    if (splice != null || pipes.length != 1 || pipes[0] == unspliceable || !soleConsumer()) {
      return;
    }
    DefaultSocket d = pipes[0];
    if (!Splice.possible(socket, d)) {
      unspliceable = d;
      return;
    }
    splice = Splice.tryStart(socket, d); // null while a channel is not ready: asked again later
  }

  private boolean soleConsumer() {
    return !paused
        && phase == Phase.OPEN
        && !socket.life.destroyed()
        && inboxIsEmpty()
        && !pipeBlocked
        && !socket.events.has(SocketEvents.DATA)
        && !socket.events.has(SocketEvents.TEXT);
  }

  /** Whether the socket wants to read now (not paused, no backpressure). Loop only. */
  boolean wantsToRead() {
    return reading;
  }

  /** Whether {@code s} may splice another chunk: it is still the lone consumer. Loop only. */
  boolean keepsSplicing(Splice s) {
    return splice == s && pipes.length == 1 && pipes[0] == s.destination() && soleConsumer();
  }

  /** {@code s} stopped: the copy path reads again, with the channel's auto-read as it is. */
  void spliceStopped(Splice s) {
    if (splice != s) {
      return;
    }
    splice = null;
    Channel ch = socket.life.channel();
    if (ch != null) {
      reading = ch.config().isAutoRead();
    }
    updateReading();
  }

  private void removePipe(DefaultSocket d) {
    DefaultSocket[] ps = pipes;
    for (int i = 0; i < ps.length; i++) {
      if (ps[i] == d) {
        DefaultSocket[] rest = new DefaultSocket[ps.length - 1];
        System.arraycopy(ps, 0, rest, 0, i);
        System.arraycopy(ps, i + 1, rest, i, ps.length - i - 1);
        pipes = rest.length == 0 ? NO_PIPES : rest;
        return;
      }
    }
  }

  /** Drops what nobody consumed: the socket is destroyed. */
  /** Hands the unread bytes over (to the socket that takes this one's connection). Loop only. */
  java.util.List<ByteBuf> takeUnread() {
    java.util.List<ByteBuf> out = new java.util.ArrayList<>();
    ByteBuf b;
    while (inbox != null && (b = inbox.poll()) != null) {
      out.add(b);
    }
    BufferBudget.add(-inboxBytes);
    inboxBytes = 0;
    return out;
  }

  void discard() {
    ByteBuf b;
    while (inbox != null && (b = inbox.poll()) != null) {
      b.release();
    }
    BufferBudget.add(-inboxBytes);
    inboxBytes = 0;
  }
}
