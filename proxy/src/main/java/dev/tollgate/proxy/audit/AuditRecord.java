package dev.tollgate.proxy.audit;

import dev.tollgate.auth.Caller;
import dev.tollgate.policy.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit facts of one request, filled in as the pipeline learns them and turned into an {@link
 * AuditEvent} when the response is sent. Confined to the request's event loop.
 */
public final class AuditRecord {
  private final Instant time;
  private final long startNanos;
  private final String requestId;
  private final String traceId;
  private final String source;
  private final String method;
  private final String path;
  private Caller caller;
  private String action;
  private String project;
  private String signal;
  private final Tally accepted = new Tally();
  private final Tally rejected = new Tally();
  private long rejectedItems;
  private String rule;
  private String reason;
  private String policyVersion;
  private int upstreamStatus;
  private String credential;
  private String credentialKeyId;
  private QueryAudit query;

  public AuditRecord(Instant time, long startNanos, String requestId, String traceId, String source,
      String method, String path) {
    this.time = time;
    this.startNanos = startNanos;
    this.requestId = requestId;
    this.traceId = traceId;
    this.source = source;
    this.method = method;
    this.path = path;
  }

  public String requestId() {
    return requestId;
  }

  public void caller(Caller c) {
    this.caller = c;
  }

  public void target(String action, String project, String signal) {
    this.action = action;
    this.project = project;
    this.signal = signal;
  }

  public void project(String project) {
    this.project = project;
  }

  /** Records the decision that explains the outcome (the first deny, or the allow). */
  public void decision(Decision d) {
    this.rule = d.rule();
    this.reason = d.reason();
    this.policyVersion = d.policyVersion();
  }

  public void reason(String reason) {
    this.reason = reason;
  }

  public void accepted(String service) {
    accepted.add(service);
  }

  public void rejected(String service, long items) {
    rejected.add(service);
    rejectedItems += items;
  }

  public void addRejectedItems(long items) {
    rejectedItems += items;
  }

  public long rejectedItems() {
    return rejectedItems;
  }

  public void upstream(int status, String credentialKind) {
    this.upstreamStatus = status;
    this.credential = credentialKind;
  }

  /** The key id (or version) of the upstream credential used; never the credential itself. */
  public void credentialKeyId(String keyId) {
    this.credentialKeyId = keyId;
  }

  public void query(QueryAudit query) {
    this.query = query;
  }

  /** The finished event for a response with {@code status}. */
  public AuditEvent finish(int status, long nowNanos) {
    String decision;
    if (!accepted.isEmpty()) {
      decision = rejected.isEmpty() ? "allow" : "partial";
    } else {
      decision = rejected.isEmpty() && status < 400 ? "allow" : "deny";
    }
    List<String> groups = caller == null ? List.of() : new ArrayList<>(caller.groups());
    return new AuditEvent(time, requestId, traceId,
        caller == null ? null : caller.subject(),
        caller == null ? null : caller.clientId(),
        caller == null ? null : caller.issuer(),
        groups, source, method, path, action, project, signal,
        accepted.counts(), rejected.counts(), rejectedItems, decision, rule, reason, policyVersion,
        status, upstreamStatus, credential, credentialKeyId, query, (nowNanos - startNanos) / 1e6);
  }

  /**
   * Resources counted by service, in the order the services came. A batch almost always holds one
   * service: that one is kept in two fields, and a map is made only for a second.
   */
  private static final class Tally {
    private String first;
    private int firstCount;
    private Map<String, Integer> all;

    void add(String service) {
      String s = service == null ? "" : service;
      if (all != null) {
        all.merge(s, 1, Integer::sum);
      } else if (first == null || first.equals(s)) {
        first = s;
        firstCount++;
      } else {
        all = new LinkedHashMap<>();
        all.put(first, firstCount);
        all.put(s, 1);
      }
    }

    boolean isEmpty() {
      return first == null;
    }

    Map<String, Integer> counts() {
      return all != null ? Collections.unmodifiableMap(all) : first == null ? Map.of() : Map.of(first, firstCount);
    }
  }
}
