package dev.tollgate.proxy.web;

import java.util.List;

/** What /readyz reports: each part that is not ready, by name; empty when ready. */
@FunctionalInterface
public interface Readiness {
  List<String> notReady();
}
