package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lingering close for a connection whose request the HTTP decoder refused. {@link Http1Connection}
 * closes such a connection once the answer is written, while the sender may still be sending its body: the
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

  /** Makes the close of the connection whose pipeline this is linger. */
  static void install(ChannelPipeline pipeline) {
    if (pipeline.get(NAME) == null) {
      pipeline.addFirst(NAME, new LingeringClose());
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    Channel ch = ctx.channel();
    if (lingering) {
      // another close while lingering (the connection and Vert.x's socket may both close): it ends with the lingering, which
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
    // the answer was written before the close: the FIN follows it
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
