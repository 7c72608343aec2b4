package dev.jnet.ipc.internal.pipe;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Socket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A {@code pipe:} client in a process of its own for {@link FifoPoolHostileTest}: connects a few
 * times in a row to {@code args[0]} (so its {@link FifoPool} makes pairs ahead), prints {@code
 * STOCKED n}, then waits for a line on stdin: {@code EXIT} exits normally (shutdown hooks run); the
 * test kills it otherwise.
 */
public final class PoolChild {
  private PoolChild() {}

  /**
   * Runs the child.
   *
   * @param args the server's directory
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    for (int i = 0; i < 4; i++) {
      Socket s = Net.createConnection(new Endpoint.Pipe(dir.toString()));
      s.connected().toCompletableFuture().get(10, TimeUnit.SECONDS);
      s.destroy();
      s.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.out.println("STOCKED " + FifoPool.SHARED.stocked(dir));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if ("EXIT".equals(in.readLine())) {
      System.exit(0);
    }
  }
}
