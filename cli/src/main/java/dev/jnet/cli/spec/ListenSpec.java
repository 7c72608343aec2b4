package dev.jnet.cli.spec;

import dev.jnet.Endpoint;
import dev.jnet.cli.session.Conversation;
import java.time.Duration;

/**
 * What {@code jnet listen} was asked to do.
 *
 * @param endpoint where to listen
 * @param keep whether to serve clients concurrently, until a signal ({@code -k})
 * @param maxConns the most connections at once (0 for no limit)
 * @param rules the allow/deny rules
 * @param exec a shell command to run per connection, or null
 * @param broker whether every client's data goes to every other client
 * @param conversation how stdin and stdout talk with the clients
 * @param receiveOnly whether stdin is left alone: one client, what it sends goes to stdout ({@code
 *     recv})
 * @param firstFrameTimeout with {@code --framing}: a client with no complete message this long
 *     after accept is dropped with ETIMEDOUT (zero: never)
 * @param frameTimeout with {@code --framing}: a client whose frame is not complete this long after
 *     its first byte is dropped with ETIMEDOUT (zero: never)
 */
public record ListenSpec(
    Endpoint endpoint,
    boolean keep,
    int maxConns,
    PeerRules rules,
    String exec,
    boolean broker,
    Conversation.Settings conversation,
    boolean receiveOnly,
    Duration firstFrameTimeout,
    Duration frameTimeout) {}
