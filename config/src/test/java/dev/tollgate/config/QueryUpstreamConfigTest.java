package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Query upstreams: backend types, URL templates per project, and names that could cross tenants. */
class QueryUpstreamConfigTest {
  private static final EnvSubstitution NO_ENV = new EnvSubstitution(name -> null);

  static String config(String projects, String upstreams, String query) {
    return String.join("\n",
        "issuers: [{name: corp, issuer: 'https://idp.example.com', audiences: [tollgate]}]",
        "projects:", projects,
        "upstreams:",
        "  ingest: {url: 'http://collector:4318', credential: {kind: none}}",
        upstreams,
        query,
        "policy: {files: [policy.yaml]}",
        "");
  }

  static TollgateConfig read(String yaml) {
    return TollgateConfig.read(YamlFiles.parse(yaml, "t.yaml"), Path.of("/etc/tollgate"), false, NO_ENV, "t.yaml");
  }

  @Test
  void templateUpstreamsExpandPerProjectWithTheirTenant() {
    TollgateConfig c = read(config(
        "  - {name: shop, query_upstream: tempo}\n  - {name: web, tenant: web-prod, query_upstream: tempo}",
        "  tempo: {url: 'http://tempo-{project}.tracing:3200/t/{tenant}', backend: tempo, credential: {kind: none}}",
        "query: {forbidden_spans: redact, max_response: 4MiB}"));
    assertThat(c.projects().get(0).queryUpstream()).isEqualTo("tempo[shop]");
    assertThat(c.upstreams().get("tempo[web]").url().toString()).isEqualTo("http://tempo-web.tracing:3200/t/web-prod");
    assertThat(c.upstreams().get("tempo[web]").backend()).isEqualTo(Backend.TEMPO);
    assertThat(c.upstreams()).doesNotContainKey("tempo");
    assertThat(c.query()).isEqualTo(new QueryConfig(true, 4L << 20, 20));
  }

  @Test
  void defaultsKeepExistingConfigsWorking() {
    TollgateConfig c = read(config("  - {name: shop}", "", ""));
    assertThat(c.query()).isEqualTo(QueryConfig.defaults());
    assertThat(c.projects().get(0).queryUpstream()).isNull();
    assertThat(c.upstreams().get("ingest").backend()).isEqualTo(Backend.OTLP);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("project name with |", "  - {name: 'shop|other'}", "", "projects[0].name"),
        bad("project name with ..", "  - {name: '..'}", "", "projects[0].name"),
        bad("project name with encoded slash", "  - {name: 'shop%2Fother'}", "", "projects[0].name"),
        bad("tenant with |", "  - {name: shop, tenant: 'shop|other'}", "", "projects[0].tenant"),
        bad("tenant with ..", "  - {name: shop, tenant: 'a..b'}", "", "projects[0].tenant"),
        bad("placeholder in the query string", "  - {name: shop, query_upstream: t}",
            "  t: {url: 'http://tempo:3200/?org={project}', backend: tempo, credential: {kind: none}}",
            "upstreams.t.url: {project} and {tenant} may only stand in the host or the path"),
        bad("placeholder in user info", "  - {name: shop, query_upstream: t}",
            "  t: {url: 'http://{tenant}@tempo:3200/', backend: tempo, credential: {kind: none}}",
            "upstreams.t.url"),
        bad("unknown placeholder", "  - {name: shop, query_upstream: t}",
            "  t: {url: 'http://tempo-{team}:3200/', backend: tempo, credential: {kind: none}}",
            "unknown placeholder {team}"),
        bad("query upstream that answers no queries", "  - {name: shop, query_upstream: ingest}", "",
            "projects[0].query_upstream: upstream \"ingest\" is a otlp backend"),
        bad("zipkin ingest to a tempo", "  - {name: shop, zipkin_upstream: t}",
            "  t: {url: 'http://tempo:3200', backend: tempo, credential: {kind: none}}", "projects[0].zipkin_upstream"),
        bad("unknown query upstream", "  - {name: shop, query_upstream: zipkn}",
            "  zipkin: {url: 'http://zipkin:9411', backend: zipkin, credential: {kind: none}}", "did you mean \"zipkin\""),
        bad("unknown backend", "  - {name: shop}",
            "  z: {url: 'http://zipkin:9411', backend: elastic, credential: {kind: none}}", "upstreams.z.backend"));
  }

  private static Arguments bad(String name, String projects, String upstreams, String expected) {
    return Arguments.of(Named.of(name, projects), upstreams, expected);
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusedWithThePath(String projects, String upstreams, String expected) {
    assertThatThrownBy(() -> read(config(projects, upstreams, ""))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void forbiddenSpansModeIsChecked() {
    assertThatThrownBy(() -> read(config("  - {name: shop}", "", "query: {forbidden_spans: hide}")))
        .hasMessageContaining("query.forbidden_spans: expected remove or redact");
  }
}
