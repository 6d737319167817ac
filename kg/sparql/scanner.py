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

_RUN = r"[\w.:?$\-]"  # a character of a name run (variable, prefixed name, keyword, number)
# One regex skips, in C, to the next thing that opens or closes something (a comment, a string, a
# `<`, brackets, a PN_LOCAL escape: `ex:a\'b` holds no string); the Python loop runs once per such
# token, not once per name or per character. Linear: the skip is one character class, the repeats
# are unrolled (`x*(?:\\.x*)*`: nothing to retry), and once a branch's first character matched its
# tail cannot fail (`\Z` ends the text), so the engine never backtracks into what it has read.
_LEX = re.compile(
    r"[^#\"'<(){}\\]*"
    r"(?:(?P<comment>#[^\n]*)"
    r'|(?P<long>"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*(?:"""|\\)?'
    r"|'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*(?:'''|\\)?)"
    r'|(?P<short>"[^"\\\n\r]*(?:\\[\s\S][^"\\\n\r]*)*(?:"|\\)?'
    r"|'[^'\\\n\r]*(?:\\[\s\S][^'\\\n\r]*)*(?:'|\\)?)"
    r"|(?P<lt><)|(?P<brackets>[(){}]+)"
    rf"|(?P<escaped>\\.{_RUN}*(?:\\.{_RUN}*)*)"
    r"|(?P<backslash>\\)|\Z)"
)
# a name run, read where a keyword may be; the run is a keyword only when it is the whole run
# (`?select`, `ex:a.FILTER` and `ex:a\'FILTER` are names), leading dots aside (`?o .FILTER(`)
_NAME_RUN = re.compile(rf"(?:{_RUN}|\\.)+")
_KEYWORD_HINT = re.compile("FILTER|BIND|SELECT|HAVING|BY")  # in upper-cased text: runs worth reading
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_NOT_NEWLINE = re.compile(r"[^\n]")
_BRACE = re.compile(r"[{}]")
# keywords after which the next `(` opens an expression, and those after which every `(` does
# until the next brace (projections, HAVING, ORDER BY, GROUP BY)
_NEXT_PAREN = {"FILTER", "BIND"}
_UNTIL_BRACE = {"SELECT", "HAVING", "BY"}
_SERVICE = re.compile(r"(?<![?$\w:])SERVICE\b", re.IGNORECASE)
_UPDATE_WORD = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[^\s{}()]+|[{}()]")


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


def _read_keywords(s: str, start: int, end: int, ctx: _Context) -> None:
    """The keywords among the name runs of s[start:end], text between two tokens. Most such text
    holds none: one upper-cased search in C says so before any run is read."""
    if not _KEYWORD_HINT.search(s[start:end].upper()):
        return
    for m in _NAME_RUN.finditer(s, start):
        if m.start() >= end:
            break
        word = m.group().lstrip(".").upper()
        if word in _NEXT_PAREN or word in _UNTIL_BRACE:
            ctx.keyword(word)


def _blanked_spans(s: str) -> list[tuple[int, int]]:
    """(start, end) of every comment, string literal and IRI, in order.

    Between two tokens lie name runs and operators: they are read only for a keyword (which
    decides what a later `(` opens) and, at a `<`, for the last syntax character (does it end an
    operand?): the last non-blank character since the previous token, else what that token left."""
    spans: list[tuple[int, int]] = []
    ctx = _Context()
    brackets = {"(": ctx.open_paren, ")": ctx.close, "{": ctx.open_brace, "}": ctx.close_brace}
    i, mark, last, n = 0, 0, "", len(s)  # mark: where the previous token ended
    while i < n:
        m = _LEX.match(s, i)
        kind, i = m.lastgroup, m.end()
        if kind is None:  # the end of the text
            break
        j = m.start(kind)
        if j > mark:
            _read_keywords(s, mark, j, ctx)
        if kind == "brackets":
            for c in s[j:i]:
                brackets[c]()
            mark, last = i, s[i - 1]
        elif kind == "lt":
            between = s[mark:j].rstrip()
            iri = _IRIREF.match(s, j)
            if iri is None or (ctx.in_expression() and _ends_operand(between[-1] if between else last)):
                mark, last = i, "<"  # less-than
            else:
                spans.append((j, iri.end()))
                i = mark = iri.end()
                last = ">"
        elif kind in ("long", "short"):
            spans.append((j, i))
            mark, last = i, s[j]
        elif kind == "escaped":
            mark, last = i, s[i - 1]
        else:  # a comment or a lone backslash: no syntax character of its own
            between = s[mark:j].rstrip()
            if between:
                last = between[-1]
            mark = i
            if kind == "comment":
                spans.append((j, i))
    if n > mark:
        _read_keywords(s, mark, n, ctx)
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
    for m in _BRACE.finditer(code, open_):
        if m.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
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
