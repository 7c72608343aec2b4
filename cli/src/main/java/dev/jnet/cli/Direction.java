package dev.jnet.cli;

/** Which way bytes went, as a dump line shows it. */
enum Direction {
  /** Received from the peer. */
  IN("<", "in", "\u001b[32m"),
  /** Sent to the peer. */
  OUT(">", "out", "\u001b[36m");

  final String arrow;
  final String word;
  final String colour;

  Direction(String arrow, String word, String colour) {
    this.arrow = arrow;
    this.word = word;
    this.colour = colour;
  }
}
