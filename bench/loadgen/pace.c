/*
 * pace: a constant-rate (open-loop) HTTP/1.1 load generator for bench/run.sh's latency runs.
 *
 * Debian's wrk is closed-loop: a slow answer delays the next request, so stalls hide themselves
 * ("coordinated omission"), and Debian ships no wrk2. pace sends request k at start + k/rate,
 * whatever happened before, on the first idle keep-alive connection (queueing it when none is
 * idle), and measures each latency from that intended send time to the last byte of the answer,
 * as wrk2 does. Every latency is kept and sorted, so percentiles are exact.
 *
 * usage: pace -r RATE -d SECONDS [-w WARMUP_SECONDS] [-c CONNECTIONS] [-m METHOD] [-p PATH]
 *             [-H 'Name: value']... [-b BODY_FILE] [-o SERIES_FILE] HOST PORT
 * Prints one JSON line; -o also writes each request's intended send time (s from the end of the
 * warm-up) and latency (µs), one per line in completion order, to see when slow answers happen.
 * Over the measured window it also reads each CPU's "steal" time from /proc/stat every 10 ms: time
 * the hypervisor ran something else while this VM's CPU had work. The JSON has the total per CPU
 * (steal_ms), and the series a "# steal T CPU MS" line for every 10 ms in which a CPU lost any, so
 * a stall can be told apart from the peer's own. Only numeric IPv4 hosts (the benchmarks use 127.0.0.1). Answers must carry
 * Content-Length (chunked answers are counted as errors). Bounded: it stops sending after
 * WARMUP+SECONDS and waits at most 2 s for answers still in flight.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1024
#define MAX_HEADERS 32

typedef struct {
  int fd;
  int busy;             /* a request is being sent or awaited */
  size_t sent;          /* bytes of the request written so far */
  double intended;      /* when this request should have been sent (s, monotonic) */
  char head[16384];     /* response header bytes until the blank line */
  size_t head_len;
  long body_left;       /* -1 while headers are incomplete */
  int status;
  int close_after;
} conn_t;

static struct sockaddr_in target;
static char *request;
static size_t request_len;
static conn_t conns[MAX_CONNS];
static int nconns = 16, epfd;
static double *latencies;
static FILE *series;                  /* -o FILE: one "intended_s latency_us" line per request */
static size_t nlat, cap_lat;
#define MAX_CPUS 64
static long long steal_first[MAX_CPUS], steal_last[MAX_CPUS]; /* /proc/stat ticks */
static int ncpus_stat = -1;                                   /* -1: not read yet */
static long ok, non2xx, errors, backlog_max;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

static void open_conn(conn_t *c) {
  c->fd = socket(AF_INET, SOCK_STREAM, 0);
  if (c->fd < 0) die("socket");
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(c->fd, (struct sockaddr *)&target, sizeof target) < 0) die("connect");
  fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl");
  c->busy = 0;
}

static void reopen(conn_t *c) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  open_conn(c);
}

static void want_write(conn_t *c, int on) {
  struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void push_send(conn_t *c) {
  while (c->sent < request_len) {
    ssize_t n = write(c->fd, request + c->sent, request_len - c->sent);
    if (n < 0) {
      if (errno == EAGAIN) {
        want_write(c, 1);
        return;
      }
      errors++;
      reopen(c);
      return;
    }
    c->sent += (size_t)n;
  }
  want_write(c, 0);
}

static void start_request(conn_t *c, double intended) {
  c->busy = 1;
  c->sent = 0;
  c->intended = intended;
  c->head_len = 0;
  c->body_left = -1;
  c->status = 0;
  c->close_after = 0;
  push_send(c);
}

/* Parses the header block once the blank line is in; returns 0 when the answer is unusable. */
static int parse_head(conn_t *c, size_t end) {
  c->head[end] = '\0';
  if (sscanf(c->head, "HTTP/1.%*d %d", &c->status) != 1) return 0;
  c->body_left = -2;
  for (char *line = strstr(c->head, "\r\n"); line && line[2] != '\r'; line = strstr(line + 2, "\r\n")) {
    char *h = line + 2;
    if (strncasecmp(h, "content-length:", 15) == 0) c->body_left = strtol(h + 15, NULL, 10);
    if (strncasecmp(h, "connection:", 11) == 0) {
      char value[64] = {0};
      char *eol = strstr(h, "\r\n");
      size_t len = eol ? (size_t)(eol - h) : strlen(h);
      memcpy(value, h, len < sizeof value - 1 ? len : sizeof value - 1);
      c->close_after = strcasestr(value, "close") != NULL;
    }
  }
  return c->body_left >= 0;
}

static void record(conn_t *c, double t, double measure_from) {
  if (c->intended >= measure_from) {
    if (nlat == cap_lat) {
      cap_lat = cap_lat ? cap_lat * 2 : 65536;
      latencies = realloc(latencies, cap_lat * sizeof *latencies);
      if (!latencies) die("realloc");
    }
    if (series) fprintf(series, "%.6f %.1f\n", c->intended - measure_from, (t - c->intended) * 1e6);
    latencies[nlat++] = (t - c->intended) * 1e6;
    if (c->status >= 200 && c->status < 300) ok++; else non2xx++;
  }
  c->busy = 0;
  if (c->close_after) reopen(c);
}

/* Reads what the server sent; returns 1 when an answer completed. */
static int on_readable(conn_t *c, double measure_from) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(c->fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
      if (c->busy) errors++;
      reopen(c);
      return 0;
    }
    if (n < 0) return 0;
    size_t off = 0;
    if (c->body_left == -1) {
      size_t take = (size_t)n;
      if (c->head_len + take >= sizeof c->head) take = sizeof c->head - 1 - c->head_len;
      memcpy(c->head + c->head_len, buf, take);
      size_t scan_from = c->head_len > 3 ? c->head_len - 3 : 0;
      c->head_len += take;
      c->head[c->head_len] = '\0';
      char *blank = strstr(c->head + scan_from, "\r\n\r\n");
      if (!blank) {
        if (c->head_len >= sizeof c->head - 1) { errors++; reopen(c); }
        continue;
      }
      size_t end = (size_t)(blank - c->head) + 4;
      off = end - (c->head_len - take);
      if (!parse_head(c, end - 2)) {
        errors++;
        c->busy = 0;
        reopen(c);
        return 0;
      }
    }
    c->body_left -= (long)((size_t)n - off);
    if (c->body_left <= 0) {
      record(c, now_s(), measure_from);
      return 1;
    }
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double p) {
  if (nlat == 0) return 0;
  size_t i = (size_t)(p / 100.0 * (double)nlat);
  return latencies[i >= nlat ? nlat - 1 : i];
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) die(path);
  fseek(f, 0, SEEK_END);
  *len = (size_t)ftell(f);
  rewind(f);
  char *b = malloc(*len + 1);
  if (!b || fread(b, 1, *len, f) != *len) die("read body");
  fclose(f);
  return b;
}

typedef struct {
  double rate, seconds, warmup;
  const char *method, *path, *body_file, *host, *port;
  const char *headers[MAX_HEADERS];
  int nheaders;
} options_t;

static int parse_args(int argc, char **argv, options_t *o) {
  int opt;
  *o = (options_t){.method = "GET", .path = "/"};
  while ((opt = getopt(argc, argv, "r:d:w:c:m:p:H:b:o:")) != -1) {
    switch (opt) {
      case 'r': o->rate = atof(optarg); break;
      case 'd': o->seconds = atof(optarg); break;
      case 'w': o->warmup = atof(optarg); break;
      case 'c': nconns = atoi(optarg); break;
      case 'm': o->method = optarg; break;
      case 'p': o->path = optarg; break;
      case 'H': if (o->nheaders < MAX_HEADERS) o->headers[o->nheaders++] = optarg; break;
      case 'b': o->body_file = optarg; break;
      case 'o':
        series = fopen(optarg, "w");
        if (!series) die("cannot open the -o file");
        break;
      default: return 0;
    }
  }
  if (optind + 2 != argc || o->rate <= 0 || o->seconds <= 0 || nconns < 1 || nconns > MAX_CONNS) return 0;
  o->host = argv[optind];
  o->port = argv[optind + 1];
  target.sin_family = AF_INET;
  target.sin_port = htons((uint16_t)atoi(o->port));
  return inet_pton(AF_INET, o->host, &target.sin_addr) == 1;
}

/* The one request every send repeats: head, headers, Content-Length and body. */
static void build_request(const options_t *o) {
  size_t body_len = 0;
  char *body = o->body_file ? read_file(o->body_file, &body_len) : NULL;
  size_t cap = 1024 + strlen(o->path) + strlen(o->method);
  for (int i = 0; i < o->nheaders; i++) cap += strlen(o->headers[i]) + 2;
  request = malloc(cap + body_len);
  if (!request) die("malloc");
  int n = snprintf(request, cap, "%s %s HTTP/1.1\r\nHost: %s:%s\r\n", o->method, o->path, o->host, o->port);
  for (int i = 0; i < o->nheaders; i++) n += snprintf(request + n, cap - n, "%s\r\n", o->headers[i]);
  if (body) n += snprintf(request + n, cap - n, "Content-Length: %zu\r\n", body_len);
  n += snprintf(request + n, cap - n, "\r\n");
  if (body) memcpy(request + n, body, body_len);
  request_len = (size_t)n + body_len;
  free(body);
}

static void arm_timer(int tfd, double wake) {
  struct itimerspec its = {0};
  its.it_value.tv_sec = (time_t)wake;
  its.it_value.tv_nsec = (long)((wake - (double)(time_t)wake) * 1e9);
  if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
  timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Reads every CPU's steal ticks (the 8th value of its /proc/stat line) into out, indexed by CPU
 * number; returns the highest CPU number plus one. The file stays open: pread from 0 each time. */
static int read_steal(long long *out) {
  static int fd = -2;
  static char text[1 << 16];
  if (fd == -2) fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t len = pread(fd, text, sizeof text - 1, 0);
  if (len <= 0) return 0;
  text[len] = '\0';
  int n = 0;
  for (char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
    if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9') continue;
    int cpu;
    long long v[8];
    if (sscanf(line, "cpu%d %lld %lld %lld %lld %lld %lld %lld %lld", &cpu, &v[0], &v[1], &v[2], &v[3], &v[4],
               &v[5], &v[6], &v[7]) == 9 && cpu >= 0 && cpu < MAX_CPUS) {
      out[cpu] = v[7];
      if (cpu + 1 > n) n = cpu + 1;
    }
  }
  return n;
}

/* One 10 ms sample of the steal counters: series lines for the CPUs that lost time since the last. */
static void sample_steal(double t, double measure_from) {
  long long now[MAX_CPUS] = {0};
  int n = read_steal(now);
  if (ncpus_stat < 0) {
    ncpus_stat = n;
    memcpy(steal_first, now, sizeof(long long) * (size_t)n);
  } else {
    double ms_per_tick = 1000.0 / (double)sysconf(_SC_CLK_TCK);
    for (int i = 0; i < n && i < ncpus_stat && series; i++) {
      if (now[i] > steal_last[i]) fprintf(series, "# steal %.3f %d %.0f\n", t - measure_from, i, (double)(now[i] - steal_last[i]) * ms_per_tick);
    }
  }
  memcpy(steal_last, now, sizeof(long long) * (size_t)n);
}

/* Sends request k at start + k/rate for warmup + seconds, then waits (at most 2 s) for answers. */
static void run(const options_t *o) {
  epfd = epoll_create1(0);
  for (int i = 0; i < nconns; i++) open_conn(&conns[i]);
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct epoll_event tev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &tev);

  /* Requests due but not sent yet (no idle connection): their intended times, oldest first. */
  long total = (long)(o->rate * (o->warmup + o->seconds)), k = 0;
  size_t qhead = 0, qtail = 0;
  double *queue = malloc(((size_t)total + 16) * sizeof *queue);
  if (!queue) die("malloc");
  double start = now_s(), measure_from = start + o->warmup, stop = measure_from + o->seconds;
  /* CLOCK_MONOTONIC of time 0, to line the series up with e.g. `perf record -k mono` */
  if (series) fprintf(series, "# t0_monotonic_s %.6f\n", measure_from);
  double next_due = start, next_steal = measure_from;
  struct epoll_event events[64];

  for (;;) {
    double t = now_s();
    while (k < total && next_due <= t) {
      queue[qtail++] = next_due;
      next_due = start + (double)(++k) / o->rate;
    }
    for (int i = 0; i < nconns && qhead < qtail; i++) {
      if (!conns[i].busy) start_request(&conns[i], queue[qhead++]);
    }
    if ((long)(qtail - qhead) > backlog_max) backlog_max = (long)(qtail - qhead);
    int in_flight = qtail > qhead;
    for (int i = 0; i < nconns && !in_flight; i++) in_flight = conns[i].busy;
    if (k >= total && !in_flight) break;
    if (k >= total && t > stop + 2.0) {
      for (int i = 0; i < nconns; i++) errors += conns[i].busy;
      errors += (long)(qtail - qhead);
      break;
    }
    /* after the due requests are out, so that reading /proc/stat never delays a send */
    if (t >= next_steal && t < stop + 0.01) {
      sample_steal(t, measure_from);
      next_steal += 0.01;
    }
    arm_timer(tfd, k < total ? next_due : t + 0.05);
    int ne = epoll_wait(epfd, events, 64, -1);
    for (int e = 0; e < ne; e++) {
      conn_t *c = events[e].data.ptr;
      if (!c) {
        uint64_t ticks;
        if (read(tfd, &ticks, sizeof ticks) < 0 && errno != EAGAIN) die("timerfd");
        continue;
      }
      if ((events[e].events & EPOLLOUT) && c->busy) push_send(c);
      if (events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        if (on_readable(c, measure_from) && qhead < qtail) start_request(c, queue[qhead++]);
      }
    }
  }
  free(queue);
}

static void print_result(const options_t *o) {
  qsort(latencies, nlat, sizeof *latencies, cmp_double);
  double sum = 0;
  for (size_t i = 0; i < nlat; i++) sum += latencies[i];
  printf("{\"target_rps\":%.1f,\"achieved_rps\":%.1f,\"requests\":%zu,\"ok\":%ld,\"non2xx\":%ld,\"errors\":%ld,"
         "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f,"
         "\"backlog_max\":%ld,\"connections\":%d,\"steal_ms\":[",
         o->rate, (double)nlat / o->seconds, nlat, ok, non2xx, errors, pct(50), pct(90), pct(99), pct(99.9),
         nlat ? latencies[nlat - 1] : 0, nlat ? sum / (double)nlat : 0, backlog_max, nconns);
  double ms_per_tick = 1000.0 / (double)sysconf(_SC_CLK_TCK);
  for (int i = 0; i < ncpus_stat; i++) {
    printf("%s%.0f", i ? "," : "", (double)(steal_last[i] - steal_first[i]) * ms_per_tick);
  }
  printf("]}\n");
}

int main(int argc, char **argv) {
  options_t o;
  if (!parse_args(argc, argv, &o)) {
    fprintf(stderr, "usage: pace -r RATE -d SECONDS [-w WARMUP] [-c CONNS] [-m METHOD] [-p PATH] "
                    "[-H 'Name: value']... [-b BODY_FILE] HOST PORT\n");
    return 64;
  }
  build_request(&o);
  run(&o);
  if (series) fclose(series);
  print_result(&o);
  return 0;
}
