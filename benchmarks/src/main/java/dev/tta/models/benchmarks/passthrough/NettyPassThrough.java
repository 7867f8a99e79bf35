package dev.tta.models.benchmarks.passthrough;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.net.URI;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /v1/chat/completions} passed to one upstream and its answer returned, on Netty's
 * event loops alone, the way nginx proxies: each client connection gets one kept-alive upstream
 * connection on the same event loop, so a request crosses no thread. Usage: {@code NettyPassThrough
 * PORT UPSTREAM_URL}; prints {@code ready} once it listens.
 */
public final class NettyPassThrough {

  private static final int MAX_BODY = 1 << 20;

  private NettyPassThrough() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    URI upstream = URI.create(args[1]);
    // one loop per core, as nginx's "worker_processes auto"
    EventLoopGroup loops =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), NioIoHandler.newFactory());
    new ServerBootstrap()
        .group(loops)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                channel
                    .pipeline()
                    .addLast(
                        new HttpServerCodec(),
                        new HttpObjectAggregator(MAX_BODY),
                        new Front(upstream));
              }
            })
        .bind("127.0.0.1", port)
        .sync();
    System.out.println("ready");
  }

  /** A client connection: forwards its requests to its own upstream connection. */
  private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final URI upstream;
    private ChannelFuture back;
    private boolean keepAlive;

    Front(URI upstream) {
      this.upstream = upstream;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel front = ctx.channel();
      back =
          new Bootstrap()
              .group(front.eventLoop())
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                      channel
                          .pipeline()
                          .addLast(
                              new HttpClientCodec(),
                              new HttpObjectAggregator(MAX_BODY),
                              new Back(front, () -> keepAlive));
                    }
                  })
              .connect(upstream.getHost(), upstream.getPort());
      back.addListener(
          (ChannelFutureListener)
              connected -> {
                if (!connected.isSuccess()) {
                  front.close();
                } else {
                  connected.channel().closeFuture().addListener(closed -> front.close());
                }
              });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      keepAlive = HttpUtil.isKeepAlive(request);
      request.setUri(upstream.getRawPath());
      request.headers().set(HttpHeaderNames.HOST, upstream.getAuthority());
      // kept alive towards the upstream whatever the client asked for
      request.headers().remove(HttpHeaderNames.CONNECTION);
      FullHttpRequest forwarded = request.retain();
      if (back.isDone()) {
        back.channel().writeAndFlush(forwarded);
      } else {
        back.addListener((ChannelFutureListener) ready -> ready.channel().writeAndFlush(forwarded));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      back.channel().close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** The upstream connection of one client connection: its answers go back to that client. */
  private static final class Back extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Channel front;
    private final BooleanSupplier keepAlive;

    Back(Channel front, BooleanSupplier keepAlive) {
      this.front = front;
      this.keepAlive = keepAlive;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      ChannelFuture written = front.writeAndFlush(response.retain());
      if (!keepAlive.getAsBoolean()) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
