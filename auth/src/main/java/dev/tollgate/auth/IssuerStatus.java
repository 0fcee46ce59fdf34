package dev.tollgate.auth;

import java.time.Instant;

/**
 * One issuer's key state, for {@code /readyz} and diagnostics.
 *
 * @param name the issuer's config name
 * @param issuer its {@code iss}
 * @param keySource where its keys come from (URL, file or the dev issuer)
 * @param ready whether keys have loaded at least once
 * @param keys how many keys the current JWKS holds
 * @param loadedAt when the current keys were loaded, or null
 * @param lastError why the last load failed, or null when it worked; may name hosts and files
 * @param jwksFetches loads started so far
 */
public record IssuerStatus(String name, String issuer, String keySource, boolean ready, int keys,
    Instant loadedAt, String lastError, long jwksFetches) {}
