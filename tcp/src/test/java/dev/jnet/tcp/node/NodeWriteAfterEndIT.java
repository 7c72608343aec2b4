package dev.jnet.tcp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A write made inside the {@code end} listener, side by side with a real {@code node}: for each way
 * of ending, the write's result, its callback's code, the {@code error} and {@code close} events,
 * in order, and nothing emitted while the write call was still running. Node's answers come from
 * {@code node/writeafterend.js}, run now.
 */
class NodeWriteAfterEndIT {
  private static final String[][] SCENARIOS = {
    {"peerEndsFirst", "false", "false"},
    {"weEndFirst", "false", "true"},
    {"halfOpenWeEndFirst", "true", "true"},
  };

  @Test
  void aWriteInsideTheEndListenerIsAnsweredAsNodeAnswersIt() throws Exception {
    Map<String, String> node = nodeAnswers();
    for (String[] s : SCENARIOS) {
      assertThat(jnet(Boolean.parseBoolean(s[1]), Boolean.parseBoolean(s[2])))
          .as("scenario " + s[0] + " (Node: " + node.get(s[0]) + ")")
          .isEqualTo(node.get(s[0]));
    }
  }

  private static Map<String, String> nodeAnswers() throws Exception {
    Path script = Path.of("target/test-classes/node/writeafterend.js").toAbsolutePath();
    Process p;
    try {
      p = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      assumeThat(false).as("node is not on the PATH: " + e.getMessage()).isTrue();
      throw e;
    }
    Map<String, String> answers = new LinkedHashMap<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        int at = line.indexOf("\"log\":");
        String name = line.substring(line.indexOf(":\"") + 2, line.indexOf("\","));
        answers.put(name, line.substring(at + 6, line.length() - 1).replace("\"", ""));
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(answers).as("node's output").hasSize(SCENARIOS.length);
    return answers;
  }

  /**
   * The same scenario with jnet: the accepted socket plays the part of Node's client, so that its
   * listeners are registered on its I/O thread before any event can happen; the client plays the
   * part of Node's server.
   */
  private static String jnet(boolean halfOpen, boolean weEndFirst) throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> done = new CompletableFuture<>();
    Server server =
        Net.createServer(
            ServerOptions.defaults().withAllowHalfOpen(halfOpen),
            s -> {
              boolean[] inCall = new boolean[1];
              s.onData(b -> {});
              s.onError(e -> log.add((inCall[0] ? "inside:" : "") + "error:" + e.code()));
              s.onClose(
                  hadError -> {
                    log.add((inCall[0] ? "inside:" : "") + "close:" + hadError);
                    done.complete(String.valueOf(log).replace(" ", ""));
                  });
              s.onEnd(
                  () -> {
                    inCall[0] = true;
                    boolean r =
                        s.write(
                            ByteBuffer.wrap("late".getBytes(StandardCharsets.UTF_8)),
                            err ->
                                log.add(
                                    (inCall[0] ? "inside:" : "")
                                        + "cb:"
                                        + err.map(e -> e.code().toString()).orElse("ok")));
                    inCall[0] = false;
                    log.add("returned:" + r);
                  });
              if (weEndFirst) {
                s.end();
              }
            });
    server
        .listen(Endpoint.parse("tcp://127.0.0.1:0"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    try {
      Socket peer = Net.createConnection(server.address().orElseThrow(), SocketOptions.defaults());
      peer.onData(b -> {});
      if (!weEndFirst) {
        peer.end(); // else the peer ends back on our end (allowHalfOpen false)
      }
      return done.get(10, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
  }
}
