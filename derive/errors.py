"""Errors that ``derive`` reports to its users as one line, never as a traceback."""

from __future__ import annotations


class DeriveError(Exception):
    """A problem with the user's input or request; the CLI prints it and exits with code 2."""


class ParseError(DeriveError):
    """Text that could not be read as an expression, with the column where reading stopped."""

    def __init__(self, message: str, text: str = "", column: int | None = None) -> None:
        self.message = message
        self.text = text
        self.column = column  # 1-based, as editors count
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.column is None:
            return self.message
        return f"{self.message} at column {self.column}"

    def caret(self) -> str:
        """The offending text with a caret under the column, for multi-line reports."""
        if self.column is None or not self.text or "\n" in self.text:
            return ""
        return f"{self.text}\n{' ' * (self.column - 1)}^"
