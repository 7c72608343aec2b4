package dev.jnet;

/**
 * The process on the other end of a Unix domain socket, as the kernel reports it ({@code
 * SO_PEERCRED}).
 *
 * <p>Threading: an immutable value, safe to share between threads.
 *
 * @param pid the peer's process id
 * @param uid the peer's user id
 * @param gid the peer's group id
 */
public record PeerCredentials(long pid, int uid, int gid) {}
