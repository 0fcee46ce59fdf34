package dev.tollgate.proxy;

import dev.tollgate.auth.DevIssuer;
import dev.tollgate.auth.TokenVerifier;
import dev.tollgate.config.IssuerConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.policy.Policy;
import dev.tollgate.proxy.audit.AuditLog;
import dev.tollgate.proxy.ingest.IngestHandler;
import dev.tollgate.proxy.ingest.zipkin.ZipkinIngestHandler;
import dev.tollgate.proxy.query.QueryEndpoint;
import dev.tollgate.proxy.upstream.ProjectRoutes;
import dev.tollgate.proxy.web.Authenticator;
import dev.tollgate.proxy.web.HealthEndpoints;
import dev.tollgate.proxy.web.Http1Request;
import dev.tollgate.proxy.web.InFlight;
import dev.tollgate.proxy.web.JwksEndpoint;
import dev.tollgate.proxy.web.Routes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running Tollgate: the listener, its verifier, policy, upstreams and audit log. {@link #start}
 * returns once the port is bound; keys and credentials keep loading in the background and
 * {@code /readyz} says when they are in.
 */
public final class Tollgate {
  private static final System.Logger LOG = System.getLogger(Tollgate.class.getName());
  private final Vertx vertx;
  private final TollgateConfig config;
  private final TokenVerifier verifier;
  private final AtomicReference<Policy> policy;
  private final ProjectRoutes routes;
  private final AuditLog audit;
  private final List<String> deployments = new ArrayList<>();
  private volatile int port;
  private final InFlight inFlight;

  private Tollgate(Vertx vertx, TollgateConfig config, TokenVerifier verifier, Policy policy, ProjectRoutes routes,
      AuditLog audit) {
    this.vertx = vertx;
    this.config = config;
    this.verifier = verifier;
    this.policy = new AtomicReference<>(policy);
    this.routes = routes;
    this.audit = audit;
    this.inFlight = new InFlight(config.server().maxInFlightBytes());
  }

  /**
   * The Vert.x instance a Tollgate with these listener settings runs on: {@code event_loops} event
   * loops, which poll for {@code idle_spin} before they sleep when it is set.
   */
  public static Vertx newVertx(ServerConfig server) {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(server.eventLoops());
    if (server.idleSpin().compareTo(Duration.ZERO) > 0) {
      return Vertx.builder().with(options).withTransport(IdleSpinTransport.nio(server.idleSpin())).build();
    }
    return newVertx(options);
  }

  /** A Vert.x with {@code options} on Tollgate's {@link #transport()}: dev mode's, the tests', the bench's. */
  public static Vertx newVertx(VertxOptions options) {
    return Vertx.builder().with(options).withTransport(transport()).build();
  }

  /**
   * The event loops' transport: Netty's native epoll where it loads (Linux), Java's NIO elsewhere.
   * Epoll reads and writes sockets without NIO's selected-key sets and buffer copies; it is the
   * transport nginx's model maps to, and what the bench measures.
   */
  public static Transport transport() {
    Transport epoll = Transport.EPOLL;
    if (epoll != null && epoll.available()) {
      return epoll;
    }
    Throwable cause = epoll == null ? null : epoll.unavailabilityCause();
    LOG.log(System.Logger.Level.WARNING, "native epoll transport not available"
        + (cause == null ? "" : " (" + cause + ")") + ": event loops use Java NIO");
    return Transport.NIO;
  }

  /**
   * Loads the policy, opens the audit log and binds the listener. Fails (without binding) when the
   * policy is invalid or the audit log cannot be opened: Tollgate never runs unaudited.
   *
   * @param devIssuer the development issuer, only in {@code tollgate dev}; otherwise null
   */
  public static Future<Tollgate> start(Vertx vertx, TollgateConfig config, Clock clock, DevIssuer devIssuer) {
    Policy policy;
    AuditLog audit;
    try {
      policy = Policy.load(config.policyFiles(), config.projectNames(), IssuerConfig.names(config.issuers()));
      audit = AuditLog.open(config.audit());
    } catch (IOException e) {
      return Future.failedFuture(new IllegalStateException("cannot open audit log: " + e.getMessage(), e));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    TokenVerifier verifier = TokenVerifier.create(vertx, config.issuers(), clock, devIssuer);
    ProjectRoutes routes = new ProjectRoutes(vertx, config, clock);
    Tollgate t = new Tollgate(vertx, config, verifier, policy, routes, audit);
    // A start that fails is closed before it says so: the caller may close Vert.x next, which
    // would refuse the worker the audit log's close runs on.
    return verifier.start()
        .compose(v -> routes.start())
        .compose(v -> t.listen(clock))
        .map(t)
        .recover(err -> t.close().transform(closed -> Future.failedFuture(err)));
  }

  private Future<Void> listen(Clock clock) {
    Authenticator authenticator = new Authenticator(verifier);
    IngestHandler ingest = new IngestHandler(authenticator, policy::get, routes, config.ingest(),
        config.server().maxBodyBytes());
    Map<String, Handler<Http1Request>> open = new HashMap<>(HealthEndpoints.routes(this::notReady));
    open.putAll(JwksEndpoint.routes(routes.mintingKeys()));
    String projectHeader = config.ingest().projectHeader();
    ZipkinIngestHandler zipkin = new ZipkinIngestHandler(authenticator, policy::get, routes, projectHeader,
        config.server().maxBodyBytes());
    QueryEndpoint queries = new QueryEndpoint(vertx, authenticator, policy::get, routes, projectHeader, config.query(),
        zipkin);
    Routes dispatch = new Routes(open, List.of(ingest, queries), audit, clock, inFlight);
    // All instances in one deployment: Vert.x binds the socket once and spreads connections over
    // the instances' event loops. It shares a socket by (host, port), and port 0 would give every
    // instance its own port, so "any free port" is resolved to one concrete port first.
    // (on a worker: this may run on an event loop, and the host may be a name to look up)
    Future<Integer> bindPort = config.server().port() != 0 ? Future.succeededFuture(config.server().port())
        : vertx.executeBlocking(() -> FreePort.on(config.server().host()), false);
    java.util.Set<Integer> bound = java.util.concurrent.ConcurrentHashMap.newKeySet();
    return bindPort
        .compose(p -> vertx.deployVerticle(() -> new ServerVerticle(config.server(), p, dispatch, bound::add),
            new DeploymentOptions().setInstances(config.server().eventLoops())))
        .compose(id -> {
          deployments.add(id);
          if (bound.size() != 1) {
            return Future.failedFuture(new IllegalStateException("listener instances bound different ports " + bound));
          }
          port = bound.iterator().next();
          return Future.succeededFuture();
        });
  }

  /** The bytes of request bodies held in memory right now, against {@code server.max_in_flight}. */
  public InFlight inFlight() {
    return inFlight;
  }

  /** Each part that is not ready yet, by name. */
  public List<String> notReady() {
    List<String> missing = new ArrayList<>();
    verifier.status().stream().filter(s -> !s.ready()).forEach(s -> missing.add("issuer " + s.name()));
    routes.notReady().forEach(u -> missing.add("upstream credential " + u));
    if (!audit.writable()) {
      missing.add("audit log");
    }
    return missing;
  }

  /** The bound port (useful when the config asked for port 0). */
  public int port() {
    return port;
  }

  public AuditLog audit() {
    return audit;
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  public ProjectRoutes routes() {
    return routes;
  }

  public Policy policy() {
    return policy.get();
  }

  /**
   * Stops listening, then closes upstream clients, the verifier and the audit log. The log is
   * closed on a worker: closing waits for its writer and writes what is left, which no event loop
   * may wait for (the futures before it complete on one).
   */
  public Future<Void> close() {
    List<Future<Void>> undeploys = new ArrayList<>();
    deployments.forEach(id -> undeploys.add(vertx.undeploy(id)));
    return Future.all(undeploys)
        .compose(v -> routes.close())
        .eventually(() -> {
          verifier.close();
          return vertx.executeBlocking(() -> {
            audit.close();
            return null;
          }, false);
        }).mapEmpty();
  }
}
