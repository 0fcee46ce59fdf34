package dev.tollgate.proxy.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PayloadFormatTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
    "application/x-protobuf            | PROTOBUF",
    "application/json                  | JSON",
    "Application/JSON                  | JSON",
    "application/json; charset=utf-8   | JSON",
    "application/json;charset=\"UTF-8\" | JSON",
    "application/x-protobuf; q=1       | PROTOBUF",
    "application/json; charset=utf-16  | NONE",
    "application/protobuf              | NONE",
    "application/grpc                  | NONE",
    "text/plain                        | NONE",
    "application/jsonx                 | NONE",
    "''                                | NONE",
    "NONE                              | NONE",
  })
  void contentTypes(String contentType, PayloadFormat expected) {
    assertThat(PayloadFormat.fromContentType(contentType)).isEqualTo(expected);
  }
}
