package dev.tollgate.policy;

import java.util.List;

/** A named set of rules; {@code where} says where it was defined, for explain and duplicate errors. */
record Role(String name, String description, String where, List<Rule> rules) {
  Role {
    rules = List.copyOf(rules);
  }
}
