package dev.tollgate.proxy.ingest;

/**
 * Counts what the collector would count as rejected items in one ResourceX message: spans, log
 * records, or metric data points. Walks tags and lengths only; nothing is decoded.
 */
final class ProtoItemCounter {
  /** ResourceX.scope_* = 2, Scope*.spans|metrics|log_records = 2, and every *.data_points = 1. */
  private static final int SCOPES = 2;
  private static final int ITEMS = 2;
  private static final int DATA_POINTS = 1;

  private ProtoItemCounter() {}

  static long count(SignalShape shape, ProtoReader in) {
    long items = 0;
    while (in.hasMore()) {
      int tag = in.readTag();
      if (ProtoReader.fieldNumber(tag) != SCOPES) {
        in.skipField(tag);
        continue;
      }
      in.expect(tag, ProtoReader.LEN, shape.resourceName, " scope");
      int outer = in.pushLimit(in.readLength());
      items += scope(shape, in);
      in.popLimit(outer);
    }
    return items;
  }

  private static long scope(SignalShape shape, ProtoReader in) {
    long items = 0;
    while (in.hasMore()) {
      int tag = in.readTag();
      if (ProtoReader.fieldNumber(tag) != ITEMS) {
        in.skipField(tag);
        continue;
      }
      in.expect(tag, ProtoReader.LEN, "scope item");
      int length = in.readLength();
      if (shape == SignalShape.METRICS) {
        int outer = in.pushLimit(length);
        items += dataPoints(in);
        in.popLimit(outer);
      } else {
        in.skip(length);
        items++;
      }
    }
    return items;
  }

  /**
   * Data points of one Metric. Its data kinds (gauge 5, sum 7, histogram 9, exponential_histogram
   * 10, summary 11) form a oneof: a repeat of the same kind merges, another kind replaces it.
   */
  private static long dataPoints(ProtoReader in) {
    int kind = 0;
    long points = 0;
    while (in.hasMore()) {
      int tag = in.readTag();
      int field = ProtoReader.fieldNumber(tag);
      if (field != 5 && field != 7 && field != 9 && field != 10 && field != 11) {
        in.skipField(tag);
        continue;
      }
      in.expect(tag, ProtoReader.LEN, "Metric data");
      if (field != kind) {
        kind = field;
        points = 0;
      }
      int outer = in.pushLimit(in.readLength());
      points += repeats(in, DATA_POINTS);
      in.popLimit(outer);
    }
    return points;
  }

  private static long repeats(ProtoReader in, int field) {
    long n = 0;
    while (in.hasMore()) {
      int tag = in.readTag();
      if (ProtoReader.fieldNumber(tag) == field) {
        in.expect(tag, ProtoReader.LEN, "data point");
        n++;
      }
      in.skipField(tag);
    }
    return n;
  }
}
