package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Quoted;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits TraceQL text into tokens the way Tempo's lexer does (Go's text/scanner for words, numbers
 * and strings, then Tempo's own rules for operators and attribute names), for the part of TraceQL
 * Tollgate reads. Anything else is {@link Unreadable}, never guessed at: above all comments, which
 * Tempo skips, so that no text can be a string to Tollgate and a comment to Tempo or the other way
 * round. Costs one pass over the text.
 */
final class TraceQlTokens {
  /** FIELD: an attribute ({@code span.x}, {@code .x}); WORD: an identifier, keyword or {@code span:name}. */
  enum Kind { FIELD, WORD, NUMBER, STRING, OP, OPEN, CLOSE, LPAREN, RPAREN, COMMA }

  record Token(Kind kind, String text) {}

  /** Text this tokenizer does not read as Tempo would. */
  static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Tempo's operators; as in its lexer, a longer one is read only by extending a shorter prefix. */
  private static final Set<String> OPERATORS = Set.of("=", "!=", "=~", "!~", ">", ">=", "<", "<=", "+", "-", "/",
      "%", "*", "^", "&&", "||", "!", "|", ">>", "<<", "~", "!>", "!<", "!>>", "!<<", "&~", "&>", "&<", "&>>", "&<<");
  private static final String OPERATOR_CHARS = "=!~<>&|+-*/%^";
  /** Words that, with a dot, make Tempo read an attribute name. */
  private static final Set<String> ATTRIBUTE_SCOPES = Set.of("span", "resource", "event", "link", "instrumentation",
      "parent");
  /** Words that, with a colon, scope an intrinsic. */
  private static final Set<String> INTRINSIC_SCOPES = Set.of("trace", "span", "event", "link", "instrumentation");
  /** What ends an attribute name for Tempo, besides white space; every other character continues it. */
  private static final String ENDS_ATTRIBUTE = "{}()=~!<>&|^,";
  private static final Pattern NUMBER = Pattern.compile(
      "[0-9]+(\\.[0-9]+)?|([0-9]+(\\.[0-9]+)?(ns|us|\u00b5s|ms|s|m|h|d|w|y))+");

  private TraceQlTokens() {}

  static List<Token> read(String q) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < q.length()) {
      char c = q.charAt(i);
      char next = i + 1 < q.length() ? q.charAt(i + 1) : 0;
      if (space(c)) {
        i++;
      } else if (c == '"' || c == '`') {
        StringBuilder text = new StringBuilder();
        i = TraceQlStrings.read(q, i, text);
        out.add(new Token(Kind.STRING, text.toString()));
      } else if ("{}(),".indexOf(c) >= 0) {
        out.add(new Token(Kind.values()["{}(),".indexOf(c) + Kind.OPEN.ordinal()], String.valueOf(c)));
        i++;
      } else if (c == '/' && (next == '/' || next == '*') || c == '*' && next == '/') {
        throw new Unreadable("it has a comment (//, /* or */) at offset " + i + ", which Tempo skips and Tollgate"
            + " does not read; remove it");
      } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
        i = operator(q, i, out);
      } else if (c >= '0' && c <= '9') {
        i = number(q, i, out);
      } else if (c == '.') {
        i = attribute(q, i, i + 1, out);
      } else if (c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
        i = word(q, i, out);
      } else {
        throw new Unreadable("it has " + Quoted.of(String.valueOf(c)) + " at offset " + i
            + ", a character Tollgate does not read outside a string");
      }
    }
    return out;
  }

  private static int operator(String q, int i, List<Token> out) {
    String op = String.valueOf(q.charAt(i));
    int end = i + 1;
    while (end < q.length() && OPERATORS.contains(op + q.charAt(end))) {
      op += q.charAt(end++);
    }
    if (!OPERATORS.contains(op)) {
      throw new Unreadable("it has a lone " + op + " at offset " + i);
    }
    out.add(new Token(Kind.OP, op));
    return end;
  }

  /** A number or a duration; Tempo reads the units that follow a number as part of it. */
  private static int number(String q, int i, List<Token> out) {
    int end = i;
    while (end < q.length() && (identifier(q.charAt(end)) || q.charAt(end) == '.' || q.charAt(end) == '\u00b5')) {
      end++;
    }
    String text = q.substring(i, end);
    if (!NUMBER.matcher(text).matches()) {
      throw new Unreadable("it has " + Quoted.of(text) + ", which Tollgate does not read as a number or duration");
    }
    out.add(new Token(Kind.NUMBER, text));
    return end;
  }

  private static int word(String q, int i, List<Token> out) {
    int end = i;
    while (end < q.length() && identifier(q.charAt(end))) {
      end++;
    }
    String word = q.substring(i, end);
    char next = end < q.length() ? q.charAt(end) : 0;
    if (next == '.' && ATTRIBUTE_SCOPES.contains(word)) {
      return attribute(q, i, end + 1, out);
    }
    if (next == ':' && INTRINSIC_SCOPES.contains(word)) {
      end++;
      while (end < q.length() && identifier(q.charAt(end))) {
        end++;
      }
    }
    out.add(new Token(Kind.WORD, q.substring(i, end)));
    return end;
  }

  /**
   * An attribute from its scope at {@code start}; its name begins at {@code name}. Tempo reads the
   * name up to white space or one of {@value #ENDS_ATTRIBUTE}, quotes, slashes and all, so a name
   * going on with anything but letters, digits and {@code _.:-} is refused.
   */
  private static int attribute(String q, int start, int name, List<Token> out) {
    int end = name;
    while (end < q.length() && (identifier(q.charAt(end)) || ".:-".indexOf(q.charAt(end)) >= 0)) {
      end++;
    }
    if (end < q.length() && !space(q.charAt(end)) && ENDS_ATTRIBUTE.indexOf(q.charAt(end)) < 0) {
      throw new Unreadable("the attribute name at offset " + start + " goes on with "
          + Quoted.of(String.valueOf(q.charAt(end))) + ", which Tempo reads as part of the name and Tollgate does not");
    }
    if (end == name) {
      throw new Unreadable("it has a scope without an attribute name at offset " + start);
    }
    if (name == start + 1 && q.charAt(name) >= '0' && q.charAt(name) <= '9') {
      throw new Unreadable("it has " + Quoted.of(q.substring(start, end)) + ", a number to Tempo");
    }
    out.add(new Token(Kind.FIELD, q.substring(start, end)));
    return end;
  }

  /** Go's white space; other spaces are characters to Go and are refused. */
  private static boolean space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean identifier(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }
}
