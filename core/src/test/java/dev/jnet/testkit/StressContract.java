package dev.jnet.testkit;

import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stress mode of the data path: every scenario repeats with random write sizes, random delays
 * injected on the I/O thread (listeners that park) and on the caller's thread, and checks every
 * byte with a digest and every write order with sequence numbers. Half-close is part of the
 * contract on every transport and engine here: a transport that lacks it fails these scenarios
 * rather than skipping them. The short mode runs in every build; {@code -Pstress} repeats it many
 * times with larger transfers. A failure names its seed ({@code -Djnet.stress.seed}).
 */
@Tag("stress")
public abstract class StressContract extends StressSupport {
  private static final int BULK = 1 << 20;

  @Test
  void writesQueuedWhileConnectingGoBeforeWritesFromTheConnectListener() {
    repeat("order-connect", chaos -> writeOrder(chaos, true));
  }

  @Test
  void writesFromSeveralThreadsAndListenersKeepTheirOrder() {
    repeat("order-threads", chaos -> writeOrder(chaos, false));
  }

  private void writeOrder(Chaos chaos, boolean whileConnecting) {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              s.write("go"); // a data event on the client, whose listener writes too
            });
    Sequenced seq = new Sequenced(chaos.nextInt(Integer.MAX_VALUE));
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    Chaos io = chaos.delayIoThread(client);
    client.onConnect(() -> seq.write(client, "connect-listener", io.writeSize(4096)));
    client.onReady(() -> seq.write(client, "ready-listener", io.writeSize(4096)));
    client.onData(b -> seq.write(client, "data-listener", io.writeSize(4096)));
    client.onDrain(() -> seq.write(client, "drain-listener", io.writeSize(4096)));
    if (whileConnecting) {
      seq.write(client, "caller-while-connecting", chaos.writeSize(4096));
      seq.write(client, "caller-while-connecting", chaos.writeSize(4096));
    } else {
      events.await("ready", WAIT);
    }
    Chaos other = chaos.fork();
    Thread second = actor("second-writer", () -> writeSome(seq, client, "second-thread", other));
    writeSome(seq, client, "caller", chaos);
    join(second);
    events.await("data", WAIT);
    seq.end(client);
    Accepted peer = take(accepted);
    peer.events().await("end", WAIT);
    events.awaitClose().assertInvariants();
    peer.events().awaitClose().assertInvariants();
    seq.assertReceived(peer.events().data());
  }

  private static void writeSome(Sequenced seq, Socket socket, String who, Chaos chaos) {
    int n = 5 + chaos.nextInt(20);
    for (int i = 0; i < n; i++) {
      seq.write(socket, who, chaos.writeSize(32 * 1024));
      chaos.maybeDelay();
    }
  }

  @Test
  void aServersWritesThenEndReachAClientThatReadsWithDelays() {
    repeat(
        "bulk-down",
        chaos -> {
          byte[] down = new byte[size(BULK) + chaos.nextInt(4096)];
          chaos.fill(down);
          Chaos writer = chaos.fork();
          LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
          Server server =
              listen(
                  ServerOptions.defaults(),
                  s -> {
                    accepted.add(new Accepted(s, EventRecorder.record(s)));
                    writer.delayIoThread(s);
                    pump(s, down, writer);
                  });
          Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
          EventRecorder events = EventRecorder.record(client);
          chaos.delayIoThread(client);
          Thread toggler = actor("pause-resume", () -> pauseAndResume(client, chaos.fork()));
          join(toggler);
          take(accepted).events().awaitClose().assertSequenceIgnoringDrain("end", "close:false");
          events
              .awaitClose()
              .assertSequenceIgnoringDrain("connect", "ready", "data", "end", "close:false");
          assertSameBytes("server to client, " + down.length + " bytes", events.data(), down);
        });
  }

  @Test
  void aClientsWritesThenEndReachAServerThatReadsWithDelays() {
    repeat(
        "bulk-up",
        chaos -> {
          byte[] up = new byte[size(BULK) + chaos.nextInt(4096)];
          chaos.fill(up);
          LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
          Chaos reader = chaos.fork();
          Server server =
              listen(
                  ServerOptions.defaults(),
                  s -> {
                    reader.delayIoThread(s);
                    accepted.add(new Accepted(s, EventRecorder.record(s)));
                  });
          Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
          EventRecorder events = EventRecorder.record(client);
          chaos.delayIoThread(client);
          pump(client, up, chaos.fork());
          Accepted peer = take(accepted);
          pauseAndResume(peer.socket(), chaos.fork());
          peer.events().awaitClose().assertSequenceIgnoringDrain("data", "end", "close:false");
          events.awaitClose().assertSequenceIgnoringDrain("connect", "ready", "end", "close:false");
          assertSameBytes("client to server, " + up.length + " bytes", peer.events().data(), up);
        });
  }

  private static void pauseAndResume(Socket socket, Chaos chaos) {
    int n = chaos.nextInt(4);
    for (int i = 0; i < n; i++) {
      chaos.maybeDelay();
      socket.pause();
      chaos.maybeDelay();
      socket.resume();
    }
  }

  @Test
  void anEchoKeepsWritingAfterItsPeerHalfCloses() {
    repeat(
        "echo-half-close",
        chaos -> {
          Server echo =
              listen(
                  ServerOptions.defaults().withAllowHalfOpen(true),
                  s -> {
                    chaos.fork().delayIoThread(s);
                    s.pipe(s);
                  });
          halfCloseRoundTrip(echo, chaos);
        });
  }

  @Test
  void aRelayKeepsEveryByteWhenItsClientHalfCloses() {
    repeat(
        "relay-half-close",
        chaos -> {
          Server echo = listen(ServerOptions.defaults().withAllowHalfOpen(true), s -> s.pipe(s));
          Server relay =
              listen(
                  ServerOptions.defaults().withAllowHalfOpen(true),
                  in -> {
                    chaos.fork().delayIoThread(in);
                    Socket out =
                        connect(
                            echo.address().orElseThrow(),
                            SocketOptions.defaults().withAllowHalfOpen(true));
                    in.pipe(out);
                    out.pipe(in);
                  });
          halfCloseRoundTrip(relay, chaos);
        });
  }

  @Test
  void aServerWritesEverythingToAClientThatHalfClosedAtOnce() {
    repeat(
        "write-to-half-closed",
        chaos -> {
          byte[] down = new byte[size(BULK) + chaos.nextInt(4096)];
          chaos.fill(down);
          Chaos writer = chaos.fork();
          LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
          Server server =
              listen(
                  ServerOptions.defaults().withAllowHalfOpen(true),
                  s -> {
                    accepted.add(new Accepted(s, EventRecorder.record(s)));
                    writer.delayIoThread(s);
                    pump(s, down, writer);
                  });
          Socket client =
              connect(
                  server.address().orElseThrow(), SocketOptions.defaults().withAllowHalfOpen(true));
          EventRecorder events = EventRecorder.record(client);
          chaos.delayIoThread(client);
          client.end();
          Accepted peer = take(accepted);
          peer.events().awaitClose().assertSequenceIgnoringDrain("end", "close:false");
          events
              .awaitClose()
              .assertSequenceIgnoringDrain("connect", "ready", "data", "end", "close:false");
          assertSameBytes(
              "server to a half-closed client, " + down.length + " bytes", events.data(), down);
        });
  }

  private void halfCloseRoundTrip(Server server, Chaos chaos) {
    byte[] up = new byte[size(BULK) + chaos.nextInt(4096)];
    chaos.fill(up);
    Socket client =
        connect(server.address().orElseThrow(), SocketOptions.defaults().withAllowHalfOpen(true));
    EventRecorder events = EventRecorder.record(client);
    chaos.delayIoThread(client);
    pump(client, up, chaos.fork());
    events
        .awaitClose()
        .assertSequenceIgnoringDrain("connect", "ready", "data", "end", "close:false");
    assertSameBytes("echoed after our half-close, " + up.length + " bytes", events.data(), up);
  }
}
