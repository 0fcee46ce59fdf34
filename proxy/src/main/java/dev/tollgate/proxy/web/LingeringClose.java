package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;

/**
 * A lingering close for a connection whose request the HTTP decoder refused. Vert.x closes such a
 * connection as soon as the answer is flushed, while the sender may still be sending its body: the
 * kernel then answers the unread bytes with a reset, and the sender's kernel drops our 400, 414 or
 * 431 before it is read. Here the close sends a FIN after the answer instead, reads and drops what
 * still arrives, and closes when the sender has closed its side, after {@link Exchange#LINGER_MILLIS}
 * or after {@link Exchange#LINGER_BYTES}, as nginx's lingering close does and as {@link Exchange}
 * does for an unread body it controls.
 */
final class LingeringClose extends ChannelDuplexHandler {
  private static final String NAME = "tollgate-lingering-close";
  private boolean lingering;
  private long dropped;
  private ScheduledFuture<?> timer;

  LingeringClose() {}

  /** Makes {@code connection}'s close linger; false when its pipeline cannot be reached. */
  static boolean install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase c)) {
      return false;
    }
    ChannelHandlerContext ctx = c.channelHandlerContext();
    if (ctx.pipeline().get(NAME) == null) {
      ctx.pipeline().addFirst(NAME, new LingeringClose());
    }
    return true;
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    Channel ch = ctx.channel();
    if (lingering) {
      // another close while lingering (Vert.x may close twice): it ends with the lingering, which
      // closes through ctx.close and never comes back here
      ch.closeFuture().addListener(f -> promise.trySuccess());
      return;
    }
    if (!ch.isActive() || !(ch instanceof DuplexChannel duplex) || duplex.isInputShutdown()) {
      closeNow(ctx, promise);
      return;
    }
    lingering = true;
    timer = ctx.executor().schedule(() -> closeNow(ctx, ctx.newPromise()), Exchange.LINGER_MILLIS,
        TimeUnit.MILLISECONDS);
    // however it closes (the sender's FIN closes it in Netty, without passing here again)
    ch.closeFuture().addListener(f -> {
      timer.cancel(false);
      promise.trySuccess();
    });
    ch.config().setAutoRead(true);
    // the answer is flushed already (Vert.x closes once it is): the FIN follows it
    duplex.shutdownOutput().addListener(f -> {
      if (!f.isSuccess()) {
        closeNow(ctx, ctx.newPromise());
      }
    });
    ch.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!lingering) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (msg instanceof ByteBuf b) {
      dropped += b.readableBytes();
    }
    ReferenceCountUtil.release(msg);
    if (dropped > Exchange.LINGER_BYTES) {
      closeNow(ctx, ctx.newPromise());
    }
  }

  /** Only with half-closure allowed: otherwise Netty closes the channel itself at the sender's FIN. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (lingering && evt instanceof ChannelInputShutdownEvent) {
      closeNow(ctx, ctx.newPromise()); // the sender closed its side: everything it sent is read
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  private static void closeNow(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.close(promise);
  }
}
