package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Server;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCM_RIGHTS over {@link DescriptorChannel}: open files and a server's listening socket cross with
 * their bytes.
 */
class DescriptorPassingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;

  /** Opens a connected pair through a rendezvous path. */
  private DescriptorChannel[] pair() throws Exception {
    Endpoint.Unix ep = new Endpoint.Unix(dir.resolve("pass.sock").toString(), false);
    CompletableFuture<DescriptorChannel> accepted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return DescriptorChannel.acceptOne(ep, WAIT);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    DescriptorChannel client = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (client == null) {
      try {
        client = DescriptorChannel.connect(ep);
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait(); // the other side has not bound yet
      }
    }
    return new DescriptorChannel[] {client, accepted.get(10, TimeUnit.SECONDS)};
  }

  @Test
  void anOpenFileCrossesWithItsBytesAndReadsTheSameContent() throws Exception {
    Path file = dir.resolve("data.txt");
    Files.writeString(file, "passed along");
    DescriptorChannel[] p = pair();
    try (DescriptorChannel a = p[0];
        DescriptorChannel b = p[1];
        FileInputStream in = new FileInputStream(file.toFile())) {
      a.send(ByteBuffer.wrap("file".getBytes(StandardCharsets.US_ASCII)), in.getFD());
      DescriptorChannel.Received r = b.receive(64, WAIT);
      assertThat(new String(r.data(), StandardCharsets.US_ASCII)).isEqualTo("file");
      assertThat(r.descriptors()).hasSize(1);
      int n = DescriptorChannel.number(r.descriptors().get(0));
      assertThat(n).isNotEqualTo(DescriptorChannel.number(in.getFD()));
      try (FileInputStream got = new FileInputStream(r.descriptors().get(0))) {
        assertThat(new String(got.readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("passed along");
      }
    }
  }

  @Test
  void aWritableFileReceivedIsAppendedToByTheReceiver() throws Exception {
    Path file = dir.resolve("log.txt");
    DescriptorChannel[] p = pair();
    try (DescriptorChannel a = p[0];
        DescriptorChannel b = p[1];
        FileOutputStream out = new FileOutputStream(file.toFile())) {
      out.write("sender;".getBytes(StandardCharsets.US_ASCII));
      a.send(ByteBuffer.wrap(new byte[] {1}), out.getFD());
      FileDescriptor fd = b.receive(8, WAIT).descriptors().get(0);
      try (FileOutputStream theirs = new FileOutputStream(fd)) {
        theirs.write("receiver".getBytes(StandardCharsets.US_ASCII));
      }
    }
    assertThat(Files.readString(file)).isEqualTo("sender;receiver");
  }

  @Test
  void sendingNeedsAtLeastOneByte() throws Exception {
    DescriptorChannel[] p = pair();
    try (DescriptorChannel a = p[0];
        DescriptorChannel b = p[1]) {
      assertThatThrownBy(() -> a.send(ByteBuffer.allocate(0), FileDescriptor.in))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "a server's socket can be passed on only under epoll (ENOTSUP under NIO, tested below)")
  void aServersListeningSocketAcceptsInTheReceiversHands() throws Exception {
    Endpoint.Unix name = new Endpoint.Unix("jnet-pass-" + ProcessHandle.current().pid(), true);
    Server server = Net.createServer(s -> s.end("from jnet"));
    server.listen(name).toCompletableFuture().get(10, TimeUnit.SECONDS);
    DescriptorChannel[] p = pair();
    try (DescriptorChannel a = p[0];
        DescriptorChannel b = p[1]) {
      a.send(ByteBuffer.wrap(new byte[] {1}), DescriptorChannel.listenerOf(server));
      FileDescriptor received = b.receive(8, WAIT).descriptors().get(0);
      server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // The jnet server closed its copy; the received copy still listens on the same name.
      Server second = Net.createServer(s -> s.end("second"));
      second
          .listen(new Endpoint.Fd(DescriptorChannel.number(received)))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(second.address()).contains(name);
      try (var c = new JunixPeer().connect(name)) {
        assertThat(new String(c.readToEof(WAIT), StandardCharsets.UTF_8)).isEqualTo("second");
      } finally {
        second.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "jnet.transport", matches = "nio")
  void underNioAServersSocketCannotBePassed() throws Exception {
    Server server = Net.createServer(s -> s.end());
    server
        .listen(new Endpoint.Unix(dir.resolve("nio.sock").toString(), false))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    try {
      assertThatThrownBy(() -> DescriptorChannel.listenerOf(server))
          .isInstanceOfSatisfying(
              NetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENOTSUP));
    } finally {
      server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
