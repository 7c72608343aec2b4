package dev.jnet.ipc.internal.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.ipc.OtherUid;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interception of {@code pipe:} by another uid (issue 11, item 1): a uid-65534 process plants the
 * directory, the per-user folder, the well-known FIFO or the lock in a sticky world-writable
 * directory before a root server or client uses the name. The server refuses what it does not own
 * and never {@code chmod}s it into shape; the client checks owner, mode and type before it writes
 * anything, and writes nothing.
 */
class PipeHijackTest extends ContractSupport {
  /**
   * Makes the directories (each 0777), then as {@code plant}: a FIFO, a held lock, and reports what
   * arrived.
   */
  private static final String PLANT =
      String.join(
          "\n",
          "import os, sys, fcntl",
          "d, what = sys.argv[1], sys.argv[2]",
          "made, p = [], d",
          "while not os.path.lexists(p):",
          "    made.append(p); p = os.path.dirname(p)",
          "for q in reversed(made):",
          "    os.mkdir(q); os.chmod(q, 0o777)",
          "if what == 'plant':",
          "    os.mkfifo(d + '/pipe'); os.chmod(d + '/pipe', 0o666)",
          "    lk = os.open(d + '/lock', os.O_RDWR | os.O_CREAT, 0o666)",
          "    fcntl.lockf(lk, fcntl.LOCK_EX | fcntl.LOCK_NB)",
          "    fd = os.open(d + '/pipe', os.O_RDWR | os.O_NONBLOCK)",
          "print('READY', flush=True)",
          "sys.stdin.readline()",
          "data = b''",
          "if what == 'plant':",
          "    try: data = os.read(fd, 4096)",
          "    except BlockingIOError: pass",
          "pairs = sorted(n for n in os.listdir(d) if n.endswith('.up') or n.endswith('.down'))",
          "print('GOT %d %s' % (len(data), ','.join(pairs)), flush=True)");

  private Path sticky;
  private String savedTmp;

  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }

  @BeforeEach
  void stickyDir() throws Exception {
    OtherUid.assumeAvailable();
    sticky = OtherUid.stickyDir("jnet-hijack");
    savedTmp = System.getProperty("java.io.tmpdir");
  }

  @AfterEach
  void restore() throws Exception {
    if (savedTmp != null) {
      System.setProperty("java.io.tmpdir", savedTmp);
    }
    if (sticky != null) {
      new ProcessBuilder("rm", "-rf", "--", sticky.toString()).start().waitFor();
    }
  }

  @Test
  void listenRefusesADirectoryAnotherUidCreatedAndLeavesItAsItWas() throws Exception {
    Path dir = sticky.resolve("srv");
    try (OtherUid nobody = OtherUid.python(PLANT, dir.toString(), "dir")) {
      nobody.expect("READY");
      NetException e = listenFailure(new Endpoint.Pipe(dir.toString()));
      assertThat(e.code()).isEqualTo(ErrorCode.EACCES);
      assertThat(e.getMessage()).contains("65534");
      assertOwnedByNobodyWithMode777(dir);
      nobody.send("CHECK");
      assertThat(nobody.expect("GOT")).isEqualTo("GOT 0 ");
    }
  }

  @Test
  void listenRefusesAPerUserFolderAnotherUidCreated() throws Exception {
    System.setProperty("java.io.tmpdir", sticky.toString());
    Path base = PipeDirectory.base();
    assertThat(base.getParent())
        .as("no XDG_RUNTIME_DIR here: the folder is under java.io.tmpdir")
        .isEqualTo(sticky);
    try (OtherUid nobody = OtherUid.python(PLANT, base.toString(), "dir")) {
      nobody.expect("READY");
      NetException e = listenFailure(new Endpoint.Pipe("svc"));
      assertThat(e.code()).isEqualTo(ErrorCode.EACCES);
      assertOwnedByNobodyWithMode777(base);
      assertThat(base.resolve("svc")).doesNotExist();
    }
  }

  @Test
  void aClientWritesNothingIntoADirectoryAnotherUidPlanted() throws Exception {
    Path dir = sticky.resolve("srv");
    assertClientRefusedAndSilent(
        dir, new Endpoint.Pipe(dir.toString()), "belongs to uid 65534, expected uid 0");
  }

  @Test
  void aClientWritesNothingIntoAPlantedPerUserFolder() throws Exception {
    System.setProperty("java.io.tmpdir", sticky.toString());
    assertClientRefusedAndSilent(
        PipeDirectory.base().resolve("svc"),
        new Endpoint.Pipe("svc"),
        "belongs to uid 65534, expected uid 0");
  }

  @Test
  void aClientWritesNothingToAFifoAnotherUidPutInAWorldWritableDirectory() throws Exception {
    Path dir = Files.createDirectory(sticky.resolve("wide"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertClientRefusedAndSilent(dir, new Endpoint.Pipe(dir.toString()), "has mode 777");
  }

  @Test
  void aParentOthersCanWriteToWithoutTheStickyBitIsRefused() throws Exception {
    Path open = Files.createDirectory(sticky.resolve("open"));
    Files.setPosixFilePermissions(
        open, PosixFilePermissions.fromString("rwxrwxrwx")); // anyone may rename in it
    Endpoint ep = new Endpoint.Pipe(open.resolve("srv").toString());
    NetException e = listenFailure(ep);
    assertThat(e.code()).isEqualTo(ErrorCode.EACCES);
    assertThat(e.getMessage()).contains("lets other users replace srv");
    assertThat(open.resolve("srv")).doesNotExist();
  }

  @Test
  void aClientDoesNotFollowASymlinkedDirectory() throws Exception {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Path real = PipeFixture.freshDir();
    Server server =
        createServer(ServerOptions.defaults(), s -> accepted.add(new Accepted(s, null)));
    await(server.listen(new Endpoint.Pipe(real.toString())));
    Path link = Files.createSymbolicLink(sticky.resolve("alias"), real);
    Socket client = connect(new Endpoint.Pipe(link.toString()), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client).awaitClose();
    assertThat(events.error().code()).isEqualTo(ErrorCode.EACCES);
    assertThat(accepted).isEmpty();
  }

  private void assertClientRefusedAndSilent(Path dir, Endpoint ep, String why) throws Exception {
    try (OtherUid nobody = OtherUid.python(PLANT, dir.toString(), "plant")) {
      nobody.expect("READY");
      Socket client =
          connect(ep, SocketOptions.defaults().withConnectTimeout(Duration.ofSeconds(3)));
      client.write("secret".getBytes(StandardCharsets.US_ASCII));
      EventRecorder events = EventRecorder.record(client).awaitClose();
      nobody.send("CHECK");
      assertThat(nobody.expect("GOT"))
          .as("what the uid-65534 process received")
          .isEqualTo("GOT 0 ");
      assertThat(events.error()).as("the client's error").isNotNull();
      assertThat(events.error().code()).isEqualTo(ErrorCode.EACCES);
      assertThat(events.error().getMessage()).contains(why);
    }
  }

  private static void assertOwnedByNobodyWithMode777(Path dir) throws Exception {
    assertThat(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(OtherUid.NOBODY);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)))
        .as("never chmod-ed into shape")
        .isEqualTo("rwxrwxrwx");
  }

  private NetException listenFailure(Endpoint ep) {
    Server server = createServer(ServerOptions.defaults(), s -> {});
    try {
      server.listen(ep).toCompletableFuture().join();
      throw new AssertionError("listen succeeded on " + ep);
    } catch (CompletionException e) {
      return (NetException) e.getCause();
    }
  }
}
