"""The one error a reader raises (or yields): the CLI prints it and moves on to the next item."""

from __future__ import annotations

import re


class InputError(Exception):
    """A user's input cannot be read as an article; the message names the input and the problem."""


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")  # a tab splits no line


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters escaped (\\n, \\x1b...).

    Why: an error is one line on stderr; a file named "a\\nkg: 3 loaded" would otherwise split
    it, or forge a line a script reads."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def unexpected(where: str, e: BaseException) -> InputError:
    """The one line for an error no reader foresaw (a value nested 5,000 deep, an integer past
    Python's 4,300-digit limit...): it costs the item, never the run."""
    detail = str(e).splitlines()[0][:160] if str(e) else ""
    return InputError(f"{where}: cannot read ({type(e).__name__}{': ' + detail if detail else ''})")
