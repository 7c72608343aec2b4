package dev.jnet.ipc.internal.pipe;

import io.netty.channel.ChannelOutboundBuffer;

/**
 * How one {@code pipe:} connection moves bytes between its two FIFO ends and its {@link
 * FifoPipeChannel}: the channel keeps Netty's contract (state, half-close, events) and hands the
 * I/O to one of these. {@link FifoEngine} says which.
 *
 * <p>Threading: every method is called on the channel's event loop, except {@link #close()} on a
 * channel that was never registered. An implementation reports back on that loop through the
 * channel's package-private callbacks ({@code eof}, {@code readFailed}, {@code writeSettled},
 * {@code writeFailed}, {@code flushAgain}).
 */
interface FifoIo {
  /** Starts moving bytes: the channel is active and registered with its loop. Called once. */
  void start();

  /** Netty's {@code read()}: reads once, then again for as long as auto-read is on. */
  void beginRead();

  /** Auto-read was switched off: a read requested earlier but not yet done may be dropped. */
  void readCancelled();

  /**
   * Writes the flushed messages, as far as the engine can now. Calls the channel's {@code
   * writeSettled} once the bytes handed over so far are all written; empty and shut-down messages
   * were removed by the channel.
   *
   * @param buf the channel's outbound buffer, with at least one readable flushed message
   * @throws Exception a write failure, for Netty's write-error handling
   */
  void write(ChannelOutboundBuffer buf) throws Exception;

  /**
   * Tells whether bytes handed to the engine are not all written yet: a half-close then waits, so
   * that it does not cut a write short.
   *
   * @return true while a write is under way
   */
  boolean isWriting();

  /** Closes the read end (half-close of the input, or EOF seen). */
  void closeInput();

  /** Closes the write end: the peer reads EOF. */
  void closeOutput();

  /** Closes both ends; the channel is closed. Idempotent. */
  void close();
}
