package dev.tollgate.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The service patterns of one rule, compiled: exact names in a hash set, prefixes and suffixes as
 * plain String checks, only the rest through the glob matcher. Immutable; {@link #matches} does
 * not allocate.
 */
final class ServiceMatcher {
  private final List<String> patterns;
  private final boolean any;
  private final Set<String> exact;
  private final String[] prefixes;
  private final String[] suffixes;
  private final ServicePattern[] globs;

  private ServiceMatcher(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    boolean anyPattern = false;
    Set<String> exactNames = new HashSet<>();
    List<String> pre = new ArrayList<>();
    List<String> suf = new ArrayList<>();
    List<ServicePattern> rest = new ArrayList<>();
    for (String text : patterns) {
      ServicePattern p = ServicePattern.compile(text);
      switch (p.kind()) {
        case ANY -> anyPattern = true;
        case EXACT -> exactNames.add(p.literal());
        case PREFIX -> pre.add(p.literal());
        case SUFFIX -> suf.add(p.literal());
        default -> rest.add(p);
      }
    }
    this.any = anyPattern;
    this.exact = Set.copyOf(exactNames);
    this.prefixes = pre.toArray(new String[0]);
    this.suffixes = suf.toArray(new String[0]);
    this.globs = rest.toArray(new ServicePattern[0]);
  }

  static ServiceMatcher of(List<String> patterns) {
    return new ServiceMatcher(patterns);
  }

  boolean matches(String service) {
    if (any || exact.contains(service)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (service.startsWith(prefix)) {
        return true;
      }
    }
    for (String suffix : suffixes) {
      if (service.endsWith(suffix)) {
        return true;
      }
    }
    for (ServicePattern glob : globs) {
      if (glob.matches(service)) {
        return true;
      }
    }
    return false;
  }

  /** True when every service name matches, so a deny here leaves nothing to allow. */
  boolean matchesEverything() {
    return any;
  }

  /** The patterns as written, in file order. */
  List<String> patterns() {
    return patterns;
  }

  /** The patterns for a human reason, such as {@code shop-*, checkout}. */
  String describe() {
    return String.join(", ", patterns);
  }
}
