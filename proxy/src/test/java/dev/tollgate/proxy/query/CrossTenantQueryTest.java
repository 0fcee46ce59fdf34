package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts to read another tenant's or another service's traces, one row a case: what the caller
 * gets, and what (if anything) reached the backend. Alice may read checkout and cart-* in shop,
 * jaeger and tempo, and nothing in other.
 */
class CrossTenantQueryTest {
  @TempDir static Path dir;
  static QueryFixture f;
  static FakeBackend backend;

  @BeforeAll
  static void start() throws Exception {
    f = QueryFixture.withFakeBackend(dir, "remove");
    backend = f.backend;
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void reset() {
    backend.reset();
  }

  /** name; request path and query as sent; extra headers; status; the backend's query, or null if never sent. */
  static Stream<Arguments> attempts() {
    return Stream.of(
        row("project with |", "/projects/shop|other/api/v2/services", 400, null),
        row("project with encoded |", "/projects/shop%7Cother/api/v2/services", 400, null),
        row("project ..", "/projects/../api/v2/services", 400, null),
        row("project with encoded slash", "/projects/shop%2F..%2Fother/api/v2/services", 400, null),
        row("dot segments after the project", "/projects/shop/../other/api/v2/services", 404, null),
        row("project without read rights", "/projects/other/api/v2/services", 403, null),
        row("header names a second project", "/projects/shop/api/v2/services", 400, null, "X-Tollgate-Project", "other"),
        row("header with |", "/api/v2/services", 400, null, "X-Tollgate-Project", "shop|other"),
        row("caller's tenant header is not forwarded", "/projects/shop/api/v2/services", 200, "",
            "X-Scope-OrgID", "other"),
        row("zipkin forbidden service", "/projects/shop/api/v2/spans?serviceName=payments", 403, null),
        row("zipkin mixed case folds as Zipkin does", "/projects/shop/api/v2/spans?serviceName=PayMents", 403, null),
        row("zipkin mixed case permitted", "/projects/shop/api/v2/spans?serviceName=CHECKOUT", 200,
            "serviceName=checkout"),
        row("zipkin repeated parameter", "/projects/shop/api/v2/spans?serviceName=checkout&serviceName=payments", 400,
            null),
        row("zipkin array-style parameter", "/projects/shop/api/v2/traces?serviceName[]=payments", 400, null),
        row("zipkin parameter name case", "/projects/shop/api/v2/traces?ServiceName=payments", 400, null),
        row("semicolon separator stays one value", "/projects/shop/api/v2/spans?serviceName=checkout;serviceName=payments",
            403, null),
        row("double-encoded name", "/projects/shop/api/v2/spans?serviceName=%2570ayments", 403, null),
        row("zipkin forbidden remote service", "/projects/shop/api/v2/traces?serviceName=checkout&remoteServiceName=payments",
            403, null),
        row("zipkin trace id with path", "/projects/shop/api/v2/trace/..%2F..%2Fservices", 400, null),
        row("zipkin traceMany with path", "/projects/shop/api/v2/traceMany?traceIds=abc,..%2Fservices", 400, null),
        row("unknown zipkin path", "/projects/shop/api/v1/services", 403, null),
        row("trailing slash is another path", "/projects/shop/api/v2/services/", 403, null),
        row("jaeger services in repeated parameters", "/projects/jaeger/api/traces?service=checkout&service=payments",
            400, null),
        row("jaeger mixed case is another service", "/projects/jaeger/api/traces?service=Checkout", 403, null),
        row("jaeger encoded slash in service path",
            "/projects/jaeger/api/services/checkout%2F..%2F..%2Fapi%2Fservices/operations", 400, null),
        row("jaeger forbidden service in path", "/projects/jaeger/api/services/payments/operations", 403, null),
        row("jaeger repeated trace ids are allowed", "/projects/jaeger/api/traces?traceID=abc&traceID=def", 200,
            "traceID=abc&traceID=def"),
        row("tempo TraceQL or true", "/projects/tempo/api/search?q=" + q("{ resource.service.name = \"checkout\" || true }"),
            403, null),
        row("tempo TraceQL regex", "/projects/tempo/api/search?q=" + q("{ resource.service.name =~ \"check.*\" }"), 403,
            null),
        row("tempo TraceQL unscoped attribute", "/projects/tempo/api/search?q=" + q("{ .service.name = \"checkout\" }"),
            403, null),
        row("tempo TraceQL second filter unscoped",
            "/projects/tempo/api/search?q=" + q("{ resource.service.name = \"checkout\" } >> { }"), 403, null),
        row("tempo TraceQL forbidden service", "/projects/tempo/api/search?q=" + q("{ resource.service.name = \"payments\" }"),
            403, null),
        row("tempo TraceQL in a service array", "/projects/tempo/api/search?q="
            + q("{ resource.service.name = \"checkout\" } && { resource.service.name = \"payments\" }"), 403, null),
        row("tempo TraceQL proven", "/projects/tempo/api/search?q=" + q("{ resource.service.name = \"checkout\" }"), 200,
            "q=%7B%20resource.service.name%20%3D%20%22checkout%22%20%7D"),
        row("tempo tag search", "/projects/tempo/api/search?tags=service.name%3Dcheckout", 400, null),
        row("tempo tag name with slash", "/projects/tempo/api/search/tag/..%2Fsearch/values", 400, null),
        row("tempo TraceQL comment smuggling", "/projects/tempo/api/search?q=" + q("{ resource.service.name = \"checkout\" }"
            + " /* \" */ || { true } | select(span.db.statement) /* \" */"), 403, null),
        row("tempo TraceQL line comment", "/projects/tempo/api/search?q="
            + q("{ resource.service.name = \"checkout\" } // \" || { true }"), 403, null),
        row("tempo TraceQL root service oracle", "/projects/tempo/api/search?q="
            + q("{ resource.service.name = \"checkout\" && trace:rootService = \"payments\" }"), 403, null),
        row("tempo TraceQL parent oracle", "/projects/tempo/api/search?q="
            + q("{ resource.service.name = \"checkout\" && parent.span.db.statement =~ \"4111.*\" }"), 403, null),
        row("tempo TraceQL structural operator", "/projects/tempo/api/search?q="
            + q("{ resource.service.name = \"checkout\" } >> { resource.service.name = \"cart-api\" }"), 403, null),
        row("tempo TraceQL 4000 brackets deep", "/projects/tempo/api/search?q=%7B" + "(".repeat(4000), 400, null),
        row("tempo minDuration outside a scoped filter", "/projects/tempo/api/search?minDuration=5s", 403, null),
        row("zipkin annotationQuery without serviceName",
            "/projects/shop/api/v2/traces?annotationQuery=card.last4%3D4111", 403, null),
        row("zipkin empty serviceName is none", "/projects/shop/api/v2/traces?serviceName=&annotationQuery=error", 403,
            null),
        row("zipkin spanName without serviceName", "/projects/shop/api/v2/traces?spanName=charge%20card", 403, null),
        row("zipkin minDuration without serviceName", "/projects/shop/api/v2/traces?minDuration=1000", 403, null),
        row("zipkin maxDuration without serviceName", "/projects/shop/api/v2/traces?maxDuration=1000", 403, null),
        row("zipkin remoteServiceName without serviceName", "/projects/shop/api/v2/traces?remoteServiceName=cart-api",
            403, null),
        row("zipkin spanName all is no filter", "/projects/shop/api/v2/traces?spanName=all", 200, "spanName=all"),
        row("zipkin annotationQuery within a permitted service",
            "/projects/shop/api/v2/traces?serviceName=checkout&annotationQuery=error", 200,
            "serviceName=checkout&annotationQuery=error"),
        row("jaeger tags without service", "/projects/jaeger/api/traces?tags=%7B%22card%22%3A%224111%22%7D", 403, null),
        row("jaeger tag without service", "/projects/jaeger/api/traces?tag=card%3A4111", 403, null),
        row("jaeger operation without service", "/projects/jaeger/api/traces?operation=charge", 403, null),
        row("jaeger minDuration without service", "/projects/jaeger/api/traces?minDuration=1s", 403, null),
        row("jaeger tag within a permitted service", "/projects/jaeger/api/traces?service=checkout&tag=error%3Atrue",
            200, "service=checkout&tag=error%3Atrue"));
  }

  /** Requests without a token, to projects that exist, do not, or cannot exist: 401 before any is looked up. */
  @ParameterizedTest
  @ValueSource(strings = {
      "GET /projects/nosuch/api/v2/services",
      "GET /projects/other/api/v2/services",
      "GET /projects/Bad_Name/api/v2/services",
      "GET /api/v2/services",
      "GET /projects/nosuch/api/traces?service=payments",
      "POST /projects/nosuch/api/v2/spans",
      "POST /projects/jaeger/api/v2/spans",
      "POST /api/v2/spans",
  })
  void unauthenticatedIs401WhateverTheProject(String request) throws Exception {
    String method = request.substring(0, request.indexOf(' '));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url(request.substring(method.length() + 1))))
        .timeout(Duration.ofSeconds(15)).header("content-type", "application/json")
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("[]")
            : HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> r = f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate")).isPresent();
    assertThat(f.audit(r).getInteger("status")).isEqualTo(401);
    assertThat(backend.seen()).isEmpty();
  }

  /**
   * A token inside a filter or a path (here the caller's own, as a search for it would carry it) is
   * refused like one in its own parameter: filters and paths are audited, and the token must not be.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "/projects/shop/api/v2/traces?serviceName=checkout&annotationQuery=http.authorization%3DBearer%20TOKEN",
      "/projects/jaeger/api/traces?service=checkout&tags=%7B%22authorization%22%3A%22TOKEN%22%7D",
      "/projects/jaeger/api/traces?service=checkout&tag=authorization%3ATOKEN",
      "/projects/tempo/api/search?q=%7B%20resource.service.name%20%3D%20%22checkout%22%20%26%26%20"
          + "span.http.request.header.authorization%20%3D%20%22Bearer%20TOKEN%22%20%7D",
      "/projects/tempo/api/search/tag/TOKEN/values",
  })
  void aTokenInsideAFilterIsRefusedAndNotAudited(String pathAndQuery) throws Exception {
    String token = f.user("alice");
    HttpResponse<String> r = f.http.send(HttpRequest.newBuilder(URI.create(f.url(pathAndQuery.replace("TOKEN", token))))
        .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + f.user("alice")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.body()).containsPattern("tokens in the (query string|path) are refused");
    String signature = token.substring(token.lastIndexOf('.') + 1);
    assertThat(f.audit(r).encode()).doesNotContain(signature).doesNotContain(token.substring(0, 40));
    assertThat(backend.seen()).isEmpty();
  }

  /** Sends a request line no URI class accepts (raw |), the way curl or a socket can. */
  private static int rawStatus(String path) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", f.tollgate.port())) {
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + f.user("alice")
          + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  private static Arguments row(String name, String path, int status, String backendQuery, String... headers) {
    return Arguments.of(Named.of(name, path), status, backendQuery, headers);
  }

  private static String q(String traceQl) {
    return java.net.URLEncoder.encode(traceQl, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  @ParameterizedTest
  @MethodSource("attempts")
  void attempt(String path, int status, String backendQuery, String[] headers) throws Exception {
    int got = path.indexOf('|') >= 0 ? rawStatus(path) : f.get("alice", path, headers).statusCode();
    // 200 rows reach the fake backend, which answers 404 for paths it has no answer for
    assertThat(got).isIn(status, status == 200 ? 404 : status);
    if (backendQuery == null) {
      assertThat(backend.seen()).as("nothing may reach the backend").isEmpty();
    } else {
      FakeBackend.Seen seen = backend.last();
      assertThat(seen).isNotNull();
      assertThat(seen.query() == null ? "" : seen.query()).isEqualTo(backendQuery);
      String tenant = path.startsWith("/projects/tempo") ? "tempo-tenant" : path.split("/")[2];
      assertThat(seen.headers().getAll("x-scope-orgid")).containsExactly(tenant);
    }
  }
}
