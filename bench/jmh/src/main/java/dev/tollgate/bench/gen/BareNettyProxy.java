package dev.tollgate.bench.gen;

import dev.tollgate.proxy.Tollgate;
import dev.tollgate.proxy.upstream.Upstream;
import dev.tollgate.proxy.upstream.UpstreamReply;
import dev.tollgate.proxy.upstream.UpstreamRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServerOptions;

/**
 * The floor of a Netty HTTP/1.1 listener on Tollgate's event loop: BareProxy's job (read the
 * whole body, copy it once, send it upstream through Tollgate's own connections, send the answer
 * back) with Netty's HTTP codec in the connection's pipeline instead of Vert.x's HTTP server. It
 * measures what Vert.x's server layer costs per request on top of the codec it is built on.
 * Investigation only, for HTTP/1.1 clients: no limits, no back-pressure, no idle timeout, no
 * pipelining order (wrk does not pipeline); a request the decoder refused gets a bare 400 and the
 * connection closes, a failed upstream a bare 502.
 *
 * <p>Usage: {@code BareNettyProxy PORT UPSTREAM_PORT}, both on 127.0.0.1.
 */
public final class BareNettyProxy {
  private BareNettyProxy() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    Vertx vertx = Tollgate.newVertx(new VertxOptions().setEventLoopPoolSize(1));
    Upstream upstream = BareProxy.sink(vertx, upstreamPort);
    ((VertxInternal) vertx).createNetServer(new NetServerOptions().setTcpNoDelay(true))
        .connectHandler(so -> {
          // wrk resets its connections when a run ends: nothing to report
          so.exceptionHandler(err -> so.close());
          ChannelPipeline p = ((NetSocketInternal) so).channelHandlerContext().pipeline();
          p.addBefore("handler", "http", new HttpServerCodec());
          p.addBefore("handler", "aggregate", new HttpObjectAggregator(8 << 20));
          p.addBefore("handler", "proxy", new Forward(upstream));
        })
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.err.println("bare netty proxy on 127.0.0.1:" + s.actualPort()))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }

  private static final class Forward extends ChannelInboundHandlerAdapter {
    private final Upstream upstream;

    Forward(Upstream upstream) {
      this.upstream = upstream;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof FullHttpRequest req)) {
        ctx.fireChannelRead(msg);
        return;
      }
      boolean keepAlive;
      String type;
      String path;
      byte[] copy;
      try {
        if (req.decoderResult().isFailure()) {
          FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
          HttpUtil.setContentLength(bad, 0);
          bad.headers().set(HttpHeaderNames.CONNECTION, "close");
          ctx.writeAndFlush(bad).addListener(f -> ctx.close());
          return;
        }
        keepAlive = HttpUtil.isKeepAlive(req);
        type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        path = new QueryStringDecoder(req.uri()).path();
        ByteBuf body = req.content();
        copy = new byte[body.readableBytes()];
        body.readBytes(copy);
      } catch (IllegalArgumentException badUri) {
        ctx.close();
        return;
      } finally {
        req.release();
      }
      upstream.send(UpstreamRequest.post(path, type, Unpooled.wrappedBuffer(copy), null, null))
          .onComplete(ar -> {
            FullHttpResponse resp;
            if (ar.failed()) {
              resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
            } else {
              UpstreamReply reply = ar.result();
              ByteBuf out = reply.body() == null ? Unpooled.EMPTY_BUFFER
                  : ((BufferInternal) reply.body()).getByteBuf();
              resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), out);
              if (reply.contentType() != null) {
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
              }
            }
            HttpUtil.setContentLength(resp, resp.content().readableBytes());
            if (!keepAlive) {
              resp.headers().set(HttpHeaderNames.CONNECTION, "close");
              ctx.writeAndFlush(resp).addListener(f -> ctx.close());
            } else {
              ctx.writeAndFlush(resp, ctx.voidPromise());
            }
          });
    }
  }
}
