package dev.tollgate.policy;

import java.util.Map;
import java.util.Set;

/** A small policy covering every rule feature, shared by the decision tests. */
final class ShopPolicy {
  static final Set<String> PROJECTS = Set.of("shop-prod", "shop-staging", "payments-prod");
  /** The one issuer of the single-issuer tests; its bindings leave {@code issuers} out. */
  static final String CORP = "corp";
  static final Set<String> ISSUERS = Set.of(CORP);

  static final String YAML =
      """
      roles:
        - name: shop-writer
          rules:
            - actions: [write]
              projects: [shop-prod, shop-staging]
              signals: [traces, logs]
              services: ["shop-*", checkout]
        - name: shop-reader
          rules:
            - actions: read
              projects: [shop-prod]
        - name: no-debug
          description: debug and canary builds never reach production backends
          rules:
            - actions: [write, read]
              projects: ["*"]
              services: ["debug-*", "*-canary"]
              effect: deny
        - name: platform
          rules:
            - actions: [write]
              projects: ["*"]
              signals: [metrics]
        - name: ci
          rules:
            - actions: [write]
              projects: [shop-staging]
              signals: traces
              services: ["ci-?", "build.*.v2", "a+b"]
      bindings:
        - role: shop-writer
          users: [alice]
          clients: [shop-collector]
        - role: shop-reader
          groups: [shop-team]
        - role: no-debug
          groups: [shop-team]
          clients: [shop-collector]
        - role: platform
          clients: [node-agent]
        - role: ci
          clients: [ci-runner]
      """;

  static final Identity ALICE = Identity.user(CORP, "alice");
  static final Identity BOB = Identity.user(CORP, "bob", "shop-team");
  static final Identity COLLECTOR = Identity.client(CORP, "shop-collector");
  static final Identity NODE_AGENT = Identity.client(CORP, "node-agent");
  static final Identity CI = Identity.client(CORP, "ci-runner");
  static final Identity NOBODY = new Identity(CORP, null, null, null);

  private ShopPolicy() {}

  static Policy load() {
    return Policy.parse(Map.of("policy.yaml", YAML), PROJECTS, ISSUERS);
  }
}
