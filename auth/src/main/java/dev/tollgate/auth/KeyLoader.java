package dev.tollgate.auth;

import io.vertx.core.Future;

/** Where one issuer's JWKS document comes from; every load is asynchronous. */
interface KeyLoader {
  /** The current JWKS document as JSON text. */
  Future<String> load();

  /** Short description for status and log lines, e.g. the URL or file. Never secret. */
  String describe();

  /**
   * Whether the keys may differ from one load to the next. False for keys held in memory for the
   * life of the process (the development issuer): a key they lack is unknown for good.
   */
  default boolean canChange() {
    return true;
  }
}
