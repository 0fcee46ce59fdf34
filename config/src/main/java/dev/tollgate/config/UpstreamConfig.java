package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** A backend Tollgate forwards to, with its own credential and tenant header. */
public record UpstreamConfig(
    String name, URI url, CredentialConfig credential, String tenantHeader, Duration timeout, int poolSize) {

  static UpstreamConfig read(String name, ConfigNode n, Path baseDir) {
    n.allowOnly("url", "credential", "tenant_header", "timeout", "pool_size");
    String url = n.get("url").string();
    return new UpstreamConfig(
        name,
        url == null ? URI.create("http://invalid/") : Urls.httpUrl(url, n.get("url")),
        CredentialConfig.read(n.get("credential"), baseDir),
        n.get("tenant_header").string(null),
        n.get("timeout").duration(Duration.ofSeconds(10)),
        (int) n.get("pool_size").number(64, 1, 10_000));
  }
}
