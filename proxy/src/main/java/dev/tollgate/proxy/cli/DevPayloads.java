package dev.tollgate.proxy.cli;

import java.util.ArrayList;
import java.util.List;

/** Small OTLP/JSON trace exports for the dev guide, one resource per service. */
final class DevPayloads {
  private DevPayloads() {}

  static String spans(String... services) {
    List<String> resources = new ArrayList<>();
    int i = 0;
    for (String s : services) {
      i++;
      resources.add("{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + s
          + "\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"tollgate-dev\"},\"spans\":[{"
          + "\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b17" + i + "\","
          + "\"name\":\"GET /" + s + "\",\"kind\":2,"
          + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000100000000\"}]}]}");
    }
    return "{\"resourceSpans\":[" + String.join(",", resources) + "]}\n";
  }
}
