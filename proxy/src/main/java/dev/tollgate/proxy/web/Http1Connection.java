package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One HTTP/1.x connection, after its {@link RequestDecoder}: hands each request to {@link Routes}, one
 * at a time, on the connection's Vert.x context. A pipelined request waits, read but not begun,
 * until the one before it is answered and its body read, so answers leave in the order the requests
 * came; while one waits, while a paused request holds a chunk, or while the socket does not take the
 * answers, the connection reads nothing more.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(Http1Connection.class.getName());
  private final ContextInternal context;
  private final Routes routes;
  private final ArrayDeque<Object> queued = new ArrayDeque<>(2);
  private final io.vertx.core.Handler<Object> reader = this::read;
  private ChannelHandlerContext ctx;
  private String remote;
  /** The request being served: begun, and not both answered and read. */
  private Http1Request current;
  private boolean answered;
  /** The current request's body has come to its end (it may still wait in a paused request). */
  private boolean bodyReceived;
  /** The current request's body has been handed over to its end, or failed. */
  private boolean bodyEnded;
  /** The answer said the connection ends: once it is out and the body read, close. */
  private boolean closeAfter;
  private boolean closing;
  private boolean reading = true;
  private boolean draining;
  private ChannelFuture lastWrite;

  Http1Connection(ContextInternal context, Routes routes) {
    this.context = context;
    this.routes = routes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    SocketAddress a = ctx.channel().remoteAddress();
    this.remote = a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress() : null;
  }

  String remoteAddress() {
    return remote;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    context.dispatch(msg, reader);
  }

  private void read(Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
    } else if (!queued.isEmpty() || current != null && bodyReceived || current == null && !writable()) {
      // a pipelined request (or more of one): its turn comes once the current one is answered,
      // and the answers before it have left (see channelWritabilityChanged)
      queued.add(msg);
      readIfWanted();
    } else {
      process(msg);
    }
  }

  private void process(Object msg) {
    try {
      if (msg instanceof HttpRequest head) {
        begin(head);
      }
      if (msg instanceof HttpContent c && current != null && !bodyReceived) {
        bodyReceived = c instanceof LastHttpContent;
        current.content(c);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
    readIfWanted();
  }

  private void begin(HttpRequest head) {
    Http1Request r = new Http1Request(this, head);
    current = r;
    answered = false;
    bodyReceived = false;
    bodyEnded = false;
    if (head.decoderResult().isSuccess() && r.version() != null) {
      try {
        routes.handle(r);
      } catch (RuntimeException | StackOverflowError e) {
        // a defect before any exchange could answer (Routes answers what its endpoints throw):
        // nothing will answer this request, so nothing may be read after it
        LOG.log(System.Logger.Level.ERROR, "request failed before it could be answered: " + e, e);
        close();
      }
    } else {
      // the decoder reads nothing more on this connection: there is no body to wait for
      LOG.log(System.Logger.Level.DEBUG, () -> "request refused by the decoder ("
          + (head.decoderResult().cause() == null ? "version " + head.protocolVersion()
          : head.decoderResult().cause().getClass().getName()) + ")");
      bodyReceived = true;
      bodyEnded = true;
      closeAfter = true;
      r.endWithoutBody();
      routes.invalid(r);
    }
  }

  /**
   * The answer to {@code r}, written now ({@code body}'s reference is taken); the future completes
   * once it is on the socket.
   */
  Future<Void> answer(Http1Request r, HttpVersion version, HttpResponseStatus status, HttpHeaders headers, ByteBuf body,
      boolean keepAlive) {
    PromiseInternal<Void> written = context.promise();
    if (!onLoop()) {
      context.execute(v -> answer(r, version, status, headers, body, keepAlive).onComplete(written));
      return written.future();
    }
    if (closing || r != current) {
      body.release();
      written.fail(new ClosedChannelException());
      return written.future();
    }
    answered = true;
    closeAfter |= !keepAlive;
    lastWrite = ctx.writeAndFlush(ResponseEncoding.encode(ctx.alloc(), version, status, headers, body));
    lastWrite.addListener(written);
    if (bodyEnded) {
      next();
    }
    return written.future();
  }

  void writeContinue() {
    onLoop(() -> {
      if (!closing) {
        ctx.writeAndFlush(ResponseEncoding.continue11(), ctx.voidPromise());
      }
    });
  }

  void bodyEnded(Http1Request r) {
    if (r == current) {
      bodyEnded = true;
      if (answered) {
        next();
      }
    }
  }

  /** The body cannot be read to its end (malformed framing, or the connection went): nothing follows it. */
  void bodyFailed(Http1Request r) {
    if (r == current) {
      closeAfter = true;
      bodyReceived = true;
      bodyEnded(r);
    }
  }

  /** The current request is answered and read: close, or begin what was pipelined behind it. */
  private void next() {
    current = null;
    if (closeAfter) {
      close();
      return;
    }
    drain();
  }

  /** Begins what was pipelined, one request at a time, while the answers before it can leave. */
  private void drain() {
    if (draining) {
      return; // the loop below, further up the stack, goes on
    }
    draining = true;
    try {
      // Only a live socket that takes answers begins the next request: a reset one (whose close
      // Netty reports a little later) would have work done and audited for a client that is gone.
      while (!closing && !queued.isEmpty() && (current == null || !bodyReceived)
          && (current != null || ctx.channel().isWritable())) {
        process(queued.poll());
      }
    } finally {
      draining = false;
    }
    readIfWanted();
  }

  /**
   * Whether the socket takes answers now. A closed one counts as taking them: what the decoder
   * hands on after the close (the half-read request it reports) is still answered, and audited.
   */
  private boolean writable() {
    return ctx.channel().isWritable() || !ctx.channel().isActive();
  }

  /**
   * Write back-pressure: while the socket does not take the answers as fast as they are made (a
   * client that pipelines and does not read), no new request is begun and nothing more is read, so
   * the answers waiting in memory stay within about one answer past Netty's high-water mark.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    context.dispatch(null, v -> {
      if (current == null) {
        drain();
      } else {
        readIfWanted();
      }
    });
    super.channelWritabilityChanged(ctx);
  }

  /**
   * Whether the caller runs on this connection's event loop. Everything here runs there: a call from
   * any other thread (a callback completed elsewhere) is carried over to it, as Vert.x's own server
   * does, rather than racing the loop.
   */
  boolean onLoop() {
    return ctx.executor().inEventLoop();
  }

  /** Runs {@code task} on this connection's event loop, now when the caller is on it. */
  void onLoop(Runnable task) {
    if (onLoop()) {
      task.run();
    } else {
      context.execute(v -> task.run());
    }
  }

  /**
   * Reads while nothing waits: no pipelined request queued, no chunk held by a paused request, and
   * between requests, no answer the socket has not taken.
   *
   * <p>The price of the last: a client that sends a whole pipeline before it reads anything, with a
   * large body behind an answer larger than the socket's buffers, waits until the idle timeout
   * closes the connection, since the body's request is not begun while the answer before it is
   * unread. Beginning it anyway would let a client that never reads have answers made for it
   * without bound.
   */
  void readIfWanted() {
    // the current request's body is read whatever the socket's state: its sender may read nothing
    // before it has sent it all
    boolean wanted = !closing && queued.isEmpty() && (current == null ? writable() : !current.holding());
    if (wanted != reading) {
      reading = wanted;
      ctx.channel().config().setAutoRead(wanted);
    }
  }

  /** Makes this connection's close linger (see {@link LingeringClose}). */
  void linger() {
    LingeringClose.install(ctx.pipeline());
  }

  /** Closes once the last answer is written: a close before it would discard what is unwritten. */
  void close() {
    onLoop(() -> {
      if (!closing) {
        closing = true;
        readIfWanted();
        if (lastWrite == null || lastWrite.isDone()) {
          ctx.channel().close();
        } else {
          lastWrite.addListener(f -> ctx.channel().close());
        }
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    context.dispatch(null, v -> closed());
    super.channelInactive(ctx);
  }

  private void closed() {
    closing = true;
    queued.forEach(ReferenceCountUtil::release);
    queued.clear();
    Http1Request r = current;
    if (r != null) {
      r.response().connectionClosed();
      r.fail(new ClosedChannelException());
      r.releaseWaiting();
    }
  }

  /** A connection's failure (a reset, a TLS error) closes it, logged as the server logs one. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Http1Server.connectionFailed(cause);
    close();
  }
}
