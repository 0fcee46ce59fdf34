package dev.tollgate.proxy.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a TraceQL query can only match spans of services the caller may read. It is
 * proven when every spanset filter {@code { ... }} requires {@code resource.service.name = "s"}
 * with {@code s} permitted: directly, in a conjunction ({@code &&}) with anything, or on every side
 * of a disjunction ({@code ||}). Anything else, including syntax this reader does not know, is
 * unproven. Costs one pass over the text (at most 16 KiB).
 */
final class TraceQlScope {
  private static final String SERVICE = "resource.service.name";
  private static final Set<String> COMPARISONS = Set.of("=", "!=", "=~", "!~", ">", ">=", "<", "<=");
  private static final Set<String> ARITHMETIC = Set.of("+", "*", "/", "%", "^");

  private enum Kind { WORD, STRING, OP, OPEN, CLOSE, LPAREN, RPAREN, COMMA }

  private record Token(Kind kind, String text) {}

  /** A query this reader cannot prove scoped; the message says why. */
  private static final class Unproven extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unproven(String reason) {
      super(reason, null, false, false);
    }
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
   * @throws QueryRefused 403 when the query names a service the caller may not read
   */
  static String unprovenReason(String q, TraceScope scope, QueryTally tally) {
    try {
      TraceQlScope reader = new TraceQlScope(TraceQlTokens.read(q), scope, tally);
      return reader.query();
    } catch (TraceQlTokens.Unreadable e) {
      return e.getMessage();
    } catch (Unproven e) {
      return e.getMessage();
    }
  }

  private String query() {
    int filters = 0;
    while (pos < tokens.size()) {
      Token t = tokens.get(pos++);
      if (t.kind() == Kind.CLOSE) {
        return "it has an unbalanced }";
      }
      if (t.kind() == Kind.OPEN) {
        boolean scoped = or();
        expect(Kind.CLOSE, "}");
        if (!scoped) {
          return "a spanset filter does not require " + SERVICE + " = a service you may read";
        }
        filters++;
      }
    }
    return filters == 0 ? "it has no spanset filter { ... }" : null;
  }

  private boolean or() {
    boolean scoped = and();
    while (peekOp("||")) {
      pos++;
      boolean next = and();
      scoped = scoped && next;
    }
    return scoped;
  }

  private boolean and() {
    boolean scoped = unary();
    while (peekOp("&&")) {
      pos++;
      boolean next = unary();
      scoped = scoped || next;
    }
    return scoped;
  }

  private boolean unary() {
    if (peekOp("!")) {
      pos++;
      unary();
      return false;
    }
    if (peek(Kind.LPAREN)) {
      pos++;
      boolean scoped = or();
      expect(Kind.RPAREN, ")");
      return scoped;
    }
    return comparison();
  }

  private boolean comparison() {
    List<Token> left = operand();
    if (pos >= tokens.size() || tokens.get(pos).kind() != Kind.OP || !COMPARISONS.contains(tokens.get(pos).text())) {
      return false;
    }
    String op = tokens.get(pos++).text();
    List<Token> right = operand();
    boolean names = left.size() == 1 && left.get(0).equals(new Token(Kind.WORD, SERVICE))
        && right.size() == 1 && right.get(0).kind() == Kind.STRING;
    if (names && op.equals("=")) {
      scope.require(right.get(0).text(), tally);
      return true;
    }
    return false;
  }

  /** Reads an operand: words, strings and arithmetic, up to a comparison or a boolean operator. */
  private List<Token> operand() {
    List<Token> out = new ArrayList<>();
    while (pos < tokens.size()) {
      Token t = tokens.get(pos);
      boolean part = t.kind() == Kind.WORD || t.kind() == Kind.STRING
          || t.kind() == Kind.OP && ARITHMETIC.contains(t.text());
      if (!part) {
        break;
      }
      out.add(t);
      pos++;
    }
    if (out.isEmpty()) {
      throw new Unproven("it has a filter this reader cannot follow");
    }
    return out;
  }

  private boolean peek(Kind kind) {
    return pos < tokens.size() && tokens.get(pos).kind() == kind;
  }

  private boolean peekOp(String op) {
    return peek(Kind.OP) && tokens.get(pos).text().equals(op);
  }

  private void expect(Kind kind, String text) {
    if (!peek(kind)) {
      throw new Unproven("a " + text + " is missing or misplaced");
    }
    pos++;
  }

  /** Splits TraceQL text into the tokens {@link TraceQlScope} reads. */
  static final class TraceQlTokens {
    private static final String OP_CHARS = "=!~<>&|+*/%^";

    /** Text this tokenizer does not accept. */
    static final class Unreadable extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Unreadable(String reason) {
        super(reason, null, false, false);
      }
    }

    private TraceQlTokens() {}

    static List<Token> read(String q) {
      List<Token> out = new ArrayList<>();
      int i = 0;
      while (i < q.length()) {
        char c = q.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '"' || c == '`') {
          StringBuilder text = new StringBuilder();
          i = TraceQlStrings.read(q, i, text);
          out.add(new Token(Kind.STRING, text.toString()));
        } else if ("{}(),".indexOf(c) >= 0) {
          out.add(new Token(Kind.values()["{}(),".indexOf(c) + Kind.OPEN.ordinal()], String.valueOf(c)));
          i++;
        } else {
          i = run(q, i, out);
        }
      }
      return out;
    }

    private static int run(String q, int i, List<Token> out) {
      boolean op = OP_CHARS.indexOf(q.charAt(i)) >= 0;
      int end = i;
      while (end < q.length() && (op ? OP_CHARS.indexOf(q.charAt(end)) >= 0 : word(q.charAt(end)))) {
        end++;
      }
      if (end == i) {
        throw new Unreadable("it has a character this reader does not know at offset " + i);
      }
      out.add(new Token(op ? Kind.OP : Kind.WORD, q.substring(i, end)));
      return end;
    }

    private static boolean word(char c) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
          || c == ':' || c == '-';
    }
  }
}
