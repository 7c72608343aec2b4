package dev.jnet.cli.scan;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

/**
 * Probes many endpoints at once in this one process: at most {@code concurrency} connection
 * attempts in flight, each bounded by {@code timeout}. A TCP port is {@code open}, {@code closed}
 * (refused) or {@code filtered} (no answer in time); a Unix socket is {@code live}, {@code stale}
 * (nothing accepts), {@code missing}, {@code denied} (permission denied) or {@code not-a-socket}.
 */
public final class Scanner {
  /**
   * One target's state.
   *
   * @param endpoint what was probed
   * @param state open, live, closed, stale, filtered, missing, denied, not-a-socket or error
   * @param millis how long the probe took
   * @param detail a Node code or a remark, may be empty
   */
  public record Result(Endpoint endpoint, String state, long millis, String detail) {
    public boolean isOpen() {
      return state.equals("open") || state.equals("live");
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target", endpoint.toString());
      m.put("state", state);
      m.put("ms", millis);
      if (!detail.isEmpty()) {
        m.put("detail", detail);
      }
      return m;
    }
  }

  private final Duration timeout;
  private final Semaphore slots;

  public Scanner(Duration timeout, int concurrency) {
    this.timeout = timeout;
    this.slots = new Semaphore(concurrency);
  }

  /**
   * Probes every endpoint; the results keep the input order.
   *
   * @param targets what to probe
   * @return one result per target
   */
  public List<Result> scan(List<Endpoint> targets) throws InterruptedException {
    List<CompletableFuture<Result>> pending = new ArrayList<>();
    for (Endpoint e : targets) {
      slots.acquire();
      CompletableFuture<Result> r = probe(e);
      r.whenComplete((x, t) -> slots.release());
      pending.add(r);
    }
    List<Result> out = new ArrayList<>();
    for (CompletableFuture<Result> r : pending) {
      out.add(r.join());
    }
    return out;
  }

  private CompletableFuture<Result> probe(Endpoint e) {
    long start = System.nanoTime();
    if (e instanceof Endpoint.Unix u && !u.isAbstract()) {
      String problem = fileProblem(Path.of(u.path()));
      if (problem != null) {
        return CompletableFuture.completedFuture(new Result(e, problem, 0, ""));
      }
    }
    Socket s = Net.createConnection(e, SocketOptions.defaults().withConnectTimeout(timeout));
    return s.connected()
        .toCompletableFuture()
        .handle(
            (ok, t) -> {
              s.destroy();
              long ms = (System.nanoTime() - start) / 1_000_000;
              if (t == null) {
                return new Result(e, e instanceof Endpoint.Unix ? "live" : "open", ms, "");
              }
              Throwable cause = t instanceof CompletionException ? t.getCause() : t;
              ErrorCode code = cause instanceof NetException ne ? ne.code() : ErrorCode.EIO;
              return new Result(e, state(e, code), ms, code.name());
            });
  }

  private static String state(Endpoint e, ErrorCode code) {
    boolean unix = e instanceof Endpoint.Unix;
    return switch (code) {
      case ECONNREFUSED ->
          !unix ? "closed" : ((Endpoint.Unix) e).isAbstract() ? "missing" : "stale";
      case ETIMEDOUT -> "filtered";
      case ENOENT -> unix ? "missing" : "closed";
      case EACCES -> "denied";
      default -> "error";
    };
  }

  private static String fileProblem(Path p) {
    try {
      Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (((Integer) mode & 0170000) != 0140000) {
        return "not-a-socket";
      }
      return null;
    } catch (NoSuchFileException ex) {
      return "missing";
    } catch (java.nio.file.AccessDeniedException ex) {
      return "denied";
    } catch (IOException | UnsupportedOperationException ex) {
      return null;
    }
  }
}
