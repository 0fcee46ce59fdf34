package dev.tollgate.config;

/**
 * How trace queries are answered: what happens to spans of services the caller may not read, how
 * large a backend's answer may be, and how many trace ids an audit event lists.
 *
 * @param redact true to keep forbidden spans as blanked placeholders (ids, parent links and timing
 *     only), false to remove them
 * @param maxResponseBytes the largest backend answer read; larger ones are refused with 502
 * @param auditTraceIds how many returned trace ids an audit event lists (the total is always given)
 */
public record QueryConfig(boolean redact, long maxResponseBytes, int auditTraceIds) {
  /** The defaults: remove forbidden spans, 16 MiB answers, 20 trace ids. */
  public static QueryConfig defaults() {
    return new QueryConfig(false, 16L << 20, 20);
  }

  static QueryConfig read(ConfigNode n) {
    n.allowOnly("forbidden_spans", "max_response", "audit_trace_ids");
    String mode = n.get("forbidden_spans").string("remove");
    if (!mode.equals("remove") && !mode.equals("redact")) {
      n.get("forbidden_spans").error("expected remove or redact, got \"" + mode + "\"");
    }
    long max = n.get("max_response").bytes(16L << 20);
    if (max < 1024 || max > (1L << 30)) {
      n.get("max_response").error("must be between 1KiB and 1GiB");
      max = 16L << 20;
    }
    return new QueryConfig(mode.equals("redact"), max, (int) n.get("audit_trace_ids").number(20, 0, 1000));
  }
}
