package dev.tollgate.proxy.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** A channel into memory whose every write may take fewer bytes than offered, or fail, as a filling disk does. */
final class DiskChannel implements WritableByteChannel {
  /** How many of {@code offered} bytes the {@code call}-th write (from 1) takes, or an exception. */
  @FunctionalInterface
  interface Takes {
    int take(int call, int offered) throws IOException;
  }

  private final ByteArrayOutputStream disk = new ByteArrayOutputStream();
  private final Takes takes;
  private int calls;

  DiskChannel(Takes takes) {
    this.takes = takes;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = takes.take(++calls, src.remaining());
    byte[] bytes = new byte[n];
    src.get(bytes);
    disk.write(bytes, 0, n);
    return n;
  }

  /** Every byte taken so far. */
  byte[] bytes() {
    return disk.toByteArray();
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
