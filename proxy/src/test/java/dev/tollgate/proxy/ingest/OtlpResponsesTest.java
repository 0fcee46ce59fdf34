package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.ingest.OtlpResponses.PartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;

class OtlpResponsesTest {
  private static final String MESSAGE = "2 resources denied: service \"billing\" \u2192 team-x\n";

  /**
   * google.rpc.Status, declared by hand: proto-google-common-protos is not on the test classpath,
   * so the protobuf runtime decodes our bytes against this copy of its schema.
   */
  private static final Descriptor STATUS = status();

  private static Descriptor status() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("google/rpc/status.proto")
        .setPackage("google.rpc").setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName("Status")
            .addField(field("code", 1, FieldDescriptorProto.Type.TYPE_INT32))
            .addField(field("message", 2, FieldDescriptorProto.Type.TYPE_STRING)))
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("Status");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type t) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(t)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
  }

  @Test
  void protobufSuccessCarriesPartialSuccessPerSignal() throws Exception {
    assertThat(ExportTraceServiceResponse.parseFrom(
        OtlpResponses.success(Signal.TRACES, PayloadFormat.PROTOBUF, 3, MESSAGE)))
        .isEqualTo(ExportTraceServiceResponse.newBuilder().setPartialSuccess(
            ExportTracePartialSuccess.newBuilder().setRejectedSpans(3).setErrorMessage(MESSAGE))
            .build());
    assertThat(ExportMetricsServiceResponse.parseFrom(
        OtlpResponses.success(Signal.METRICS, PayloadFormat.PROTOBUF, 1L << 40, null))
        .getPartialSuccess())
        .isEqualTo(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(1L << 40).build());
    assertThat(ExportLogsServiceResponse.parseFrom(
        OtlpResponses.success(Signal.LOGS, PayloadFormat.PROTOBUF, 0, "warning only"))
        .getPartialSuccess())
        .isEqualTo(ExportLogsPartialSuccess.newBuilder().setErrorMessage("warning only").build());
  }

  @Test
  void jsonSuccessIsOtlpJson() throws Exception {
    byte[] body = OtlpResponses.success(Signal.TRACES, PayloadFormat.JSON, 3, "no \"x\"");

    assertThat(new String(body, UTF_8))
        .isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":\"3\",\"errorMessage\":\"no \\\"x\\\"\"}}");
    ExportLogsServiceResponse.Builder logs = ExportLogsServiceResponse.newBuilder();
    JsonFormat.parser().merge(new String(
        OtlpResponses.success(Signal.LOGS, PayloadFormat.JSON, 7, MESSAGE), UTF_8), logs);
    assertThat(logs.getPartialSuccess()).isEqualTo(ExportLogsPartialSuccess.newBuilder()
        .setRejectedLogRecords(7).setErrorMessage(MESSAGE).build());
  }

  @Test
  void fullSuccessIsTheEmptyMessage() {
    assertThat(OtlpResponses.success(Signal.TRACES, PayloadFormat.PROTOBUF, 0, null)).isEmpty();
    assertThat(OtlpResponses.success(Signal.METRICS, PayloadFormat.JSON, 0, ""))
        .isEqualTo("{}".getBytes(UTF_8));
    assertThatThrownBy(() -> OtlpResponses.success(Signal.TRACES, PayloadFormat.JSON, -1, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statusDecodesAsGoogleRpcStatus() throws Exception {
    DynamicMessage proto = DynamicMessage.parseFrom(STATUS,
        OtlpResponses.status(PayloadFormat.PROTOBUF, 7, MESSAGE));
    DynamicMessage.Builder json = DynamicMessage.newBuilder(STATUS);
    JsonFormat.parser().merge(
        new String(OtlpResponses.status(PayloadFormat.JSON, 7, MESSAGE), UTF_8), json);
    DynamicMessage negative = DynamicMessage.parseFrom(STATUS,
        OtlpResponses.status(PayloadFormat.PROTOBUF, -2, ""));

    assertThat(proto.getField(STATUS.findFieldByName("code"))).isEqualTo(7);
    assertThat(proto.getField(STATUS.findFieldByName("message"))).isEqualTo(MESSAGE);
    assertThat(json.build()).isEqualTo(proto);
    assertThat(negative.getField(STATUS.findFieldByName("code"))).isEqualTo(-2);
    assertThat(new String(OtlpResponses.status(PayloadFormat.JSON, 3, "bad"), UTF_8))
        .isEqualTo("{\"code\":3,\"message\":\"bad\"}");
  }

  @Test
  void upstreamPartialSuccessIsReadBackInBothFormats() throws Exception {
    ExportTraceServiceResponse theirs = ExportTraceServiceResponse.newBuilder().setPartialSuccess(
        ExportTracePartialSuccess.newBuilder().setRejectedSpans(12).setErrorMessage(MESSAGE)).build();
    PartialSuccess want = new PartialSuccess(12, MESSAGE);

    assertThat(OtlpResponses.readPartialSuccess(Signal.TRACES, PayloadFormat.PROTOBUF,
        theirs.toByteArray())).isEqualTo(want);
    for (JsonFormat.Printer printer : new JsonFormat.Printer[] {
        JsonFormat.printer(), JsonFormat.printer().preservingProtoFieldNames()}) {
      assertThat(OtlpResponses.readPartialSuccess(Signal.TRACES, PayloadFormat.JSON,
          printer.print(theirs).getBytes(UTF_8))).isEqualTo(want);
    }
    assertThat(OtlpResponses.readPartialSuccess(Signal.METRICS, PayloadFormat.JSON,
        "{\"partialSuccess\":{\"rejectedDataPoints\":5},\"extra\":[1]}".getBytes(UTF_8)))
        .isEqualTo(new PartialSuccess(5, ""));
  }

  @Test
  void upstreamBodiesWithoutPartialSuccessReadAsNone() {
    for (PayloadFormat format : PayloadFormat.values()) {
      assertThat(OtlpResponses.readPartialSuccess(Signal.LOGS, format, new byte[0]))
          .isEqualTo(PartialSuccess.NONE);
      byte[] empty = OtlpResponses.success(Signal.LOGS, format, 0, null);
      assertThat(OtlpResponses.readPartialSuccess(Signal.LOGS, format, empty))
          .isEqualTo(PartialSuccess.NONE);
      byte[] ours = OtlpResponses.success(Signal.LOGS, format, 4, "x");
      assertThat(OtlpResponses.readPartialSuccess(Signal.LOGS, format, ours))
          .isEqualTo(new PartialSuccess(4, "x"));
    }
    assertThat(OtlpResponses.readPartialSuccess(Signal.LOGS, PayloadFormat.JSON,
        " \n".getBytes(UTF_8))).isEqualTo(PartialSuccess.NONE);
  }

  @Test
  void unreadableUpstreamBodiesAreMalformed() {
    assertThatThrownBy(() -> OtlpResponses.readPartialSuccess(Signal.TRACES, PayloadFormat.JSON,
        "<html>".getBytes(UTF_8))).isInstanceOf(MalformedPayloadException.class);
    assertThatThrownBy(() -> OtlpResponses.readPartialSuccess(Signal.TRACES, PayloadFormat.JSON,
        "{\"partialSuccess\":{\"rejectedSpans\":\"many\"}}".getBytes(UTF_8)))
        .isInstanceOf(MalformedPayloadException.class);
    assertThatThrownBy(() -> OtlpResponses.readPartialSuccess(Signal.TRACES,
        PayloadFormat.PROTOBUF, new byte[] {0x0a, 0x09, 0x08}))
        .isInstanceOf(MalformedPayloadException.class);
  }
}
