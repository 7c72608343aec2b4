package dev.jnet.message;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.Socket;
import dev.jnet.WriteCallback;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The {@link NodeChannel}: a blocking JDK {@link SocketChannel} with one reader thread that decodes
 * lines and emits every event; sends write synchronously under a lock.
 */
final class NodeChannelSocket implements MessageSocket {
  private static final byte[] NODE_INTERNAL =
      "{\"cmd\":\"NODE_".getBytes(StandardCharsets.US_ASCII);

  private final SocketChannel channel;
  private final Framing framing;
  private final Object readGate = new Object();
  private final Object writeLock = new Object();
  private final CopyOnWriteArrayList<Consumer<ByteBuffer>> messageListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Runnable> endListeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<NetException>> errorListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<Boolean>> closeListeners =
      new CopyOnWriteArrayList<>();
  private final CompletableFuture<Boolean> closed = new CompletableFuture<>();
  private volatile boolean paused;
  private volatile boolean destroyed;
  private volatile boolean ended;
  private volatile NetException destroyCause;
  private volatile Object attachment;

  NodeChannelSocket(SocketChannel channel, Framing framing) {
    this.channel = channel;
    this.framing = framing;
  }

  void start() throws IOException {
    channel.configureBlocking(true);
    Thread t = new Thread(this::readLoop, "jnet-node-channel");
    t.start();
  }

  private void readLoop() {
    Framing.Decoder decoder = framing.newDecoder();
    NetException error = null;
    try {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (awaitReadable()) {
        buf.clear();
        if (channel.read(buf) < 0) {
          decoder.finish();
          endListeners.forEach(Runnable::run);
          break;
        }
        buf.flip();
        decoder.decode(ByteBuffer.wrap(copyOf(buf)), this::deliver);
      }
    } catch (NetException e) {
      error = e;
    } catch (IOException e) {
      if (!destroyed) {
        error = NetException.of(ErrorCode.EIO, "read", "", e);
      }
    }
    finish(error != null ? error : destroyCause);
  }

  private static byte[] copyOf(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return a;
  }

  private boolean awaitReadable() {
    synchronized (readGate) {
      while (!destroyed && (paused || messageListeners.isEmpty())) {
        try {
          readGate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return !destroyed;
  }

  private void deliver(ByteBuffer message) {
    if (destroyed || isNodeInternal(message)) {
      return;
    }
    messageListeners.forEach(l -> l.accept(message.duplicate()));
  }

  static boolean isNodeInternal(ByteBuffer m) {
    if (m.remaining() < NODE_INTERNAL.length) {
      return false;
    }
    for (int i = 0; i < NODE_INTERNAL.length; i++) {
      if (m.get(m.position() + i) != NODE_INTERNAL[i]) {
        return false;
      }
    }
    return true;
  }

  private void finish(NetException error) {
    destroyed = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing: nothing left to report
    }
    if (error != null) {
      errorListeners.forEach(l -> l.accept(error));
    }
    closeListeners.forEach(l -> l.accept(error != null));
    closed.complete(error != null);
  }

  @Override
  public boolean send(ByteBuffer message) {
    return send(message, e -> {});
  }

  @Override
  public boolean send(ByteBuffer message, WriteCallback callback) {
    if (!message.hasRemaining()) {
      throw new IllegalArgumentException("Node's IPC channel cannot carry an empty message");
    }
    ByteBuffer frame = framing.encode(message);
    Optional<NetException> outcome = Optional.empty();
    synchronized (writeLock) {
      if (destroyed || ended) {
        outcome =
            Optional.of(
                NetException.of(
                    destroyed
                        ? ErrorCode.ERR_SOCKET_CLOSED
                        : ErrorCode.ERR_STREAM_WRITE_AFTER_END));
      } else {
        try {
          while (frame.hasRemaining()) {
            channel.write(frame);
          }
        } catch (IOException e) {
          outcome = Optional.of(NetException.of(ErrorCode.EPIPE, "write", "", e));
        }
      }
    }
    callback.done(outcome);
    return true;
  }

  @Override
  public boolean send(String message) {
    return send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void end() {
    synchronized (writeLock) {
      if (ended || destroyed) {
        return;
      }
      ended = true;
      try {
        channel.shutdownOutput();
      } catch (IOException e) {
        // the parent is gone; the reader sees it
      }
    }
  }

  @Override
  public void destroy() {
    destroyNow(null);
  }

  @Override
  public void destroy(NetException cause) {
    destroyNow(Objects.requireNonNull(cause, "cause"));
  }

  private void destroyNow(NetException cause) {
    synchronized (readGate) {
      if (destroyed) {
        return;
      }
      destroyCause = cause;
      destroyed = true;
      readGate.notifyAll();
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // the reader thread emits close
    }
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    synchronized (readGate) {
      paused = false;
      readGate.notifyAll();
    }
  }

  @Override
  public Optional<Socket> socket() {
    return Optional.empty();
  }

  @Override
  public Framing framing() {
    return framing;
  }

  @Override
  public void attach(Object value) {
    this.attachment = Objects.requireNonNull(value, "attachment");
  }

  @Override
  public Optional<Object> attachment() {
    return Optional.ofNullable(attachment);
  }

  @Override
  public long bufferSize() {
    return 0;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public CompletionStage<Boolean> closed() {
    return closed;
  }

  @Override
  public Registration onMessage(Consumer<ByteBuffer> listener) {
    synchronized (readGate) {
      messageListeners.add(Objects.requireNonNull(listener, "listener"));
      readGate.notifyAll();
    }
    return () -> messageListeners.remove(listener);
  }

  @Override
  public Registration onDrain(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    return () -> {};
  }

  @Override
  public Registration onEnd(Runnable listener) {
    endListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> endListeners.remove(listener);
  }

  @Override
  public Registration onError(Consumer<NetException> listener) {
    errorListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> errorListeners.remove(listener);
  }

  @Override
  public Registration onClose(Consumer<Boolean> listener) {
    closeListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> closeListeners.remove(listener);
  }
}
