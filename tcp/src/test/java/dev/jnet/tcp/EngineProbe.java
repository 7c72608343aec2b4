package dev.jnet.tcp;

import dev.jnet.Net;

/** Prints the engine this JVM runs (started by {@link IoUringFallbackIT} with its properties). */
public final class EngineProbe {
  private EngineProbe() {}

  /**
   * Starts the engine and prints its name.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    System.out.println(Net.engine());
  }
}
