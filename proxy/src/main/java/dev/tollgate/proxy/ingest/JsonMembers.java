package dev.tollgate.proxy.ingest;

import java.util.HashSet;
import java.util.Set;

/**
 * The member names of one JSON object read so far. OTLP/JSON readers accept a lowerCamel and a
 * snake_case spelling for each field and differ on which of two copies wins, so a field given
 * twice, under either spelling, is refused. Reused for each object at one nesting level.
 */
final class JsonMembers {
  private final String object;
  private final String[][] fields;
  private final int[] spelling;
  private Set<String> others;

  /** {@code fields[i]} holds the spellings of field {@code i}; {@code object} names it in errors. */
  JsonMembers(String object, String[][] fields) {
    this.object = object;
    this.fields = fields;
    this.spelling = new int[fields.length];
  }

  JsonMembers reset() {
    java.util.Arrays.fill(spelling, 0);
    if (others != null) {
      others.clear();
    }
    return this;
  }

  /** The index of the field {@code name} spells, or -1 for a name this object does not know. */
  int field(String name, JsonCursor in) {
    for (int i = 0; i < fields.length; i++) {
      for (int s = 0; s < fields[i].length; s++) {
        if (fields[i][s].equals(name)) {
          if (spelling[i] != 0) {
            throw in.fail(object + " has " + describe(i, s), in.tokenStart());
          }
          spelling[i] = s + 1;
          return i;
        }
      }
    }
    if (others == null) {
      others = new HashSet<>();
    }
    if (!others.add(name)) {
      throw in.fail(object + " has the key " + MalformedPayloadException.quote(name) + " twice",
          in.tokenStart());
    }
    return -1;
  }

  private String describe(int field, int second) {
    int first = spelling[field] - 1;
    return first == second
        ? "the key \"" + fields[field][first] + "\" twice"
        : "both \"" + fields[field][first] + "\" and \"" + fields[field][second] + "\"";
  }
}
