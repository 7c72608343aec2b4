// The kernel's own ratio of a FIFO pair to a Unix socket, with no JVM: a client writes BYTES in CHUNK-byte writes and
// reads the echo back (poll, non-blocking), a forked server echoes; over two pipes (what a pipe: connection is: one
// FIFO per direction), over a Unix socketpair, and over two pipes grown with F_SETPIPE_SZ (which Java cannot ask
// for without native code of its own). Run by bench/pipe-limit.sh.
//
//   pipe-limit MODE MIB CHUNK [PIPE_SIZE]     MODE 0: two pipes, 1: a socketpair
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s MODE MIB CHUNK [PIPE_SIZE]\n", argv[0]);
    return 2;
  }
  int sockets = atoi(argv[1]);
  long total = atol(argv[2]) << 20;
  int chunk = atoi(argv[3]);
  int pipe_size = argc > 4 ? atoi(argv[4]) : 0;
  int up[2], down[2]; // client -> server, server -> client
  if (sockets) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
    up[0] = down[1] = sv[1];
    up[1] = down[0] = sv[0];
  } else {
    if (pipe(up) != 0 || pipe(down) != 0) return 1;
    if (pipe_size && (fcntl(up[1], F_SETPIPE_SZ, pipe_size) < 0 || fcntl(down[1], F_SETPIPE_SZ, pipe_size) < 0)) {
      perror("F_SETPIPE_SZ");
      return 1;
    }
  }
  char *buf = malloc(1 << 20);
  if (fork() == 0) { // the echo server
    if (!sockets) {
      close(up[1]);
      close(down[0]);
    } else {
      close(up[1]);
    }
    for (;;) {
      ssize_t n = read(up[0], buf, 1 << 20);
      if (n <= 0) exit(0);
      for (ssize_t o = 0; o < n;) {
        ssize_t w = write(down[1], buf + o, n - o);
        if (w < 0) exit(1);
        o += w;
      }
    }
  }
  if (!sockets) {
    close(up[0]);
    close(down[1]);
  } else {
    close(up[0]);
  }
  fcntl(up[1], F_SETFL, O_NONBLOCK);
  fcntl(down[0], F_SETFL, O_NONBLOCK);
  long sent = 0, received = 0;
  double t0 = now();
  while (received < total) {
    struct pollfd p[2] = {{down[0], POLLIN, 0}, {up[1], sent < total ? POLLOUT : 0, 0}};
    poll(p, 2, -1);
    if (p[1].revents & POLLOUT) {
      ssize_t w = write(up[1], buf, total - sent < chunk ? total - sent : chunk);
      if (w > 0) sent += w;
    }
    if (p[0].revents & POLLIN) {
      ssize_t n = read(down[0], buf, 1 << 20);
      if (n > 0) received += n;
    }
  }
  printf("%.0f\n", total / 1048576.0 / (now() - t0));
  if (sockets) shutdown(up[1], SHUT_WR); else close(up[1]);
  wait(NULL);
  return 0;
}
