package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Quoted;
import dev.tollgate.proxy.query.TraceQlTokens.Kind;
import dev.tollgate.proxy.query.TraceQlTokens.Token;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a TraceQL query can only match, select or count spans of services the caller may
 * read. It is proven when it fits this part of TraceQL, an allow-list:
 *
 * <pre>
 * query    = spansets { "|" stage }
 * spansets = spanset { ("&amp;&amp;" | "||") spanset }
 * spanset  = "{" condition "}" | "(" spansets ")"
 * stage    = "select(" field {"," field} ")" | "by(" field ")" | "count()" comparison integer
 * </pre>
 *
 * where every condition requires {@code resource.service.name = "s"} with {@code s} permitted
 * (directly, in an {@code &&} with anything, or on every side of an {@code ||}) and names only
 * fields of the span itself ({@link TraceQlFields}). Structural operators ({@code >}, {@code >>},
 * {@code ~} ...) relate spans to others in the trace and are refused; {@code by} and {@code count}
 * only see the spans the proven filters kept. Anything else, including syntax this reader does not
 * know, is unproven. Costs one pass over the text (at most 16 KiB); brackets may nest {@value
 * #MAX_DEPTH} deep, so the recursion is bounded whatever the text.
 */
final class TraceQlScope {
  static final int MAX_DEPTH = 32;
  private static final String SERVICE = "resource.service.name";
  private static final Set<String> COMPARISONS = Set.of("=", "!=", "=~", "!~", ">", ">=", "<", "<=");
  private static final Set<String> ARITHMETIC = Set.of("+", "-", "*", "/", "%", "^");
  private static final Set<String> STRUCTURAL = Set.of(">", "<", ">>", "<<", "~", "!~", "!>", "!<", "!>>", "!<<",
      "&~", "&>", "&<", "&>>", "&<<");
  private static final Set<String> STATICS = Set.of("true", "false", "nil", "ok", "error", "unset", "unspecified",
      "internal", "server", "client", "producer", "consumer");

  /** A query this reader cannot prove scoped; the message says why. */
  private static final class Unproven extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unproven(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * One side of a comparison, as far as the proof cares: a bracketed condition that was proven, the
   * service attribute alone, or a string alone.
   */
  private record Operand(boolean scoped, boolean service, String string) {
    static final Operand OTHER = new Operand(false, false, null);
  }

  private final List<Token> tokens;
  private final TraceScope scope;
  private final QueryTally tally;
  private int pos;

  private TraceQlScope(List<Token> tokens, TraceScope scope, QueryTally tally) {
    this.tokens = tokens;
    this.scope = scope;
    this.tally = tally;
  }

  /**
   * Null when {@code q} is proven to stay inside the permitted services, else the reason it is not.
   * Services the query names are recorded in the tally.
   *
   * @throws QueryRefused 403 when the query names a service the caller may not read; 400 when its
   *     brackets nest deeper than {@value #MAX_DEPTH}
   */
  static String unprovenReason(String q, TraceScope scope, QueryTally tally) {
    try {
      new TraceQlScope(TraceQlTokens.read(q), scope, tally).query();
      return null;
    } catch (TraceQlTokens.Unreadable | Unproven e) {
      return e.getMessage();
    }
  }

  private void query() {
    spansets(0);
    while (peekOp("|")) {
      pos++;
      stage();
    }
    if (pos < tokens.size()) {
      throw new Unproven("it goes on with " + describe(tokens.get(pos)) + " where only | and a stage may follow");
    }
  }

  private void spansets(int depth) {
    spanset(depth);
    while (peek(Kind.OP) && !peekOp("|")) {
      String op = tokens.get(pos++).text();
      if (STRUCTURAL.contains(op)) {
        throw new Unproven("the spanset operator " + op + " relates spans to other spans of the trace, which may"
            + " belong to services you may not read");
      }
      if (!op.equals("&&") && !op.equals("||")) {
        throw new Unproven("it has " + op + " between spansets, where only && and || are served");
      }
      spanset(depth);
    }
  }

  private void spanset(int depth) {
    Token t = next("a spanset filter { ... }");
    if (t.kind() == Kind.OPEN) {
      enter(depth);
      if (peek(Kind.CLOSE)) {
        throw new Unproven("{ } matches every span");
      }
      boolean scoped = condition(depth + 1);
      expect(Kind.CLOSE, "}");
      if (!scoped) {
        throw new Unproven("a spanset filter does not require " + SERVICE + " = a service you may read");
      }
    } else if (t.kind() == Kind.LPAREN) {
      enter(depth);
      spansets(depth + 1);
      expect(Kind.RPAREN, ")");
    } else {
      throw new Unproven("it has " + describe(t) + " where a spanset filter { ... } is expected");
    }
  }

  /** Comparisons joined by && and ||, which Tempo reads with one precedence, left to right. */
  private boolean condition(int depth) {
    boolean scoped = comparison(depth);
    while (peekOp("&&") || peekOp("||")) {
      boolean and = tokens.get(pos++).text().equals("&&");
      boolean next = comparison(depth);
      scoped = and ? scoped || next : scoped && next;
    }
    return scoped;
  }

  /** Operands joined by comparisons, which bind less tightly than arithmetic, ! and -. */
  private boolean comparison(int depth) {
    Operand left = operand(depth);
    if (!peekComparison()) {
      return left.scoped();
    }
    String op = tokens.get(pos++).text();
    Operand right = operand(depth);
    boolean names = op.equals("=") && left.service() && right.string() != null && !peekComparison();
    while (peekComparison()) {
      pos++;
      operand(depth);
    }
    if (names) {
      scope.require(right.string(), tally);
    }
    return names;
  }

  private Operand operand(int depth) {
    boolean bare = true;
    while (peekOp("!") || peekOp("-")) {
      pos++;
      bare = false;
    }
    Operand first = primary(depth);
    while (peek(Kind.OP) && ARITHMETIC.contains(tokens.get(pos).text())) {
      pos++;
      bare = false;
      while (peekOp("!") || peekOp("-")) {
        pos++;
      }
      primary(depth);
    }
    return bare ? first : Operand.OTHER;
  }

  private Operand primary(int depth) {
    Token t = next("a value or a field");
    switch (t.kind()) {
      case LPAREN -> {
        enter(depth);
        boolean scoped = condition(depth + 1);
        expect(Kind.RPAREN, ")");
        return new Operand(scoped, false, null);
      }
      case STRING -> {
        return new Operand(false, false, t.text());
      }
      case NUMBER -> {
        return Operand.OTHER;
      }
      case FIELD, WORD -> {
        if (t.kind() == Kind.WORD && STATICS.contains(t.text())) {
          return Operand.OTHER;
        }
        field(t);
        return new Operand(false, t.text().equals(SERVICE), null);
      }
      default -> throw new Unproven("it has " + describe(t) + " where a value or a field is expected");
    }
  }

  private void stage() {
    Token t = next("a pipeline stage");
    switch (t.kind() == Kind.WORD ? t.text() : "") {
      case "select" -> {
        expect(Kind.LPAREN, "(");
        field(next("a field"));
        while (peek(Kind.COMMA)) {
          pos++;
          field(next("a field"));
        }
        expect(Kind.RPAREN, ")");
      }
      case "by" -> {
        expect(Kind.LPAREN, "(");
        field(next("a field"));
        expect(Kind.RPAREN, ")");
      }
      case "count" -> {
        expect(Kind.LPAREN, "(");
        expect(Kind.RPAREN, ")");
        Token n = peekComparison() && pos + 1 < tokens.size() ? tokens.get(pos + 1) : null;
        if (n == null || n.kind() != Kind.NUMBER || !n.text().chars().allMatch(Character::isDigit)) {
          throw new Unproven("count() must be compared with a whole number");
        }
        pos += 2;
      }
      default -> throw new Unproven("the pipeline stage " + describe(t) + " is not served; only select(...),"
          + " by(...) and count() compared with a number are");
    }
  }

  private static void field(Token t) {
    if (t.kind() != Kind.FIELD && t.kind() != Kind.WORD) {
      throw new Unproven("it has " + describe(t) + " where a field is expected");
    }
    String refusal = TraceQlFields.refusal(t.text());
    if (refusal != null) {
      throw new Unproven(refusal);
    }
  }

  private static void enter(int depth) {
    if (depth >= MAX_DEPTH) {
      throw new QueryRefused(400, "TraceQL query refused: its brackets nest deeper than " + MAX_DEPTH + " levels");
    }
  }

  private Token next(String expected) {
    if (pos >= tokens.size()) {
      throw new Unproven("it ends where " + expected + " is expected");
    }
    return tokens.get(pos++);
  }

  private boolean peek(Kind kind) {
    return pos < tokens.size() && tokens.get(pos).kind() == kind;
  }

  private boolean peekOp(String op) {
    return peek(Kind.OP) && tokens.get(pos).text().equals(op);
  }

  private boolean peekComparison() {
    return peek(Kind.OP) && COMPARISONS.contains(tokens.get(pos).text());
  }

  private void expect(Kind kind, String text) {
    if (!peek(kind)) {
      throw new Unproven("a " + text + " is missing or misplaced");
    }
    pos++;
  }

  private static String describe(Token t) {
    return t.kind() == Kind.STRING ? "a string" : Quoted.of(t.text());
  }
}
