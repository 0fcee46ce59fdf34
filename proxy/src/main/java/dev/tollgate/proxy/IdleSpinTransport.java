package dev.tollgate.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.vertx.core.impl.transports.NioTransport;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's NIO transport with event loops that, having run out of work, keep polling their
 * sockets for up to a fixed time before going to sleep in {@code select}.
 *
 * <p>Why: at a steady moderate rate an event loop finishes each request before the next arrives,
 * so it sleeps and is woken for nearly every request and every upstream answer. On a virtual
 * machine whose idle CPU halts, each of those wake-ups costs tens of microseconds of latency and
 * CPU (bench/RESULTS.md). Polling through the short gaps keeps the loop awake. The price is CPU
 * burnt while polling: at most the spin time per idle period, so a loop that is idle for long
 * spins once and then sleeps. Off by default ({@code server.idle_spin}).
 */
final class IdleSpinTransport implements io.vertx.core.transport.Transport {
  private final Implementation implementation;

  private IdleSpinTransport(long spinNanos) {
    this.implementation = new Implementation(spinNanos);
  }

  /** The NIO transport with I/O loops that poll for {@code spin} before sleeping. */
  static IdleSpinTransport nio(Duration spin) {
    if (spin.isNegative() || spin.isZero()) {
      throw new IllegalArgumentException("idle spin must be positive, got " + spin);
    }
    return new IdleSpinTransport(spin.toNanos());
  }

  @Override
  public String name() {
    return "nio-idle-spin";
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return implementation;
  }

  /**
   * NIO in every respect (Vert.x still sees its NIO transport, not a native one) but the I/O
   * loops' handler. The acceptor's loop sleeps at once: new connections are rare.
   */
  static final class Implementation extends NioTransport {
    private final long spinNanos;

    Implementation(long spinNanos) {
      this.spinNanos = spinNanos;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      IoHandlerFactory nio = super.ioHandlerFactory();
      return new IoHandlerFactory() {
        @Override
        public IoHandler newHandler(ThreadAwareExecutor executor) {
          return new SpinningIoHandler(nio.newHandler(executor), spinNanos);
        }

        @Override
        public boolean isChangingThreadSupported() {
          return nio.isChangingThreadSupported();
        }
      };
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
      if (type == ACCEPTOR_EVENT_LOOP_GROUP) {
        return new MultiThreadIoEventLoopGroup(nThreads, threadFactory, super.ioHandlerFactory());
      }
      return super.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }
  }

  /**
   * Wraps NIO's handler. With nothing to do, it keeps running the handler without letting it
   * block (a {@code selectNow} and whatever that found ready) until something was handled, a task
   * or a due timer is waiting for the loop, or the spin is over; only then does the handler run
   * as usual and sleep in {@code select}. A task handed over from another thread is seen at the
   * next poll, so it never waits for the spin to end.
   */
  static final class SpinningIoHandler implements IoHandler {
    private final IoHandler nio;
    private final long spinNanos;
    private IoHandlerContext pollingFor;
    private IoHandlerContext polling;

    SpinningIoHandler(IoHandler nio, long spinNanos) {
      this.nio = nio;
      this.spinNanos = spinNanos;
    }

    @Override
    public int run(IoHandlerContext context) {
      if (!context.canBlock()) {
        return nio.run(context);
      }
      IoHandlerContext poll = polling(context);
      long deadline = System.nanoTime() + spinNanos;
      do {
        int handled = nio.run(poll);
        if (handled > 0 || !context.canBlock()) {
          return handled;
        }
        Thread.onSpinWait();
      } while (System.nanoTime() - deadline < 0);
      return nio.run(context);
    }

    // The loop passes the same context every time: one non-blocking view of it is enough.
    private IoHandlerContext polling(IoHandlerContext context) {
      if (pollingFor != context) {
        polling = new NonBlocking(context);
        pollingFor = context;
      }
      return polling;
    }

    @Override
    public void initialize() {
      nio.initialize();
    }

    @Override
    public void prepareToDestroy() {
      nio.prepareToDestroy();
    }

    @Override
    public void destroy() {
      nio.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
      return nio.register(handle);
    }

    @Override
    public void wakeup() {
      nio.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
      return nio.isCompatible(handleType);
    }
  }

  /** The loop's context, except that the handler may not block: it polls once and returns. */
  private record NonBlocking(IoHandlerContext loop) implements IoHandlerContext {
    @Override
    public boolean canBlock() {
      return false;
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
      return loop.delayNanos(currentTimeNanos);
    }

    @Override
    public long deadlineNanos() {
      return loop.deadlineNanos();
    }

    @Override
    public void reportActiveIoTime(long activeNanos) {
      loop.reportActiveIoTime(activeNanos);
    }

    @Override
    public boolean shouldReportActiveIoTime() {
      return loop.shouldReportActiveIoTime();
    }
  }
}
