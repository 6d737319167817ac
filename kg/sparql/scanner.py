"""One lexical scanner for SPARQL text: which characters are syntax and which are inside a string
literal, an IRI or a comment.

Why one: binding parameters (a VALUES block after the first `{`), paging (a LIMIT after the last
`}`), the endpoint's SERVICE refusal and the Update check all look for braces and keywords, and
each needs to know that `'''a "b { SERVICE c'''` holds neither a brace nor a keyword. Two scanners
that disagreed on that put a VALUES block inside a string literal; a security check that is
fooled where the parser is not is no check.

What it follows, from the SPARQL 1.1 grammar:
- string literals in all four forms ('...', "...", and both tripled); a backslash escapes
  the next character; a long string ends at the first unescaped triple quote; a short one cannot
  span lines (an unterminated one ends at the line end, the parser rejects it anyway);
- IRIREF = '<' ([^<>"{}|^`\\] - [#x00-#x20])* '>'. `<` is also less-than: inside an expression,
  after an operand (`?n<2)SERVICE#>` is `?n < 2) SERVICE` and a comment), `<` is an operator and
  the scanner reads on after it, as the parser does; in a triple pattern `?s<p>` is an IRI;
- `#` to the end of the line is a comment, except inside a string or an IRI;
- a backslash outside strings escapes one character of a prefixed name (PN_LOCAL_ESC: `ex:a\\'b`
  holds no string).
Each character is looked at a bounded number of times: linear time whatever the text.
"""

from __future__ import annotations

import re

__all__ = ["code_only", "is_update", "matching_brace", "uses_service"]

# a name run (variable, prefixed name, keyword, number; PN_LOCAL escapes included) or a character
# that opens or closes something; a run is a keyword only when it is the whole run (`?select`,
# `ex:a.FILTER` and `ex:a\\'FILTER` are names), leading dots aside (`?o .FILTER(`)
_SPECIAL = re.compile(r"(?:[\w.:?$\-]|\\.)+|[#<\"'\\(){}]")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING_STOP = {'"': re.compile(r'["\\\n\r]'), "'": re.compile(r"['\\\n\r]")}
_LONG_STOP = {'"': re.compile(r'["\\]'), "'": re.compile(r"['\\]")}
_OPENERS = set("#<\"'\\(){}")
_NOT_NEWLINE = re.compile(r"[^\n]")
# keywords after which the next `(` opens an expression, and those after which every `(` does
# until the next brace (projections, HAVING, ORDER BY, GROUP BY)
_NEXT_PAREN = {"FILTER", "BIND"}
_UNTIL_BRACE = {"SELECT", "HAVING", "BY"}
_SERVICE = re.compile(r"(?<![?$\w:])SERVICE\b", re.IGNORECASE)
_UPDATE_WORD = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[^\s{}()]+|[{}()]")


def _string_end(s: str, start: int) -> int:
    """End (exclusive) of the string literal opening at `start`."""
    q = s[start]
    long = s.startswith(q * 3, start)
    stop, i = (_LONG_STOP if long else _STRING_STOP)[q], start + (3 if long else 1)
    while True:
        m = stop.search(s, i)
        if m is None:
            return len(s)
        j = m.start()
        if s[j] == "\\":
            i = j + 2
        elif not long:
            return j + 1 if s[j] == q else j  # a line end: unterminated
        elif s.startswith(q * 3, j):
            return j + 3
        else:
            i = j + 1


def _ends_operand(c: str) -> bool:
    """Whether `c`, the last syntax character before a `<`, ends an operand (a variable, number,
    name, literal, IRI or bracketed expression), so that the `<` compares."""
    return c.isalnum() or c in "_)\"'>]"


class _Context:
    """Which brackets are open: a stack of 'expr' (parentheses of an expression) and 'group' (the
    text outside every brace, braces, and parentheses of a collection, a VALUES row or variable
    list). Only in an expression can `<` compare: elsewhere (`FROM <g>`, `?s <p>`, `DESCRIBE ?x
    <y>`) it opens an IRI."""

    def __init__(self) -> None:
        self.stack = ["group"]
        self.next_paren = False
        self.until_brace = False

    def in_expression(self) -> bool:
        return self.stack[-1] == "expr"

    def open_paren(self) -> None:
        expr = self.in_expression() or self.next_paren or self.until_brace
        self.next_paren = False
        self.stack.append("expr" if expr else "group")

    def close(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def open_brace(self) -> None:
        self.next_paren = self.until_brace = False
        self.stack.append("group")

    def close_brace(self) -> None:
        self.next_paren = self.until_brace = False
        self.close()

    def keyword(self, word: str) -> None:
        if word in _NEXT_PAREN:
            self.next_paren = True
        else:
            self.until_brace = True


def _blanked_spans(s: str) -> list[tuple[int, int]]:
    """(start, end) of every comment, string literal and IRI, in order."""
    spans: list[tuple[int, int]] = []
    ctx = _Context()
    i, n, last = 0, len(s), ""  # last: the last syntax character before i
    while i < n:
        m = _SPECIAL.search(s, i)
        if m is None:
            break
        j, c = m.start(), s[m.start()]
        between = s[i:j].rstrip()
        if between:
            last = between[-1]
        if m.end() - j > 1 or c not in _OPENERS:  # a name run
            word = m.group(0).lstrip(".").upper()
            if word in _NEXT_PAREN or word in _UNTIL_BRACE:
                ctx.keyword(word)
            i, last = m.end(), m.group(0)[-1]
        elif c == "#":
            end = s.find("\n", j)
            i = n if end < 0 else end
            spans.append((j, i))
        elif c in "\"'":
            i = _string_end(s, j)
            spans.append((j, i))
            last = c
        elif c == "\\":  # a lone backslash at the end of the text
            i = j + 1
        elif c == "<":
            iri = _IRIREF.match(s, j)
            if iri is None or (ctx.in_expression() and _ends_operand(last)):
                i, last = j + 1, "<"  # less-than
            else:
                spans.append((j, iri.end()))
                i, last = iri.end(), ">"
        else:
            {"(": ctx.open_paren, ")": ctx.close, "{": ctx.open_brace, "}": ctx.close_brace}[c]()
            i, last = j + 1, c
    return spans


def code_only(sparql: str) -> str:
    """The query with comments, IRIs and string literals blanked out (same length, line ends
    kept), so that braces and keywords found in it are syntax, not text."""
    out, pos = [], 0
    for a, b in _blanked_spans(sparql):
        out.append(sparql[pos:a])
        out.append(_NOT_NEWLINE.sub(" ", sparql[a:b]))
        pos = b
    out.append(sparql[pos:])
    return "".join(out)


def matching_brace(code: str, open_: int) -> int:
    """Index of the `}` closing the `{` at open_ in code_only text, -1 if none."""
    depth = 0
    for i in range(open_, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def uses_service(sparql: str) -> bool:
    """Whether the query text has a SERVICE clause (outside comments, strings and IRIs)."""
    return bool(_SERVICE.search(code_only(sparql)))


def is_update(sparql: str) -> bool:
    """Whether the text is a SPARQL Update: its first keyword after the prologue (PREFIX and BASE
    declarations, comments) is an update operation. Token by token, so linear time (a regex
    over the prologue backtracked exponentially on PREFIX lines separated by blank lines)."""
    expect_name = False
    for m in _TOKEN.finditer(code_only(sparql)):
        tok = m.group(0)
        if expect_name:
            expect_name = False
            continue
        word = tok.upper()
        if word == "PREFIX":
            expect_name = True
        elif word != "BASE":
            return bool(_UPDATE_WORD.match(tok))
    return False
