"""The one error a reader raises (or yields): the CLI prints it and moves on to the next item."""

from __future__ import annotations


class InputError(Exception):
    """A user's input cannot be read as an article; the message names the input and the problem."""
