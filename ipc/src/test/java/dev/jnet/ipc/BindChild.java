package dev.jnet.ipc;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Server;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A jnet server in a process of its own, for {@link SafeBindHostileTest}: {@code listen-exit PATH}
 * listens, prints {@code listening} and exits without closing (the exit hook must remove the file);
 * {@code cycle N PATH} listens and closes N times, printing {@code up I} after each listen; {@code
 * probe PATH} listens and prints the file's mode, what a client reads and the directory's names;
 * {@code race PATH} prints {@code ready}, listens when a line arrives on stdin, prints {@code
 * listening} or {@code error CODE}, and serves until stdin ends. A failed listen prints {@code
 * error CODE message} and exits 3.
 */
public final class BindChild {
  private BindChild() {}

  /**
   * Runs the child.
   *
   * @param args the mode and its arguments
   * @throws Exception on an unexpected failure
   */
  public static void main(String[] args) throws Exception {
    Endpoint ep = new Endpoint.Unix(args[args.length - 1], false);
    try {
      if (args[0].equals("listen-exit")) {
        listen(ep);
        System.out.println("listening");
      } else if (args[0].equals("race")) {
        race(ep);
      } else if (args[0].equals("probe")) {
        probe(listen(ep), Path.of(args[1]));
      } else {
        int n = Integer.parseInt(args[1]);
        for (int i = 1; i <= n; i++) {
          Server s = listen(ep);
          System.out.println("up " + i);
          s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NetException n) {
        System.out.println("error " + n.code() + " " + n.getMessage());
        System.out.flush();
        System.exit(3);
      }
      throw e;
    }
    System.out.flush();
    System.exit(0);
  }

  /** Waits for "go" on stdin, listens, prints the outcome, serves until stdin ends. */
  private static void race(Endpoint ep) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    System.out.flush();
    in.readLine();
    Server s = Net.createServer(sock -> sock.end("pid " + ProcessHandle.current().pid()));
    try {
      s.listen(ep).toCompletableFuture().get(20, TimeUnit.SECONDS);
      System.out.println("listening");
    } catch (ExecutionException e) {
      System.out.println("error " + ((NetException) e.getCause()).code());
    }
    System.out.flush();
    while (in.readLine() != null) {
      // serves until the parent closes stdin
    }
    if (s.isListening()) {
      s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Prints the file's mode, what a client reads, and what the directory holds while listening. */
  private static void probe(Server s, Path p) throws Exception {
    System.out.println(
        "mode " + Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode")));
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
      ByteBuffer b = ByteBuffer.allocate(16);
      while (c.read(b) >= 0) {
        // until the server's end
      }
      System.out.println("read " + new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
    }
    try (Stream<Path> files = Files.list(p.getParent())) {
      System.out.println("files " + files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * The command line of a child JVM running this class under this JVM's engine.
   *
   * @param classPath the class path
   * @param jvmArgs extra JVM options
   * @param args the child's arguments
   * @return the command
   */
  static List<String> command(String classPath, List<String> jvmArgs, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-Djnet.transport=" + Net.engine()));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", classPath, BindChild.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static Server listen(Endpoint ep) throws Exception {
    Server s = Net.createServer(sock -> sock.end("hello"));
    s.listen(ep).toCompletableFuture().get(20, TimeUnit.SECONDS);
    return s;
  }
}
