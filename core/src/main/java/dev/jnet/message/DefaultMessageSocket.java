package dev.jnet.message;

import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.Socket;
import dev.jnet.WriteCallback;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link MessageSocket} over a jnet {@link Socket}: decodes on the socket's I/O thread. A decoder
 * that fails in any way (a limit, a bug, an {@code Error} such as {@code OutOfMemoryError})
 * destroys the connection with an error: its place in the stream is lost, so it never reads on. A
 * message listener that throws a {@code RuntimeException} is logged and costs nothing else: the
 * decoder has already moved past that message, and the other listeners and messages follow; one
 * that throws an {@code Error} destroys the connection with an error.
 */
final class DefaultMessageSocket implements MessageSocket {
  private final Socket socket;
  private final Framing framing;
  private final Framing.Decoder decoder;
  private final CopyOnWriteArrayList<Consumer<ByteBuffer>> messageListeners =
      new CopyOnWriteArrayList<>();
  private volatile Object attachment;
  private final FrameTimeouts timeouts;
  private final HeartbeatTimer heartbeat;
  private boolean reading;
  private boolean failed;
  private long delivered;

  DefaultMessageSocket(Socket socket, Framing framing, Heartbeat heartbeat) {
    this(socket, framing, null, heartbeat);
  }

  /** A server's connection: {@code options} starts its deadlines and its heartbeat. */
  DefaultMessageSocket(Socket socket, Framing framing, MessageServerOptions options) {
    this(socket, framing, options, options.heartbeat());
  }

  private DefaultMessageSocket(
      Socket socket, Framing framing, MessageServerOptions options, Heartbeat heartbeat) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.framing = Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(heartbeat, "heartbeat");
    if (heartbeat.isOn()) {
      HeartbeatTimer.emptyFrame(framing); // refuses a framing without one, before any timer
    }
    this.decoder = framing.newDecoder();
    socket.onEnd(this::onSocketEnd);
    this.timeouts =
        options == null
            ? null
            : FrameTimeouts.start(socket, options.firstFrameTimeout(), options.frameTimeout());
    this.heartbeat = HeartbeatTimer.start(socket, framing, heartbeat);
  }

  /**
   * Refuses an empty message while the heartbeat is on: the peer would take it for a heartbeat and
   * never deliver it.
   */
  static void checkNotHeartbeat(ByteBuffer message, boolean heartbeatOn) {
    if (heartbeatOn && !message.hasRemaining()) {
      throw new IllegalArgumentException(
          "an empty message is the heartbeat frame while the heartbeat is on; it would not be"
              + " delivered");
    }
  }

  private void onSocketData(ByteBuffer chunk) {
    if (failed) {
      return;
    }
    if (heartbeat != null) {
      heartbeat.received();
    }
    long before = delivered;
    try {
      decoder.decode(chunk, this::deliver);
    } catch (NetException e) {
      fail(e);
    } catch (RuntimeException | Error e) {
      fail(MessageErrors.decoderFailed(e));
    }
    if (timeouts != null && !failed) {
      timeouts.afterRead(delivered != before, decoder.hasPartialFrame());
    }
  }

  private void deliver(ByteBuffer message) {
    if (failed || (heartbeat != null && !message.hasRemaining())) {
      return; // a heartbeat: it counted as a received byte, it is no message
    }
    delivered++;
    boolean shared = messageListeners.size() == 1;
    for (Consumer<ByteBuffer> l : messageListeners) {
      try {
        l.accept(shared ? message : message.duplicate());
      } catch (RuntimeException e) {
        MessageErrors.listenerThrew(this, e);
      } catch (Error e) {
        fail(MessageErrors.listenerFailed(e));
        return;
      }
    }
  }

  private void onSocketEnd() {
    if (failed) {
      return;
    }
    try {
      decoder.finish();
    } catch (NetException e) {
      fail(e);
    } catch (RuntimeException | Error e) {
      fail(MessageErrors.decoderFailed(e));
    }
  }

  private void fail(NetException e) {
    if (!failed) {
      failed = true;
      socket.destroy(e);
    }
  }

  @Override
  public boolean send(ByteBuffer message) {
    checkSendable(message);
    return socket.write(framing.encode(message));
  }

  @Override
  public boolean send(ByteBuffer message, WriteCallback callback) {
    checkSendable(message);
    return socket.write(framing.encode(message), callback);
  }

  @Override
  public boolean send(String message) {
    return send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
  }

  private void checkSendable(ByteBuffer message) {
    checkNotHeartbeat(message, heartbeat != null);
  }

  @Override
  public void end() {
    if (heartbeat != null) {
      heartbeat.ending();
    }
    socket.end();
  }

  @Override
  public void destroy() {
    socket.destroy();
  }

  @Override
  public void destroy(NetException cause) {
    socket.destroy(cause);
  }

  @Override
  public void pause() {
    if (heartbeat != null) {
      heartbeat.paused(true);
    }
    socket.pause();
  }

  @Override
  public void resume() {
    if (heartbeat != null) {
      heartbeat.paused(false);
    }
    socket.resume();
  }

  @Override
  public Optional<Socket> socket() {
    return Optional.of(socket);
  }

  @Override
  public Framing framing() {
    return framing;
  }

  @Override
  public void attach(Object attachment) {
    this.attachment = Objects.requireNonNull(attachment, "attachment");
  }

  @Override
  public Optional<Object> attachment() {
    return Optional.ofNullable(attachment);
  }

  @Override
  public long bufferSize() {
    return socket.bufferSize();
  }

  @Override
  public boolean isDestroyed() {
    return socket.isDestroyed();
  }

  @Override
  public CompletionStage<Boolean> closed() {
    return socket.closed();
  }

  @Override
  public Registration onMessage(Consumer<ByteBuffer> listener) {
    messageListeners.add(Objects.requireNonNull(listener, "listener"));
    synchronized (this) {
      if (!reading) {
        reading = true;
        if (heartbeat != null) {
          heartbeat.reading();
        }
        socket.onData(this::onSocketData);
      }
    }
    return () -> messageListeners.remove(listener);
  }

  @Override
  public Registration onDrain(Runnable listener) {
    return socket.onDrain(listener);
  }

  @Override
  public Registration onEnd(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    return socket.onEnd(
        () -> {
          if (!failed) {
            listener.run();
          }
        });
  }

  @Override
  public Registration onError(Consumer<NetException> listener) {
    return socket.onError(listener);
  }

  @Override
  public Registration onClose(Consumer<Boolean> listener) {
    return socket.onClose(listener);
  }

  @Override
  public String toString() {
    return "MessageSocket["
        + framing
        + ", "
        + socket.remoteAddress().map(Object::toString).orElse("?")
        + "]";
  }
}
