package dev.jnet.examples;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Socket;

/**
 * A connection to a port nobody listens on, and the error it gets, as {@code node/refused.js}: the
 * same code, system call and message as Node's.
 *
 * <p>Run: {@code java -cp ... dev.jnet.examples.Refused PORT}.
 */
public final class Refused {
  private Refused() {}

  /**
   * Runs the example.
   *
   * @param args the port
   */
  public static void main(String[] args) {
    Socket client = Net.createConnection(Endpoint.parse("tcp://127.0.0.1:" + args[0]));
    client.onConnect(() -> System.out.println("connected?"));
    client.onError(
        e ->
            System.out.println(
                "error " + e.code() + " " + e.syscall().orElse("?") + ": " + e.getMessage()));
    client.onClose(hadError -> System.out.println("close hadError=" + hadError));
  }
}
