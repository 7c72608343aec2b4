package dev.jnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.spi.BindPlan;
import dev.jnet.spi.Capability;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.IoEngine;
import dev.jnet.spi.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers that cannot do their job fail loudly. A provider the engine cannot drive (a {@link
 * Transport} that is not a {@code ChannelTransport}) is reported when the engine starts, and an
 * endpoint only it claims fails with a message naming it, not with "no transport"; a transport
 * whose channel cannot be created (a native library missing) fails listen and connect with an
 * error.
 */
class UnusableProviderTest {
  /** Claims {@code pipe:}, but gives the engine nothing to drive. */
  public static final class Opaque implements Transport {
    @Override
    public String scheme() {
      return "pipe";
    }

    @Override
    public Set<Capability> capabilities(Endpoint endpoint, String engine) {
      return Set.of();
    }
  }

  /** The child: connects to a {@code pipe:} endpoint and prints the error it gets. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Socket s = Net.createConnection(Endpoint.parse("pipe:/tmp/jnet-unusable"));
      s.onError(e -> System.out.println(e.code() + " " + e.getMessage()));
      s.onClose(hadError -> System.exit(0));
      Thread.sleep(20_000);
      System.exit(3);
    }
  }

  /** Claims {@code unix:}, but cannot create a channel: its native library is missing. */
  public static final class Broken implements ChannelTransport {
    @Override
    public String scheme() {
      return "unix";
    }

    @Override
    public Set<Capability> capabilities(Endpoint endpoint, String engine) {
      return Set.of();
    }

    @Override
    public CompletionStage<SocketAddress> remoteAddress(IoEngine engine, Endpoint endpoint) {
      return CompletableFuture.completedFuture(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
    }

    @Override
    public CompletionStage<BindPlan> prepareBind(
        IoEngine engine, Endpoint endpoint, ServerOptions options) {
      return CompletableFuture.completedFuture(
          BindPlan.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    @Override
    public Channel newChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
      throw new UnsatisfiedLinkError("no native library (test)");
    }

    @Override
    public ServerChannel newServerChannel(
        IoEngine engine, Endpoint endpoint, SocketAddress address) {
      throw new UnsatisfiedLinkError("no native library (test)");
    }

    @Override
    public void configure(
        Channel channel, boolean noDelay, boolean keepAlive, int keepAliveSeconds) {}

    @Override
    public Optional<Endpoint> toEndpoint(SocketAddress address) {
      return Optional.empty();
    }
  }

  /** The child: listens and connects through {@link Broken}, and prints what each gets. */
  public static final class BrokenChild {
    public static void main(String[] args) throws Exception {
      Server server = Net.createServer(s -> {});
      try {
        server
            .listen(Endpoint.parse("unix:/tmp/jnet-broken"))
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
        System.out.println("listening?!");
      } catch (ExecutionException e) {
        System.out.println("listen " + ((NetException) e.getCause()).code());
      }
      CompletableFuture<String> closed = new CompletableFuture<>();
      Socket s = Net.createConnection(Endpoint.parse("unix:/tmp/jnet-broken"));
      s.onError(e -> System.out.println("connect " + e.code()));
      s.onClose(hadError -> closed.complete("close " + hadError));
      System.out.println(closed.get(20, TimeUnit.SECONDS));
      System.exit(0);
    }
  }

  @Test
  void aTransportThatCannotCreateItsChannelFailsListenAndConnectInsteadOfHanging(@TempDir Path dir)
      throws Exception {
    Ran child = run(dir, Broken.class, BrokenChild.class);
    assertThat(child.exit()).as(child.err()).isZero();
    assertThat(child.out()).isEqualTo("listen EIO\nconnect EIO\nclose true\n");
  }

  @Test
  void theEngineNamesAProviderItCannotUse(@TempDir Path dir) throws Exception {
    Ran child = run(dir, Opaque.class, Child.class);
    assertThat(child.exit()).as(child.err()).isZero();
    assertThat(child.err())
        .contains(
            "the transport provider "
                + Opaque.class.getName()
                + " (pipe:) is not a dev.jnet.spi.ChannelTransport; jnet's engine cannot drive it"
                + " and ignores it");
    assertThat(child.out())
        .startsWith(
            "ERR_NO_TRANSPORT ERR_NO_TRANSPORT: no usable transport for pipe:/tmp/jnet-unusable ("
                + Opaque.class.getName()
                + " claims it but is not a ChannelTransport)");
  }

  /** What a child JVM printed, and how it exited. */
  private record Ran(int exit, String out, String err) {}

  /** Runs a main class in a child JVM whose class path adds one more transport provider. */
  private static Ran run(Path dir, Class<?> provider, Class<?> main) throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(Transport.class.getName()), provider.getName() + "\n");
    String cp = dir + File.pathSeparator + System.getProperty("java.class.path");
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    cp,
                    main.getName()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
      return new Ran(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
