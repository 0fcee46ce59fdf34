package dev.tollgate.proxy.ingest;

import java.util.Arrays;

/** Byte ranges of JSON members to copy raw into a rewritten request, each tagged with its place. */
final class RawSlices {
  /** A KeyValue object of the resource's attributes. */
  static final int ATTRIBUTE = 0;
  /** A member of the resource object other than its attributes. */
  static final int RESOURCE_MEMBER = 1;
  /** A member of the ResourceX object other than its resource. */
  static final int MEMBER = 2;

  private int[] data = new int[3 * 16];
  private int size;

  void add(int kind, int start, int end) {
    if (data.length < (size + 1) * 3) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[size * 3] = kind;
    data[size * 3 + 1] = start;
    data[size * 3 + 2] = end;
    size++;
  }

  int size() {
    return size;
  }

  int kind(int i) {
    return data[i * 3];
  }

  int start(int i) {
    return data[i * 3 + 1];
  }

  int end(int i) {
    return data[i * 3 + 2];
  }
}
