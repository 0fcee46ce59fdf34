package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which matched spans of a Tempo search result are shown to a caller who may read {checkout,
 * cart-*}, for a query proven scoped: only spans attributed to a permitted service, so a query
 * Tollgate misread still shows nothing it cannot attribute. One row a matched span.
 */
class TempoSearchTest {
  /**
   * @param stats the services of the trace (its serviceStats), comma-separated
   * @param attributes the matched span's attributes, as JSON
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no service.name in a mixed trace | checkout,payments | [{\"key\":\"db.statement\",\"value\":{\"stringValue\":\"SELECT card\"}}] | false",
      "permitted service.name in a mixed trace | checkout,payments | [{\"key\":\"service.name\",\"value\":{\"stringValue\":\"checkout\"}}] | true",
      "forbidden service.name | checkout,payments | [{\"key\":\"service.name\",\"value\":{\"stringValue\":\"payments\"}}] | false",
      "service.name twice | checkout,payments | [{\"key\":\"service.name\",\"value\":{\"stringValue\":\"checkout\"}},{\"key\":\"service.name\",\"value\":{\"stringValue\":\"payments\"}}] | false",
      "service.name not a string | checkout | [{\"key\":\"service.name\",\"value\":{\"intValue\":\"1\"}}] | false",
      "service.name with two values | checkout,payments | [{\"key\":\"service.name\",\"value\":{\"stringValue\":\"checkout\",\"intValue\":\"1\"}}] | false",
      "no service.name in a trace of permitted services | checkout,cart-api | [] | true",
      "no attributes at all in a mixed trace | cart-api,ledger | null | false",
  })
  void matchedSpansAreShownOnlyWhenAttributedToAPermittedService(String name, String stats, String attributes,
      boolean shown) {
    JsonObject span = new JsonObject().put("spanID", "0000000000000001")
        .put("attributes", attributes.equals("null") ? null : new JsonArray(attributes));
    JsonObject serviceStats = new JsonObject();
    for (String s : stats.split(",")) {
      serviceStats.put(s, new JsonObject().put("spanCount", 1));
    }
    JsonObject trace = new JsonObject().put("traceID", "ab").put("rootServiceName", stats.split(",")[0])
        .put("serviceStats", serviceStats)
        .put("spanSets", new JsonArray().add(new JsonObject().put("spans", new JsonArray().add(span))));
    QueryTally tally = new QueryTally("tempo", 5);
    JsonObject out = (JsonObject) TempoSearch.results(new JsonObject().put("traces", new JsonArray().add(trace)), true,
        TraceQlScopeTest.SCOPE, tally);
    JsonArray spans = out.getJsonArray("traces").getJsonObject(0).getJsonArray("spanSets").getJsonObject(0)
        .getJsonArray("spans");
    assertThat(spans).hasSize(shown ? 1 : 0);
    assertThat(tally.spansRemoved()).isEqualTo(shown ? 0 : 1);
  }
}
