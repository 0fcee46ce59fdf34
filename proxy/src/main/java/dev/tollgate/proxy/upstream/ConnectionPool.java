package dev.tollgate.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keep-alive HTTP/1.1 connections to one upstream, kept per event loop: a request is sent on a
 * connection of the event loop it arrived on, so it never changes threads and no pool state is
 * shared between threads. {@code pool_size} bounds each event loop's connections, as nginx's
 * {@code keepalive} bounds each worker's: a shared bound would let busy loops hold every
 * connection while another loop's requests wait, or need a hand-off between threads on every
 * request. A request that finds every connection of its loop busy waits for one, bounded by its
 * own deadline. Connections idle for about a minute are closed.
 */
final class ConnectionPool {
  /** How long a connection may stay idle: 55 s, and up to one sweep more, under the minute. */
  static final Duration IDLE = Duration.ofSeconds(55);

  private final Map<EventExecutor, Loop> loops = new IdentityHashMap<>();
  private final Bootstrap bootstrap;
  private final String host;
  private final int port;
  private final SslContext tls;
  private final long idleNanos;
  private final long sweepNanos;

  /** {@code trust}: null for the JDK's trust store. */
  ConnectionPool(VertxInternal vertx, URI url, int poolSize, int connectTimeoutMillis, TrustManagerFactory trust,
      Duration idle) {
    this.idleNanos = idle.toNanos();
    this.sweepNanos = Math.min(TimeUnit.SECONDS.toNanos(5), idleNanos / 5);
    String h = url.getHost();
    this.host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    this.port = port(url);
    this.tls = "https".equals(url.getScheme()) ? tls(trust) : null;
    for (EventExecutor e : vertx.nettyEventLoopGroup()) {
      loops.put(e, new Loop((EventLoop) e, poolSize));
    }
    // Vert.x's own transport and resolver: the same channel kind as the listener, and names resolved
    // without blocking the event loop.
    this.bootstrap = new Bootstrap()
        .channelFactory(vertx.transport().channelFactory(false))
        .resolver(vertx.nameResolver().nettyAddressResolverGroup())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
  }

  /** The connections of {@code loop}, or null when it is not one of this Vert.x instance's loops. */
  Loop on(EventLoop loop) {
    return loops.get(loop);
  }

  /** Some loop's connections, for a call made off the event loops. */
  Loop any() {
    return loops.values().iterator().next();
  }

  /** Closes idle connections and fails waiting calls; exchanges under way end, then their connections close. */
  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    AtomicInteger left = new AtomicInteger(loops.size());
    for (Loop l : loops.values()) {
      Runnable shut = () -> {
        l.shut();
        if (left.decrementAndGet() == 0) {
          done.tryComplete();
        }
      };
      try {
        l.loop.execute(shut);
      } catch (RejectedExecutionException stopped) {
        shut.run(); // the event loop is gone, and its connections with it
      }
    }
    return done.future();
  }

  /**
   * The deadlines of one loop's calls, earliest first, under one timer. Every call to an upstream has
   * the same timeout, and a loop starts its calls one after another, so the order they start in is
   * the order their time runs out in: a call joins at the end and leaves from anywhere, and the timer
   * is set for the first. That is a link and an unlink a call, where a timer of its own was a task
   * made, put in the event loop's timer queue and taken out again, for nearly every call.
   */
  static final class Deadlines {
    private final EventLoop loop;
    private final Runnable expire = this::expire;
    private UpstreamCall first;
    private UpstreamCall last;
    private ScheduledFuture<?> timer;

    Deadlines(EventLoop loop) {
      this.loop = loop;
    }

    void add(UpstreamCall c) {
      c.earlier = last;
      c.later = null;
      if (last == null) {
        first = c;
      } else {
        last.later = c;
      }
      last = c;
      if (timer == null) {
        arm(first.deadlineNanos);
      }
    }

    void remove(UpstreamCall c) {
      if (c.earlier == null && first != c) {
        return; // not here: removed already, or never added
      }
      if (c.earlier == null) {
        first = c.later;
      } else {
        c.earlier.later = c.later;
      }
      if (c.later == null) {
        last = c.earlier;
      } else {
        c.later.earlier = c.earlier;
      }
      c.earlier = null;
      c.later = null;
      // the timer stays: it finds the next call's time not yet up and is set again for it
    }

    /** Fails every call whose time is up, then sets the timer for the first that is left. */
    private void expire() {
      timer = null;
      long now = System.nanoTime();
      try {
        UpstreamCall c;
        while ((c = first) != null && c.deadlineNanos - now <= 0) {
          remove(c);
          c.timedOut();
        }
      } finally {
        // set again even if a call's failure threw, or a call was added meanwhile
        if (first != null && timer == null) {
          arm(first.deadlineNanos);
        }
      }
    }

    private void arm(long at) {
      timer = loop.schedule(expire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** The calls waiting on their deadlines, for tests. */
    int size() {
      int n = 0;
      for (UpstreamCall c = first; c != null; c = c.later) {
        n++;
      }
      return n;
    }

    /** Whether the timer is set, for tests. */
    boolean armed() {
      return timer != null;
    }
  }

  /** One event loop's connections. Every method runs on that loop. */
  final class Loop {
    final EventLoop loop;
    final Deadlines deadlines;
    private final int cap;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<UpstreamCall> waiting = new ArrayDeque<>();
    private int open;
    private boolean shut;
    private ScheduledFuture<?> sweeper;

    Loop(EventLoop loop, int cap) {
      this.loop = loop;
      this.deadlines = new Deadlines(loop);
      this.cap = cap;
    }

    /** Gives {@code call} an idle connection, a new one, or a place in the queue. */
    void acquire(UpstreamCall call) {
      // Last in, first out: the connection used last is the likeliest to be open at the far end too.
      // (A shut pool has none idle.)
      UpstreamConnection c;
      while ((c = idle.pollLast()) != null) {
        if (c.clean()) {
          call.granted(c);
          return;
        }
        c.channel().close(); // closing, or it read bytes while idle that nobody asked for
      }
      acquireFresh(call);
    }

    /**
     * Gives {@code call} a new connection, or a place in the queue: for a call sent again because
     * its connection turned out closed, when the idle ones may be closed as well.
     */
    void acquireFresh(UpstreamCall call) {
      if (shut) {
        call.failed(new UpstreamFailed("upstream client closed"));
      } else if (open < cap) {
        connect(call);
      } else {
        waiting.addLast(call);
      }
    }

    /** Takes back a connection whose exchange ended cleanly. */
    void release(UpstreamConnection c) {
      if (shut || !c.clean()) {
        c.channel().close();
        return;
      }
      UpstreamCall next;
      while ((next = waiting.pollFirst()) != null) {
        if (next.granted(c)) {
          return;
        }
      }
      c.idleSince = System.nanoTime();
      idle.addLast(c);
    }

    private void closed(UpstreamConnection c) {
      open--;
      idle.remove(c);
      serveWaiting();
    }

    /** Opens connections for waiting calls while the bound allows. */
    private void serveWaiting() {
      UpstreamCall next;
      while (open < cap && (next = waiting.pollFirst()) != null) {
        if (!next.isOver()) {
          connect(next);
        }
      }
    }

    private void connect(UpstreamCall call) {
      open++;
      ensureSweeper();
      UpstreamConnection c = new UpstreamConnection(this);
      ChannelFuture connected = bootstrap.clone(loop).handler(new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
          if (tls != null) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
          }
          c.attach(ch);
          ch.closeFuture().addListener(f -> closed(c));
        }
      }).connect(host, port);
      connected.addListener(f -> {
        if (!f.isSuccess()) {
          if (c.channel() == null) {
            open--; // never set up, so its close is not counted
            serveWaiting();
          }
          call.failed(new UpstreamFailed("cannot connect to the upstream", f.cause()));
          return;
        }
        SslHandler handshake = c.channel().pipeline().get(SslHandler.class);
        if (handshake == null) {
          ready(c, call);
          return;
        }
        handshake.handshakeFuture().addListener(h -> {
          if (h.isSuccess()) {
            ready(c, call);
          } else {
            c.channel().close();
            call.failed(new UpstreamFailed("TLS with the upstream failed", h.cause()));
          }
        });
      });
    }

    private void ready(UpstreamConnection c, UpstreamCall call) {
      if (!call.granted(c)) {
        release(c); // the call gave up while this connected: the next one can use it
      }
    }

    private void ensureSweeper() {
      if (sweeper == null && !shut) {
        sweeper = loop.scheduleAtFixedRate(this::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
      }
    }

    /** Closes connections idle for longer than allowed (the oldest are first in line). */
    private void sweep() {
      long now = System.nanoTime();
      UpstreamConnection c;
      while ((c = idle.peekFirst()) != null && now - c.idleSince > idleNanos) {
        idle.pollFirst().channel().close();
      }
    }

    private void shut() {
      shut = true;
      if (sweeper != null) {
        sweeper.cancel(false);
      }
      UpstreamConnection c;
      while ((c = idle.pollFirst()) != null) {
        c.channel().close();
      }
      UpstreamCall w;
      while ((w = waiting.pollFirst()) != null) {
        w.failed(new UpstreamFailed("upstream client closed"));
      }
    }
  }

  /** The client TLS context on the JDK's trust store, built once and shared by every https upstream. */
  private static volatile SslContext jdkTrust;

  private static SslContext tls(TrustManagerFactory trust) {
    if (trust != null) {
      return newTls(trust);
    }
    SslContext shared = jdkTrust;
    if (shared == null) {
      synchronized (ConnectionPool.class) {
        shared = jdkTrust;
        if (shared == null) {
          // One per process: a context per upstream would read the trust store once for each
          // project of a templated upstream.
          jdkTrust = shared = newTls(null);
        }
      }
    }
    return shared;
  }

  private static SslContext newTls(TrustManagerFactory trust) {
    try {
      // The upstream's name is checked against its certificate, which must chain to a trusted root.
      return SslContextBuilder.forClient().trustManager(trust).endpointIdentificationAlgorithm("HTTPS").build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for upstreams", e);
    }
  }

  static int port(URI url) {
    int p = url.getPort();
    return p > 0 ? p : "https".equals(url.getScheme()) ? 443 : 80;
  }
}
