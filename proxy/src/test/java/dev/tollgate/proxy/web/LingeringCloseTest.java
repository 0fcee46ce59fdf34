package dev.tollgate.proxy.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lingering close on its own, under a server that answers at the first bytes and closes twice
 * at once (as Vert.x may after a decoder failure) while the sender is still sending a large body.
 */
class LingeringCloseTest {
  private static final String ANSWER = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final CompletableFuture<Void> closedPromises = new CompletableFuture<>();

  @AfterEach
  void stop() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private int serve(boolean linger) throws Exception {
    ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (linger) {
              ch.pipeline().addLast(new LingeringClose());
            }
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              private boolean answered;

              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                if (!answered) {
                  answered = true;
                  // read nothing more, as a decoder that refused the request does: the rest of the
                  // body stays unread in the socket, which is what makes a plain close a reset
                  ctx.channel().config().setAutoRead(false);
                  ctx.writeAndFlush(Unpooled.copiedBuffer(ANSWER, ISO_8859_1)).addListener(f -> {
                    ChannelFuture first = ctx.close();
                    ChannelFuture second = ctx.channel().close();
                    first.addListener(a -> second.addListener(b -> closedPromises.complete(null)));
                  });
                }
              }
            });
          }
        }).bind("127.0.0.1", 0).sync();
    Channel server = bound.channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /**
   * Sends a head and the first 2 MiB of a 4 MiB body, reads the answer to its end, then sends the
   * rest of the body (a sender that reads the answer only when it is done sending is the usual
   * case; this one interleaves, to see that the server still takes bytes after its answer) and its
   * FIN.
   */
  private static String exchange(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nX-\u0001: 1\r\nContent-Length: 4194304\r\n\r\n".getBytes(ISO_8859_1));
      out.write(new byte[2 << 20]);
      String answer = new String(s.getInputStream().readAllBytes(), ISO_8859_1);
      out.write(new byte[2 << 20]);
      s.shutdownOutput();
      return answer;
    }
  }

  @Test
  void theAnswerArrivesWholeThoughTheSenderWasStillSendingAndTheServerClosedTwice() throws Exception {
    long start = System.nanoTime();
    assertThat(exchange(serve(true))).isEqualTo(ANSWER);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(Exchange.LINGER_MILLIS);
    closedPromises.get(5, TimeUnit.SECONDS); // both closes completed once the channel closed
  }

  /**
   * The control: without it, the sender gets resets instead. Not every time: when the close finds
   * nothing unread it sends a FIN, and the reset of a later segment can come after the sender is done
   * (about one exchange in eight did on a loaded machine), so of ten at least one must be a reset.
   */
  @Test
  void withoutItTheSenderGetsResetsInstead() throws Exception {
    int port = serve(false);
    int resets = 0;
    for (int i = 0; i < 10; i++) {
      try {
        exchange(port);
      } catch (java.net.SocketException e) {
        resets++;
      }
    }
    assertThat(resets).as("exchanges of ten that ended in a reset").isPositive();
  }
}
