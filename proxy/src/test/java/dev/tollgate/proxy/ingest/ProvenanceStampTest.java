package dev.tollgate.proxy.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.auth.Caller;
import dev.tollgate.config.ProjectConfig;
import dev.tollgate.proxy.upstream.ProjectRoutes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The provenance stamp a thread keeps for the caller and route it stamped last. */
class ProvenanceStampTest {
  private static final Instant EXP = Instant.parse("2026-11-22T05:00:00Z");
  private static final ProjectRoutes.Route SHOP = route("shop");
  private static final ProjectRoutes.Route BILLING = route("billing");

  private static ProjectRoutes.Route route(String project) {
    return new ProjectRoutes.Route(new ProjectConfig(project, "main", project, null, null), null);
  }

  private static Caller caller(String subject, String clientId, String issuer) {
    return new Caller(subject, clientId, issuer, "corp", Set.of("writers"), EXP);
  }

  /** What the stamp must say for {@code caller} on {@code route}, built here independently. */
  private static List<Map.Entry<String, String>> expected(Caller c, ProjectRoutes.Route r) {
    return List.of(Map.entry("tollgate.sender", c.clientId() != null ? c.clientId() : c.subject()),
        Map.entry("tollgate.sender.issuer", c.issuer()), Map.entry("tollgate.project", r.project().name()));
  }

  @Test
  void eachStampSaysWhoSentItEvenWhenTheLastWasKept() {
    Caller a = caller("svc-a", "client-a", "https://idp.example/");
    Caller sameNames = caller("svc-a", "client-a", "https://idp.example/");
    Caller otherIssuer = caller("svc-a", "client-a", "https://other.example/");
    Caller noClient = caller("svc-b", null, "https://idp.example/");
    List<Caller> callers = List.of(a, a, sameNames, otherIssuer, a, noClient, a, a, a, a);
    List<ProjectRoutes.Route> routes = List.of(SHOP, SHOP, SHOP, SHOP, BILLING, BILLING, SHOP, BILLING, SHOP, SHOP);
    for (int i = 0; i < callers.size(); i++) {
      List<Map.Entry<String, String>> stamp = IngestForwarder.stamp(callers.get(i), routes.get(i));
      List<Map.Entry<String, String>> want = expected(callers.get(i), routes.get(i));
      assertThat(stamp).as("batch %d", i).containsExactlyElementsOf(want);
      assertThat(Provenance.proto(stamp)).as("batch %d", i).isEqualTo(Provenance.proto(want));
      assertThat(Provenance.json(stamp)).as("batch %d", i).isEqualTo(Provenance.json(want));
    }
  }

  @Test
  void theSameCallerAndRouteReuseOneStampAndItsEncoding() {
    Caller a = caller("svc-a", "client-a", "https://idp.example/");
    List<Map.Entry<String, String>> first = IngestForwarder.stamp(a, SHOP);
    List<Map.Entry<String, String>> again = IngestForwarder.stamp(a, SHOP);
    assertThat(again).isSameAs(first);
    assertThat(Provenance.proto(again)).isSameAs(Provenance.proto(first));
  }
}
