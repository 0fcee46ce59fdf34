package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Buffers;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * A filtered answer being written: raw slices of the backend's answer and the few bytes Tollgate
 * writes itself, in one array that is handed to the response without another copy.
 */
final class Filtered {
  private byte[] bytes;
  private int length;

  /** With room for {@code expected} bytes; a filter that only removes never needs more. */
  Filtered(int expected) {
    bytes = new byte[Math.max(expected, 16)];
  }

  void put(char c) {
    ensure(1);
    bytes[length++] = (byte) c;
  }

  /** Appends {@code from[start, end)}. */
  void copy(byte[] from, int start, int end) {
    ensure(end - start);
    System.arraycopy(from, start, bytes, length, end - start);
    length += end - start;
  }

  /** Starts an array element: a comma unless it is the array's first. */
  void element() {
    if (length > 0 && bytes[length - 1] != '[') {
      put(',');
    }
  }

  int length() {
    return length;
  }

  /** Takes back everything written after {@code mark}. */
  void truncate(int mark) {
    length = mark;
  }

  Buffer buffer() {
    return Buffers.wrap(bytes, length);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
