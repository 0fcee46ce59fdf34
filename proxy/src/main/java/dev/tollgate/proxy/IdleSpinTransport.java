package dev.tollgate.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.IntSupplier;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;

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
  private final io.vertx.core.spi.transport.Transport implementation;

  private IdleSpinTransport(long spinNanos) {
    this.implementation = new Implementation(io.vertx.core.transport.Transport.NIO.implementation(), spinNanos);
  }

  /** The NIO transport with loops that poll for {@code spin} before sleeping. */
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
   * Polls with {@code selectNow} until it finds ready sockets or the spin time is over, then lets
   * the loop block in {@code select} as usual. With tasks queued it polls once and returns, as
   * Netty's default strategy does; a task queued while it spins is run at the latest when the spin
   * ends, because the loop checks for tasks again before it blocks.
   */
  static final class SpinThenSelect implements SelectStrategy {
    private final long spinNanos;

    SpinThenSelect(long spinNanos) {
      this.spinNanos = spinNanos;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
      if (hasTasks) {
        return selectNow.get();
      }
      long deadline = System.nanoTime() + spinNanos;
      do {
        int ready = selectNow.get();
        if (ready > 0) {
          return ready;
        }
        Thread.onSpinWait();
      } while (System.nanoTime() - deadline < 0);
      return SelectStrategy.SELECT;
    }
  }

  /** NIO's channels and addresses, with event loops whose I/O handler spins before selecting. */
  static final class Implementation implements io.vertx.core.spi.transport.Transport {
    private final io.vertx.core.spi.transport.Transport nio;
    private final long spinNanos;

    Implementation(io.vertx.core.spi.transport.Transport nio, long spinNanos) {
      this.nio = nio;
      this.spinNanos = spinNanos;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return NioIoHandler.newFactory(SelectorProvider.provider(), () -> new SpinThenSelect(spinNanos));
    }

    @Override
    public boolean supportsDomainSockets() {
      return nio.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return nio.supportFileRegion();
    }

    @Override
    public java.net.SocketAddress convert(SocketAddress address) {
      return nio.convert(address);
    }

    @Override
    public SocketAddress convert(java.net.SocketAddress address) {
      return nio.convert(address);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return nio.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return nio.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return nio.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return nio.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      nio.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      nio.configure(options, connectTimeout, domainSocket, bootstrap);
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      nio.configure(options, domainSocket, bootstrap);
    }
  }
}
