package dev.tollgate.proxy.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request, allowed or not, as the compliance team reads it. Holds no token, cookie or secret:
 * only who (as mapped claims), what, the decision and its outcome.
 *
 * @param accepted services whose resources were forwarded, with their resource counts
 * @param rejected services whose resources were dropped, with their resource counts
 * @param rejectedItems spans, data points or log records dropped
 * @param decision {@code allow}, {@code partial} or {@code deny}
 * @param credential the kind of upstream credential Tollgate presented, never its value
 * @param credentialKeyId the key id or version of that credential, when it has one
 * @param query what a read asked and got back; null for writes
 */
public record AuditEvent(
    Instant time,
    String requestId,
    String traceId,
    String subject,
    String clientId,
    String issuer,
    List<String> groups,
    String source,
    String method,
    String path,
    String action,
    String project,
    String signal,
    Map<String, Integer> accepted,
    Map<String, Integer> rejected,
    long rejectedItems,
    String decision,
    String rule,
    String reason,
    String policyVersion,
    int status,
    int upstreamStatus,
    String credential,
    String credentialKeyId,
    QueryAudit query,
    double latencyMs) {}
