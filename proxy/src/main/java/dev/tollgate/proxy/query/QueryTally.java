package dev.tollgate.proxy.query;

import dev.tollgate.proxy.audit.QueryAudit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts what a query asked and what its answer kept, removed and redacted, for the audit event.
 * Confined to one request.
 */
final class QueryTally {
  private final String backend;
  private final int maxIds;
  private final List<String> services = new ArrayList<>();
  private final Map<String, String> tags = new LinkedHashMap<>();
  private final List<String> traceIds = new ArrayList<>();
  private String start;
  private String end;
  private String traceQl;
  private int tracesReturned;
  private int tracesRemoved;
  private int spansReturned;
  private int spansRemoved;
  private int spansRedacted;
  private int traceIdsTotal;

  QueryTally(String backend, int maxIds) {
    this.backend = backend;
    this.maxIds = maxIds;
  }

  void service(String name) {
    services.add(name);
  }

  /** Records a filter of the query other than a service; absent values are skipped. */
  void tag(String name, String value) {
    if (value != null) {
      tags.put(name, value);
    }
  }

  void range(String start, String end) {
    this.start = start;
    this.end = end;
  }

  void traceQl(String q) {
    this.traceQl = q;
  }

  /** A trace in the answer, with its spans as kept, and those removed or redacted from it. */
  void traceReturned(String traceId, int spans, int removed, int redacted) {
    tracesReturned++;
    spansReturned += spans;
    spansRemoved += removed;
    spansRedacted += redacted;
    traceIdsTotal++;
    if (traceIds.size() < maxIds && traceId != null) {
      traceIds.add(traceId);
    }
  }

  /** A trace withheld whole because none of its {@code spans} spans may be read. */
  void traceRemoved(int spans) {
    tracesRemoved++;
    spansRemoved += spans;
  }

  /**
   * Forgets what an answer was counted to return or withhold: a filter that fails part-way has
   * counted traces the caller never gets.
   */
  void discardAnswer() {
    tracesReturned = 0;
    tracesRemoved = 0;
    spansReturned = 0;
    spansRemoved = 0;
    spansRedacted = 0;
    traceIdsTotal = 0;
    traceIds.clear();
  }

  int spansRemoved() {
    return spansRemoved;
  }

  int spansRedacted() {
    return spansRedacted;
  }

  int tracesRemoved() {
    return tracesRemoved;
  }

  QueryAudit audit() {
    return new QueryAudit(backend, List.copyOf(services), Map.copyOf(tags), start, end, traceQl, tracesReturned,
        tracesRemoved, spansReturned, spansRemoved, spansRedacted, List.copyOf(traceIds), traceIdsTotal);
  }
}
