package dev.tollgate.proxy.upstream;

import dev.tollgate.auth.upstream.BoundedBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection to an upstream and the exchange on it, if any: writes a call's head
 * and body, reads the answer through Netty's HTTP/1.1 response decoder, bounded by the call's
 * limit, and hands the connection back to its pool only when both sides of the exchange are done
 * and the upstream keeps the connection open. Anything else closes it: an answer before the whole
 * body was sent (once that write ends), bytes nobody asked for, a malformed answer, a timeout.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  private final ConnectionPool.Loop pool;
  private Channel channel;
  long idleSince;

  private UpstreamCall call;
  private boolean written;
  private boolean draining;
  private boolean reusable;
  /** Exchanges begun here, and whether this one has heard a byte of its answer. */
  private int exchanges;
  private boolean heard;
  private final AnswerDecoder decoder = new AnswerDecoder();
  private boolean informational;
  private int status;
  private boolean keepAlive;
  private String contentType;
  private String retryAfter;
  private ByteBuf body;

  UpstreamConnection(ConnectionPool.Loop pool) {
    this.pool = pool;
  }

  /** Adds the decoder and this connection to {@code ch}'s pipeline. */
  void attach(Channel ch) {
    this.channel = ch;
    ch.pipeline().addLast(decoder, this);
  }

  /** The channel, or null before the connection is set up. */
  Channel channel() {
    return channel;
  }

  /** Sends {@code c}'s request; the answer, or a failure, completes {@code c}. */
  void exchange(UpstreamCall c) {
    call = c;
    exchanges++;
    heard = false;
    decoder.expectAnswer();
    written = false;
    informational = false;
    status = 0;
    Future<Void> sent;
    if (c.body == null || !c.body.isDirect()) {
      // Head and body in one direct buffer: Netty would copy a heap body into direct memory for
      // the socket anyway, and one message is one entry to flush where two cost twice.
      ByteBuf out;
      try {
        out = headAndBody(c);
      } catch (OutOfMemoryError noDirectMemory) {
        abort(c, new UpstreamFailed("no memory to send the request upstream", noDirectMemory));
        return;
      }
      sent = channel.writeAndFlush(out);
    } else {
      channel.write(Unpooled.wrappedBuffer(c.head.bytes(), 0, c.head.length()), channel.voidPromise());
      // A large body already off the heap is sent as it is. A duplicate, so that a second attempt
      // (after a refused credential) sends it from its start; the reference it holds is released
      // by Netty once the socket has taken the bytes.
      sent = channel.writeAndFlush(c.body.retainedDuplicate());
    }
    sent.addListener(f -> sent(c, f));
  }

  /** A direct buffer holding {@code c}'s head and body; the body's own indices stay as they are. */
  private ByteBuf headAndBody(UpstreamCall c) {
    int bodyLength = c.body == null ? 0 : c.body.readableBytes();
    ByteBuf out = channel.alloc().directBuffer(c.head.length() + bodyLength);
    try {
      out.writeBytes(c.head.bytes(), 0, c.head.length());
      if (c.body != null) {
        out.writeBytes(c.body, c.body.readerIndex(), bodyLength);
      }
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  private void sent(UpstreamCall c, Future<?> f) {
    if (call != c) {
      if (draining) {
        channel.close(); // the write of an answered call has ended; see answered()
      }
      return;
    }
    if (f.isSuccess()) {
      written = true;
    } else {
      broken(new UpstreamFailed("sending to the upstream failed", f.cause()));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (call == null) {
        channel.close(); // bytes nobody asked for: nothing more read here can be trusted
        return;
      }
      heard = true;
      if (msg instanceof HttpResponse head) {
        head(head);
      }
      if (call != null && msg instanceof HttpContent content) {
        content(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void head(HttpResponse head) {
    if (head.decoderResult().isFailure()) {
      abort(call, new UpstreamFailed("the upstream's answer is not HTTP/1.1", head.decoderResult().cause()));
      return;
    }
    int code = head.status().code();
    if (code == 101) {
      abort(call, new UpstreamFailed("the upstream switched protocols"));
      return;
    }
    informational = code < 200; // 100 Continue and the like: the real answer follows
    if (informational) {
      return;
    }
    long declared;
    if (code == 204 || code == 304) {
      declared = 0; // never a body, whatever length a 304 repeats
    } else {
      try {
        declared = HttpUtil.getContentLength(head, -1L);
      } catch (NumberFormatException e) {
        declared = Long.MAX_VALUE; // the decoder checks it; an unreadable length is not trusted anyway
      }
    }
    if (declared > call.maxResponseBytes) {
      abort(call, new ResponseTooLarge(call.maxResponseBytes));
      return;
    }
    status = code;
    keepAlive = HttpUtil.isKeepAlive(head) && !decoder.framingInDoubt();
    contentType = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
    retryAfter = head.headers().get(HttpHeaderNames.RETRY_AFTER);
    body = Unpooled.buffer(BoundedBody.presize(declared));
  }

  private void content(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      abort(call, new UpstreamFailed("the upstream's answer is not HTTP/1.1", content.decoderResult().cause()));
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (informational) {
      informational = !last;
      return;
    }
    ByteBuf bytes = content.content();
    if (body.readableBytes() + (long) bytes.readableBytes() > call.maxResponseBytes) {
      abort(call, new ResponseTooLarge(call.maxResponseBytes));
      return;
    }
    body.writeBytes(bytes);
    if (last) {
      answered();
    }
  }

  private void answered() {
    UpstreamCall c = call;
    call = null;
    decoder.answered();
    UpstreamReply reply = new UpstreamReply(status, BufferInternal.buffer(body), contentType, retryAfter);
    body = null;
    if (!written) {
      // Answered before it had the whole body (a 413, say): the upstream may still read the rest,
      // so the write goes on, but only until it ends or the call's time is up. The connection is
      // not used again: what the upstream makes of the rest is unknown.
      draining = true;
      channel.eventLoop().schedule(() -> channel.close(), c.millisLeft(), TimeUnit.MILLISECONDS);
    } else if (keepAlive) {
      // Not handed back here: the decoder may still hold bytes of this read, which would become
      // the next exchange's answer. channelReadComplete hands it back once the read is done.
      reusable = true;
    } else {
      channel.close();
    }
    c.answered(reply);
  }

  // An answer read to the connection's close ends inside the decoder's decodeLast, after which
  // Netty fires channelReadComplete on the closed channel: release then closes it (clean() is false).
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (reusable) {
      reusable = false;
      pool.release(this); // which closes it instead if the read held more than the answer
    }
  }

  /** Whether a new exchange can start here: open, and nothing unasked for read since the last. */
  boolean clean() {
    return channel.isActive() && decoder.clean();
  }

  /** Ends {@code c} with {@code err} if it is still this connection's exchange, and closes the connection. */
  void abort(UpstreamCall c, Throwable err) {
    if (call != c) {
      return;
    }
    detach();
    c.failed(err);
  }

  /** Lets go of the current exchange and closes the connection, which no exchange can use after it. */
  private void detach() {
    call = null;
    body = null;
    channel.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (call != null) {
      broken(new UpstreamFailed("the upstream closed the connection before it answered"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (call != null) {
      broken(new UpstreamFailed("the connection to the upstream failed", cause));
    } else {
      channel.close();
    }
  }

  /**
   * The connection failed under the current exchange. A kept-alive connection the upstream closed
   * while idle fails the first request sent on it, before a byte of an answer: that request is sent
   * once more on another connection when it may be (a GET; see {@link UpstreamCall#replay}).
   * Anything else fails the exchange.
   */
  private void broken(UpstreamFailed err) {
    UpstreamCall c = call;
    boolean staleKeptAlive = exchanges > 1 && !heard;
    // Detached first: the closed connection leaves the pool's count before the replay asks for one.
    detach();
    if (!staleKeptAlive || !c.replay()) {
      c.failed(err);
    }
  }
}
