package dev.jnet.cli.session;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.cli.dump.TlsReport;
import dev.jnet.cli.spec.ConnectSpec;
import dev.jnet.cli.system.QuickExit;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsSocket;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ExecutionException;

/**
 * Runs one {@code jnet connect}: connects, then a {@link Conversation} between the socket and
 * stdin/stdout.
 */
public final class ConnectSession {
  private final ConnectSpec spec;
  private final PrintWriter err;
  private final TlsOptions tls; // null for plain text

  /**
   * A plain-text session.
   *
   * @param spec the command
   * @param err where messages go
   */
  public ConnectSession(ConnectSpec spec, PrintWriter err) {
    this(spec, err, null);
  }

  /**
   * A session, over TLS when {@code tls} is given.
   *
   * @param spec the command
   * @param err where messages go
   * @param tls the TLS options, or null
   */
  public ConnectSession(ConnectSpec spec, PrintWriter err, TlsOptions tls) {
    this.spec = spec;
    this.err = err;
    this.tls = tls;
  }

  /**
   * Connects, copies both ways, and waits for the end.
   *
   * @return the exit code
   * @throws NetException if connecting failed or the connection broke
   * @throws dev.jnet.cli.spec.CommandFailure if the peer did not end within the linger bound
   */
  public int run() throws Exception {
    FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
    QuickExit.register(stdin);
    return run(stdin, new FileOutputStream(FileDescriptor.out).getChannel());
  }

  /**
   * Runs the session over the given channels instead of stdin and stdout.
   *
   * @param in what to send
   * @param out where what arrives goes
   * @return the exit code
   * @throws NetException if connecting failed or the connection broke
   * @throws dev.jnet.cli.spec.CommandFailure if the peer did not end within the linger bound
   */
  public int run(ReadableByteChannel in, WritableByteChannel out) throws Exception {
    return run(in, "stdin", out);
  }

  /**
   * Runs the session over the given channels, naming the input in an error message.
   *
   * @param in what to send
   * @param inName what it is: {@code stdin}, a path
   * @param out where what arrives goes
   * @return the exit code
   * @throws NetException if connecting failed or the connection broke
   * @throws dev.jnet.cli.spec.CommandFailure if the peer did not end within the linger bound
   */
  public int run(ReadableByteChannel in, String inName, WritableByteChannel out) throws Exception {
    SocketOptions options = spec.socketOptions();
    Socket socket =
        tls == null
            ? Net.createConnection(spec.endpoint(), options)
            : Tls.connect(spec.endpoint(), options, tls);
    Conversation conversation =
        new Conversation(spec.settings(), err, 1, spec.endpoint().address());
    conversation.endWhenThePeerEndedAndTheInputIsQuiet();
    conversation.attach(socket, out);
    conversation.send(in, inName);
    awaitConnected(socket);
    if (socket instanceof TlsSocket t) {
      awaitSecure(t);
      if (spec.verbose() || !t.isAuthorized()) {
        TlsReport.handshake(t).forEach(err::println);
        err.flush();
      }
    }
    if (spec.verbose()) {
      err.println(
          "jnet: connected to "
              + socket.remoteAddress().orElse(spec.endpoint()).address()
              + " from "
              + socket.localAddress().map(Endpoint::address).orElse("?")
              + " ("
              + Net.engine()
              + ")");
      err.flush();
    }
    return conversation.await();
  }

  private static void awaitSecure(TlsSocket socket) throws Exception {
    try {
      socket.secureConnected().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void awaitConnected(Socket socket) throws Exception {
    try {
      socket.connected().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
