package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.policy.Signal;

/**
 * OTLP/HTTP answer bodies: the Export*ServiceResponse of a success, with {@code partial_success}
 * when something was rejected, and the {@code google.rpc.Status} of a failure, each in protobuf or
 * in OTLP/JSON. Also reads an upstream collector's success body back, so its own rejections can be
 * added to Tollgate's.
 */
public final class OtlpResponses {

  /** What a success answer's {@code partial_success} said; {@link #NONE} when it said nothing. */
  public record PartialSuccess(long rejected, String message) {
    public static final PartialSuccess NONE = new PartialSuccess(0, "");
  }

  private OtlpResponses() {}

  /**
   * The body of a 200 answer. {@code partial_success} is included only when {@code rejected > 0}
   * or {@code message} is non-empty (the spec's warning case); otherwise the body is the empty
   * message: zero bytes in protobuf, {@code {}} in JSON.
   *
   * @param rejected spans, data points or log records not accepted; never negative
   * @param message why, or {@code null}
   */
  public static byte[] success(Signal signal, PayloadFormat format, long rejected, String message) {
    if (rejected < 0) {
      throw new IllegalArgumentException("rejected must not be negative: " + rejected);
    }
    String text = message == null ? "" : message;
    if (format == PayloadFormat.JSON) {
      return successJson(SignalShape.of(signal), rejected, text);
    }
    if (rejected == 0 && text.isEmpty()) {
      return new byte[0];
    }
    // ExportXServiceResponse.partial_success = 1 {rejected_x = 1 (int64), error_message = 2}
    byte[] utf8 = text.getBytes(UTF_8);
    int inner = (rejected > 0 ? 1 + ProtoWriter.varintSize(rejected) : 0)
        + (utf8.length > 0 ? ProtoWriter.lenFieldSize(utf8.length) : 0);
    ProtoWriter out = ProtoWriter.ofArray(ProtoWriter.lenFieldSize(inner));
    out.lenHeader(1, inner);
    if (rejected > 0) {
      out.varint(1 << 3 | ProtoReader.VARINT).varint(rejected);
    }
    if (utf8.length > 0) {
      out.lenHeader(2, utf8.length).bytes(utf8, 0, utf8.length);
    }
    return out.finishArray();
  }

  /**
   * The body of an error answer: {@code google.rpc.Status {int32 code = 1; string message = 2}},
   * or {@code {"code":7,"message":"..."}} in JSON.
   *
   * @param code a {@code google.rpc.Code}, e.g. 3 INVALID_ARGUMENT, 7 PERMISSION_DENIED
   */
  public static byte[] status(PayloadFormat format, int code, String message) {
    String text = message == null ? "" : message;
    if (format == PayloadFormat.JSON) {
      StringBuilder sb = new StringBuilder(text.length() + 32).append("{\"code\":").append(code);
      return JsonStrings.appendQuoted(sb.append(",\"message\":"), text).append('}').toString()
          .getBytes(UTF_8);
    }
    byte[] utf8 = text.getBytes(UTF_8);
    // int32 is sign-extended to 64 bits on the wire, so a negative code takes ten bytes.
    int size = (code != 0 ? 1 + ProtoWriter.varintSize(code) : 0)
        + (utf8.length > 0 ? ProtoWriter.lenFieldSize(utf8.length) : 0);
    ProtoWriter out = ProtoWriter.ofArray(size);
    if (code != 0) {
      out.varint(1 << 3 | ProtoReader.VARINT).varint(code);
    }
    if (utf8.length > 0) {
      out.lenHeader(2, utf8.length).bytes(utf8, 0, utf8.length);
    }
    return out.finishArray();
  }

  /** Same as {@link #readPartialSuccess(Signal, PayloadFormat, byte[], int, int)} on a whole array. */
  public static PartialSuccess readPartialSuccess(Signal signal, PayloadFormat format, byte[] body) {
    return readPartialSuccess(signal, format, body, 0, body.length);
  }

  /**
   * What an upstream's success body reports as rejected. An empty body, or one without
   * {@code partial_success}, gives {@link PartialSuccess#NONE}; unknown fields are ignored; a
   * negative count reads as zero.
   *
   * @throws MalformedPayloadException when the body cannot be parsed at all
   */
  public static PartialSuccess readPartialSuccess(
      Signal signal, PayloadFormat format, byte[] buf, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, buf.length);
    SignalShape shape = SignalShape.of(signal);
    return format == PayloadFormat.JSON
        ? PartialSuccessReader.json(shape, buf, off, len)
        : PartialSuccessReader.proto(buf, off, len);
  }

  private static byte[] successJson(SignalShape shape, long rejected, String message) {
    if (rejected == 0 && message.isEmpty()) {
      return new byte[] {'{', '}'};
    }
    StringBuilder sb = new StringBuilder(message.length() + 64).append("{\"partialSuccess\":{");
    if (rejected > 0) {
      // proto3 JSON writes int64 as a string.
      sb.append('"').append(shape.rejectedField[0]).append("\":\"").append(rejected).append('"');
    }
    if (!message.isEmpty()) {
      JsonStrings.appendQuoted(sb.append(rejected > 0 ? "," : "").append("\"errorMessage\":"),
          message);
    }
    return sb.append("}}").toString().getBytes(UTF_8);
  }
}
