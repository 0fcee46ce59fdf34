package dev.tollgate.proxy.ingest;

import dev.tollgate.policy.Decision;
import dev.tollgate.policy.Grant;
import dev.tollgate.proxy.web.Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/**
 * Decides the units of one write (OTLP resources, Zipkin spans) by their service, and records each
 * in the exchange's audit: the one loop both ingest paths share.
 */
public final class ServiceDecisions {
  private ServiceDecisions() {}

  /**
   * Fills {@code keep} with the grant's answer for each unit's service, audits accepted services and
   * rejected ones with their item counts ({@code items} is asked only for rejected units), and
   * records the deciding Decision. Returns the first deny, or null when everything was allowed.
   */
  public static Decision decide(Exchange x, Grant grant, boolean[] keep, IntFunction<String> service,
      IntToLongFunction items) {
    Decision firstDeny = null;
    for (int i = 0; i < keep.length; i++) {
      String s = service.apply(i);
      Decision d = grant.decide(s);
      keep[i] = d.allowed();
      if (d.allowed()) {
        x.audit().accepted(s);
      } else {
        x.audit().rejected(s, items.applyAsLong(i));
        if (firstDeny == null) {
          firstDeny = d;
        }
      }
    }
    x.audit().decision(firstDeny != null ? firstDeny : grant.overall());
    return firstDeny;
  }

  /** How many of {@code keep} are kept. */
  public static int kept(boolean[] keep) {
    int n = 0;
    for (boolean k : keep) {
      n += k ? 1 : 0;
    }
    return n;
  }

  /**
   * The few headers of the sender's request that go upstream ({@code User-Agent}, {@code
   * traceparent}), or null when it has neither; nothing else of it is forwarded.
   */
  public static MultiMap forwardedHeaders(Exchange x) {
    MultiMap headers = null;
    for (CharSequence name : FORWARDED) {
      String value = x.request().getHeader(name);
      if (value != null) {
        if (headers == null) {
          headers = MultiMap.caseInsensitiveMultiMap();
        }
        headers.set(name, value);
      }
    }
    return headers;
  }

  private static final CharSequence[] FORWARDED = {HttpHeaders.USER_AGENT, Exchange.TRACEPARENT};
}
