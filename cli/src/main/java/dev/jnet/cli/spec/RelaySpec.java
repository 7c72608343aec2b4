package dev.jnet.cli.spec;

import dev.jnet.cli.dump.Format;

/**
 * What {@code jnet relay} was asked to do.
 *
 * @param a the first end (may listen)
 * @param b the second end, opened once per connection of A
 * @param dump whether to show the traffic
 * @param format how to show it
 * @param connectTimeout how long connecting an end may take
 */
public record RelaySpec(
    RelayEnd a, RelayEnd b, boolean dump, Format format, java.time.Duration connectTimeout) {}
