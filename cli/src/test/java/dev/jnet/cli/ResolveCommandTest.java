package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.spec.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ResolveCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void anIpv6EndpointIsDescribedAsJson() {
    assertThat(run("resolve", "tcp://[::1]:7000")).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "{\"input\":\"tcp://[::1]:7000\",\"kind\":\"tcp\","
                + "\"canonical\":\"tcp://[::1]:7000\",\"address\":\"[::1]:7000\",\"host\":\"::1\",\"port\":7000,"
                + "\"family\":\"ipv6\"}\n");
  }

  @Test
  void unixEndpointsReportTheirLengthInBytes() {
    assertThat(run("resolve", "unix:/tmp/é.sock")).isZero();
    assertThat(out.toString()).contains("\"abstract\":false,\"bytes\":12,\"fits\":true");
  }

  @Test
  void relayEndsAreDescribedToo() {
    assertThat(run("resolve", "listen:unix:@svc")).isZero();
    assertThat(out.toString())
        .startsWith("{\"input\":\"listen:unix:@svc\",\"kind\":\"listen\",\"endpoint\":{");
  }

  @Test
  void aBadEndpointExitsTwoWithOneLine() {
    assertThat(run("resolve", "tcp://h:70000")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("jnet: invalid endpoint").hasLineCount(1);
  }

  @Test
  void completionIsGeneratedFromTheModel() {
    assertThat(run("completion", "bash")).isZero();
    assertThat(out.toString())
        .startsWith("#!/usr/bin/env bash")
        .contains("relay", "--framing", "scan");
    assertThat(run("completion", "fish")).isEqualTo(ExitCodes.USAGE);
  }
}
