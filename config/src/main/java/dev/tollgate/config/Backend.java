package dev.tollgate.config;

import java.util.Locale;

/**
 * What an upstream speaks: OTLP/HTTP ingest, or one of the trace backends Tollgate can query (and,
 * for Zipkin, send spans to).
 */
public enum Backend {
  OTLP,
  ZIPKIN,
  JAEGER,
  TEMPO;

  /** The lower-case name used in configs and audit events. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether Tollgate can answer trace queries from this backend. */
  public boolean queryable() {
    return this != OTLP;
  }

  static Backend read(ConfigNode n) {
    String s = n.string("otlp");
    for (Backend b : values()) {
      if (b.id().equals(s)) {
        return b;
      }
    }
    n.error("expected otlp, zipkin, jaeger or tempo, got \"" + s + "\"");
    return OTLP;
  }
}
