package dev.tollgate.proxy.ingest;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;

import com.fasterxml.jackson.core.JsonToken;

/**
 * Counts the spans, log records or metric data points in one OTLP/JSON scope list, skipping
 * everything inside them. Counting is not an authorization view, so it counts what it finds
 * rather than judging field spellings.
 */
final class JsonItemCounter {
  private static final String[][] DATA_KINDS = {
    {"gauge"}, {"sum"}, {"histogram"}, {"exponentialHistogram", "exponential_histogram"},
    {"summary"}
  };
  private static final String[] DATA_POINTS = {"dataPoints", "data_points"};

  private JsonItemCounter() {}

  /** Counts the items of the scope array in {@code [start, end)}. */
  static long count(SignalShape shape, byte[] buf, int origin, int start, int end) {
    try (JsonCursor in = new JsonCursor(buf, origin, start, end)) {
      in.next();
      long items = 0;
      JsonToken scope;
      while ((scope = in.next()) != END_ARRAY) {
        if (scope == START_OBJECT) {
          items += scope(shape, in);
        } else {
          in.skipValue();
        }
      }
      return items;
    }
  }

  private static long scope(SignalShape shape, JsonCursor in) {
    long items = 0;
    while (in.next() == FIELD_NAME) {
      boolean isItems = SignalShape.spells(shape.itemField, in.rawName());
      if (in.next() != START_ARRAY || !isItems) {
        in.skipValue();
        continue;
      }
      JsonToken item;
      while ((item = in.next()) != END_ARRAY) {
        if (shape == SignalShape.METRICS && item == START_OBJECT) {
          items += dataPoints(in);
        } else {
          in.skipValue();
          items++;
        }
      }
    }
    return items;
  }

  /** Like protobuf's oneof: a repeat of the same data kind adds up, another kind replaces it. */
  private static long dataPoints(JsonCursor in) {
    int kind = -1;
    long points = 0;
    while (in.next() == FIELD_NAME) {
      int k = kind(in.rawName());
      if (in.next() != START_OBJECT || k < 0) {
        in.skipValue();
        continue;
      }
      long found = pointsOf(in);
      points = k == kind ? points + found : found;
      kind = k;
    }
    return points;
  }

  private static long pointsOf(JsonCursor in) {
    long points = 0;
    while (in.next() == FIELD_NAME) {
      boolean isPoints = SignalShape.spells(DATA_POINTS, in.rawName());
      if (in.next() != START_ARRAY || !isPoints) {
        in.skipValue();
        continue;
      }
      while (in.next() != END_ARRAY) {
        in.skipValue();
        points++;
      }
    }
    return points;
  }

  private static int kind(String name) {
    for (int k = 0; k < DATA_KINDS.length; k++) {
      if (SignalShape.spells(DATA_KINDS[k], name)) {
        return k;
      }
    }
    return -1;
  }
}
