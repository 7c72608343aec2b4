package dev.jnet.testkit;

import dev.jnet.Net;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test: the process's open sockets return to their count before it (waiting, bounded,
 * for asynchronous closes), and Netty's leak detector (at paranoid level in tests) reported no
 * leaked buffer. Registered for every test through JUnit's extension auto-detection, so the leak
 * recorder is installed before Netty allocates.
 */
public final class ResourceHygiene implements BeforeEachCallback, AfterEachCallback {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(ResourceHygiene.class);

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Net.engine();
    LEAKS.clear();
    context.getStore(NS).put("fds", openSockets());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<String> before = context.getStore(NS).get("fds", List.class);
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<String> now = openSockets();
    while (now.size() > before.size() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
      now = openSockets();
    }
    if (now.size() > before.size()) {
      List<String> extra = new ArrayList<>(now);
      extra.removeAll(before);
      throw new AssertionError(
          "open sockets did not return to their baseline ("
              + before.size()
              + "): "
              + now.size()
              + " open, new ones: "
              + extra);
    }
    flushLeakReports();
    if (!LEAKS.isEmpty()) {
      List<String> copy = List.copyOf(LEAKS);
      LEAKS.clear();
      throw new AssertionError("Netty reported leaked buffers:\n" + String.join("\n", copy));
    }
  }

  /** Makes Netty check for collected, unreleased buffers now. */
  private static void flushLeakReports() {
    System.gc();
    for (int i = 0; i < 8; i++) {
      ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(1);
      b.release();
      ByteBuf h = ByteBufAllocator.DEFAULT.heapBuffer(1);
      h.release();
    }
  }

  /**
   * Lists this process's socket descriptors (their link targets).
   *
   * @return the sockets open now
   */
  public static List<String> openSockets() {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path p : ds) {
        try {
          String target = Files.readSymbolicLink(p).toString();
          if (target.startsWith("socket:")) {
            out.add(target);
          }
        } catch (IOException e) {
          // closed while listing
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc/self/fd", e);
    }
    return out;
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new ResourceLeakDetector<T>(resource, samplingInterval, maxActive) {
        @Override
        protected void reportTracedLeak(String resourceType, String records) {
          LEAKS.add("LEAK " + resourceType + records);
          super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
          LEAKS.add("LEAK " + resourceType);
          super.reportUntracedLeak(resourceType);
        }
      };
    }
  }
}
