package dev.jnet.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs one {@link Transcript} in bash, in its own folder, and compares what each command printed
 * with the transcript, through {@link TranscriptText}'s masks.
 *
 * <p>The block's hidden set-up runs first, as its own script. Then the block runs as one script, so
 * {@code $?}, {@code &} and {@code kill %1} mean what they mean at a prompt: each foreground
 * command's output goes to its own file, each background job's to another. A background job's lines
 * may appear anywhere after its command, in its own order; a foreground command's lines belong
 * after it and before the next {@code $}. Every line a job or command printed must be shown. When
 * the block's last command has run, the comparison is retried until it holds or {@link #SETTLE} has
 * passed (a job may still be printing); then every job is killed.
 */
final class TranscriptRun {
  /** How long a job's late lines may take once the last command has run. */
  static final Duration SETTLE = Duration.ofSeconds(15);

  private static final Duration SETUP = Duration.ofSeconds(60);
  private static final Duration BLOCK = Duration.ofSeconds(150);
  private static final Pattern EXIT_LINE = Pattern.compile("\\[exit \\d+]");
  private static final String FINISHED = "__transcript_finished__";
  private static final String AS_A_USER = "as a user";

  /** Shell functions the set-up may use: each polls for at most 30 s. */
  private static final String PRELUDE =
      String.join(
          "\n",
          "set -u",
          "await() {",
          "  local i",
          "  for ((i = 0; i < 600; i++)); do eval \"$1\" && return 0; sleep 0.05; done",
          "  echo \"transcript: gave up waiting for: $1\" >&2",
          "  return 1",
          "}",
          "await_port() { await \"(: </dev/tcp/127.0.0.1/$1) 2>/dev/null\"; }",
          "await_lines() { await \"[ \\$(wc -l < '$1') -ge $2 ]\"; }",
          "");

  private final Transcript transcript;
  private final TranscriptText text;
  private final Map<String, String> env;
  private final Path work;
  private final Path out;
  private final boolean root;

  /**
   * A run of a transcript.
   *
   * @param transcript the transcript
   * @param text its rewrites and masks
   * @param env the environment of its shells (a {@code PATH} that finds {@code jnet})
   * @param launcher the {@code jnet} launcher that {@code ./jnet} links to
   * @param dir an empty folder for this run
   * @param root whether the test runs as root ({@code # as a user} runs as uid 65534 then)
   */
  TranscriptRun(
      Transcript transcript,
      TranscriptText text,
      Map<String, String> env,
      Path launcher,
      Path dir,
      boolean root)
      throws IOException {
    this.transcript = transcript;
    this.text = text;
    this.env = env;
    this.work = Files.createDirectories(dir.resolve("work"));
    this.out = Files.createDirectories(dir.resolve("out"));
    this.root = root;
    Files.createSymbolicLink(work.resolve("jnet"), launcher);
  }

  /** Runs the transcript; throws an {@link AssertionError} telling what differs. */
  void run() throws Exception {
    Files.writeString(out.resolve("setup.sh"), setupScript(), UTF_8);
    Files.writeString(out.resolve("block.sh"), blockScript(), UTF_8);
    List<ProcessHandle> jobs = new ArrayList<>();
    Process block = null;
    try {
      Process setup = bash("setup");
      boolean done = setup.waitFor(SETUP.toSeconds(), TimeUnit.SECONDS);
      jobs.addAll(hiddenJobs());
      if (!done || setup.exitValue() != 0) {
        throw new AssertionError(transcript.where() + ": the set-up failed\n" + read("setup.err"));
      }
      block = bash("block");
      awaitFinished(block);
      String failure = settle();
      if (failure != null) {
        throw new AssertionError(
            transcript.where()
                + ": "
                + failure
                + "\n\nwhat ran:\n"
                + actual()
                + read("block.err")
                + text.back(read("setup.jobs.out")));
      }
    } finally {
      if (block != null) {
        jobs.add(block.toHandle());
      }
      kill(jobs);
    }
  }

  private String setupScript() {
    StringBuilder s = new StringBuilder(PRELUDE);
    for (String line : transcript.setup()) {
      String code = text.forward(Transcript.Shell.withoutComment(line).strip());
      if (code.endsWith("&")) {
        s.append(">> ").append(file("setup.jobs.out")).append(" 2>&1 ").append(code).append('\n');
        s.append("echo $! >> ").append(file("setup.pids")).append('\n');
      } else if (!code.isEmpty()) {
        s.append(code).append(" || exit\n");
      }
    }
    return s.toString();
  }

  private String blockScript() {
    boolean exits =
        transcript.steps().stream()
            .flatMap(step -> step.expected().stream())
            .anyMatch(l -> EXIT_LINE.matcher(l.strip()).matches());
    StringBuilder s = new StringBuilder(PRELUDE);
    List<Transcript.Step> steps = transcript.steps();
    for (int k = 0; k < steps.size(); k++) {
      Transcript.Step step = steps.get(k);
      String code = text.forward(step.code());
      if (root && step.comment().contains(AS_A_USER)) {
        code = "setpriv --reuid=65534 --regid=65534 --clear-groups " + code;
      }
      String output = file(k + ".out");
      if (step.background()) {
        // the redirections go first, so that the job's own (`> cap.bin`) still win
        s.append("> ").append(output).append(" 2>&1 ").append(code).append('\n');
        long shown = step.expected().stream().filter(l -> !l.isBlank()).count();
        if (shown > 0) {
          s.append("await_lines ").append(output).append(' ').append(shown).append('\n');
        }
      } else {
        s.append("{\n").append(code).append("\n} > ").append(output).append(" 2>&1 < /dev/null\n");
        if (exits) {
          s.append("echo \"[exit $?]\" >> ").append(output).append('\n');
        }
      }
    }
    return s.append("echo ").append(FINISHED).append("\nwait\n").toString();
  }

  private String file(String name) {
    return "'" + out.resolve(name) + "'";
  }

  private Process bash(String name) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder("bash", out.resolve(name + ".sh").toString())
            .directory(work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectError(out.resolve(name + ".err").toFile());
    if (name.equals("setup")) {
      pb.redirectErrorStream(true).redirectOutput(out.resolve("setup.err").toFile());
    }
    pb.environment().putAll(env);
    pb.environment().remove("JNET_JAVA_OPTS");
    return pb.start();
  }

  private void awaitFinished(Process block) throws Exception {
    CompletableFuture<Boolean> finished =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(block.getInputStream(), UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  if (l.equals(FINISHED)) {
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      if (!finished.get(BLOCK.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            transcript.where() + ": the block's shell ended early\n" + read("block.err"));
      }
    } catch (TimeoutException e) {
      throw new AssertionError(
          transcript.where() + ": the block did not finish in " + BLOCK + "\n" + actual(), e);
    }
  }

  /**
   * Compares until the comparison holds or {@link #SETTLE} has passed; the last failure, or null.
   */
  private String settle() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      String failure = compare();
      if (failure == null || System.nanoTime() > deadline) {
        return failure;
      }
      Thread.sleep(100);
    }
  }

  private String compare() throws IOException {
    List<Transcript.Step> steps = transcript.steps();
    List<List<String>> printed = new ArrayList<>();
    for (int k = 0; k < steps.size(); k++) {
      String command = steps.get(k).command();
      printed.add(lines(k).stream().map(l -> text.maskActual(l, command)).toList());
    }
    int[] next = new int[steps.size()];
    for (int k = 0; k < steps.size(); k++) {
      Transcript.Step step = steps.get(k);
      for (int i = 0; i < step.expected().size(); i++) {
        String shown = step.expected().get(i);
        if (shown.isBlank()) {
          continue;
        }
        String want = text.mask(shown, step.command());
        int from = source(steps, printed, next, k, want);
        if (from < 0) {
          return String.format(
              "line %d: %s%n  is not what was printed next; that was%s",
              step.line() + i + 1, shown, nextLines(steps, printed, next, k));
        }
        next[from]++;
      }
      if (!step.background() && next[k] < printed.get(k).size()) {
        return String.format(
            "line %d: `%s` printed more than shown: %s",
            step.line(), step.command(), printed.get(k).get(next[k]));
      }
    }
    for (int k = 0; k < steps.size(); k++) {
      if (next[k] < printed.get(k).size()) {
        return String.format(
            "the job of line %d (`%s`) printed more than shown: %s",
            steps.get(k).line(), steps.get(k).command(), printed.get(k).get(next[k]));
      }
    }
    return null;
  }

  /** Which output holds {@code want} as its next line: the step's own, or a job's; -1 if none. */
  private static int source(
      List<Transcript.Step> steps, List<List<String>> printed, int[] next, int k, String want) {
    if (!steps.get(k).background() && want.equals(at(printed.get(k), next[k]))) {
      return k;
    }
    for (int j = 0; j <= k; j++) {
      if (steps.get(j).background() && want.equals(at(printed.get(j), next[j]))) {
        return j;
      }
    }
    return -1;
  }

  private static String nextLines(
      List<Transcript.Step> steps, List<List<String>> printed, int[] next, int k) {
    StringBuilder s = new StringBuilder();
    if (!steps.get(k).background()) {
      s.append(String.format("%n    from the command: %s", at(printed.get(k), next[k])));
    }
    for (int j = 0; j <= k; j++) {
      if (steps.get(j).background()) {
        s.append(
            String.format(
                "%n    from the job of line %d: %s",
                steps.get(j).line(), at(printed.get(j), next[j])));
      }
    }
    return s.toString();
  }

  private static String at(List<String> lines, int i) {
    return i < lines.size() ? lines.get(i) : null;
  }

  private List<String> lines(int k) throws IOException {
    Path f = out.resolve(k + ".out");
    if (!Files.exists(f)) {
      return List.of();
    }
    return new String(Files.readAllBytes(f), UTF_8).lines().filter(l -> !l.isBlank()).toList();
  }

  /** What ran, as a transcript of the real outputs (paths and ports mapped back). */
  private String actual() throws IOException {
    StringBuilder s = new StringBuilder();
    List<Transcript.Step> steps = transcript.steps();
    for (int k = 0; k < steps.size(); k++) {
      s.append("$ ").append(steps.get(k).command()).append('\n');
      for (String l : lines(k)) {
        s.append(text.back(l)).append('\n');
      }
    }
    return s.toString();
  }

  private String read(String name) throws IOException {
    Path f = out.resolve(name);
    return Files.exists(f) ? Files.readString(f, UTF_8) : "";
  }

  private List<ProcessHandle> hiddenJobs() throws IOException {
    Path pids = out.resolve("setup.pids");
    if (!Files.exists(pids)) {
      return List.of();
    }
    List<ProcessHandle> jobs = new ArrayList<>();
    for (String pid : Files.readAllLines(pids)) {
      ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(jobs::add);
    }
    return jobs;
  }

  /**
   * Kills the jobs and everything they started (a peer's {@code --exec} child too), leaves first.
   */
  private static void kill(List<ProcessHandle> jobs) throws InterruptedException {
    List<ProcessHandle> processes = new ArrayList<>();
    for (ProcessHandle job : jobs) {
      processes.addAll(job.descendants().toList());
      processes.add(job);
    }
    processes.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        throw new AssertionError("process " + p.pid() + " did not exit when killed", e);
      }
    }
  }
}
