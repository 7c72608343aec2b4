package dev.jnet.cli.spec;

/**
 * The endpoint grammar ({@link dev.jnet.Endpoint#GRAMMAR}) as help lines. Picocli wraps a
 * description where {@link java.text.BreakIterator} allows a line break, which includes between
 * {@code unix:} and {@code /path}; each line here fits any description column, so no endpoint form
 * is ever cut in two.
 */
public final class Endpoints {
  /** The TCP forms. */
  public static final String FORMS_1 = "tcp://HOST:PORT, tcp://[IPv6]:PORT,";

  /** The IPC forms. */
  public static final String FORMS_2 = "unix:/path, unix:@abstract-name, pipe:NAME, fd:N.";

  private Endpoints() {}
}
