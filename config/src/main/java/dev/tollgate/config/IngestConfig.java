package dev.tollgate.config;

/**
 * How an ingest request names its project: a path prefix ({@code /projects/shop/v1/traces}) or a
 * header. A request naming two different projects is refused.
 */
public record IngestConfig(String projectHeader, boolean provenance) {
  static IngestConfig read(ConfigNode n) {
    n.allowOnly("project_header", "provenance");
    return new IngestConfig(
        n.get("project_header").string("X-Tollgate-Project"), n.get("provenance").bool(true));
  }
}
