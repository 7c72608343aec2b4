package dev.jnet.cli.dump;

/** Which way bytes went, as a dump line shows it. */
public enum Direction {
  /** Received from the peer. */
  IN("<", "in", "\u001b[32m"),
  /** Sent to the peer. */
  OUT(">", "out", "\u001b[36m");

  public final String arrow;
  public final String word;
  public final String colour;

  Direction(String arrow, String word, String colour) {
    this.arrow = arrow;
    this.word = word;
    this.colour = colour;
  }
}
