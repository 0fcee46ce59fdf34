import one.profiler.AsyncProfiler;
import java.nio.file.*;
public class ApAgent {
  public static void premain(String args) {
    Thread t = new Thread(() -> {
      try {
        AsyncProfiler p = AsyncProfiler.getInstance("/tmp/ap/linux-x64/libasyncProfiler.so");
        Path start = Path.of("/tmp/sc/ap.start"), stop = Path.of("/tmp/sc/ap.stop");
        while (!Files.exists(start)) Thread.sleep(100);
        System.err.println(p.execute(args == null ? "start,event=cpu,interval=100us,threads" : args.replace(";", ",")));
        while (!Files.exists(stop)) Thread.sleep(100);
        System.err.println(p.execute("stop,file=/tmp/sc/ap.collapsed,collapsed,ann" + (args != null && args.contains("alloc") ? ",total" : "")));
      } catch (Exception e) { e.printStackTrace(); }
    }, "ap-agent");
    t.setDaemon(true); t.start();
  }
}
