public class Ftl {
  public static void main(String[] a) throws Exception {
    Thread t = new io.netty.util.concurrent.FastThreadLocalThread(() -> { try { Dec4.main(a); } catch (Exception e) { throw new RuntimeException(e); } });
    t.start(); t.join();
  }
}
