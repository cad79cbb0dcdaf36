"""A tokenizer and a recursive-descent parser for temporal propositional expressions.

The grammar (``not`` binds tighter than ``and``, ``and`` tighter than ``or``; ``~``, ``&``
and ``|`` are accepted for the three words)::

    expr    := conj ("or" conj)*
    conj    := unary ("and" unary)*
    unary   := "not" unary | "(" expr ")" | atom
    atom    := NAME [ "[" "t" [ "-" INT ] "]" ]

NAME is a letter followed by letters, digits or ``_``; ``x`` and ``x[t]`` mean ``x[t-0]``.
Nothing is ever passed to ``eval``. A malformed formula raises ``FormulaError`` (a
``ValueError``) that gives the 0-based position of the problem and points at it with a caret.
"""

from __future__ import annotations

import re

from annhist.mcculloch_pitts.formula import And, Atom, Formula, Not, Or

__all__ = ["FormulaError", "parse_formula", "MAX_DELAY", "MAX_LENGTH"]

MAX_DELAY = 1000    # the largest k in x[t-k]: each step of delay costs one neuron
MAX_LENGTH = 10_000  # characters of a formula: compiling takes time quadratic in its atoms (4,000: 0.7 s, 16,000: 12 s)
_MAX_NESTING = 100  # deeper nesting of parentheses/negations is refused (no RecursionError)


class FormulaError(ValueError):
    """A malformed formula; ``position`` is the 0-based index of the offending character."""

    def __init__(self, message: str, formula: str, position: int, owner: str = "parse_formula") -> None:
        self.formula, self.position = formula, position
        super().__init__(f"The 'formula' parameter of {owner} is malformed at position {position}: {message}.\n"
                         f"    {formula}\n    {' ' * position}^")


_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z][A-Za-z0-9_]*)|(?P<int>[0-9]+)|(?P<op>[()\[\]+\-~&|]))")
_WORDS = {"and": "and", "or": "or", "not": "not", "&": "and", "|": "or", "~": "not"}


def _tokenize(text: str, owner: str) -> list[tuple[str, str, int]]:
    """Split ``text`` into ``(kind, value, position)``; kinds: name, int, op, and, or, not, end."""
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            bad = len(text) - len(text[pos:].lstrip())
            if bad >= len(text):
                break
            raise FormulaError(f"unexpected character {text[bad]!r}", text, bad, owner)
        kind = m.lastgroup
        value = m.group(kind)
        start = m.start(kind)
        kind = _WORDS.get(value, kind)
        tokens.append((kind, value, start))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    """Recursive descent over the token list; each method parses one grammar rule."""

    def __init__(self, text: str, owner: str) -> None:
        self.text, self.owner = text, owner
        self.tokens = _tokenize(text, owner)
        self.i = 0
        self.nesting = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def fail(self, expected: str) -> FormulaError:
        kind, value, pos = self.peek()
        found = "the end of the formula" if kind == "end" else repr(value)
        return FormulaError(f"expected {expected} but found {found}", self.text, pos, self.owner)

    def expect(self, kind: str, value: str | None, expected: str) -> tuple[str, str, int]:
        tok = self.peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise self.fail(expected)
        self.i += 1
        return tok

    def parse(self) -> Formula:
        if self.peek()[0] == "end":
            raise FormulaError("the formula is empty", self.text, 0, self.owner)
        node = self.expr()
        if self.peek()[0] != "end":
            raise self.fail("'and', 'or' or the end of the formula")
        return node

    def expr(self) -> Formula:
        args = [self.conj()]
        while self.peek()[0] == "or":
            self.i += 1
            args.append(self.conj())
        return args[0] if len(args) == 1 else Or(tuple(args))

    def conj(self) -> Formula:
        args = [self.unary()]
        while self.peek()[0] == "and":
            self.i += 1
            args.append(self.unary())
        return args[0] if len(args) == 1 else And(tuple(args))

    def unary(self) -> Formula:
        kind, value, pos = self.peek()
        self.nesting += 1
        if self.nesting > _MAX_NESTING:
            raise FormulaError(f"more than {_MAX_NESTING} nested 'not's or parentheses", self.text, pos, self.owner)
        if kind == "not":
            self.i += 1
            node: Formula = Not(self.unary())
        elif kind == "op" and value == "(":
            self.i += 1
            node = self.expr()
            if self.peek()[1] != ")" or self.peek()[0] != "op":
                raise self.fail(f"')' to close the '(' at position {pos}")
            self.i += 1
        elif kind == "name":
            node = self.atom()
        else:
            raise self.fail("a variable, 'not' or '('")
        self.nesting -= 1
        return node

    def atom(self) -> Atom:
        _, name, _ = self.expect("name", None, "a variable")
        if not (self.peek()[0] == "op" and self.peek()[1] == "["):
            return Atom(name, 0)
        self.i += 1
        self.expect("name", "t", "'t' (write a delayed atom as x[t-k])")
        delay = 0
        kind, value, pos = self.peek()
        if kind == "op" and value == "+":
            raise FormulaError("a neuron can only look into the past: write x[t-k] with k >= 0",
                               self.text, pos, self.owner)
        if kind == "op" and value == "-":
            self.i += 1
            _, digits, dpos = self.expect("int", None, "a whole number of time steps after 't-'")
            delay = int(digits)
            if delay > MAX_DELAY:
                raise FormulaError(f"a delay of {delay} steps exceeds the limit of {MAX_DELAY}",
                                   self.text, dpos, self.owner)
            self.expect("op", "]", "']'")
        else:
            self.expect("op", "]", "'-k' or ']'")
        return Atom(name, delay)


def parse_formula(formula: str, *, owner: str = "parse_formula") -> Formula:
    """Parse a temporal propositional expression into a tree of ``Atom``/``Not``/...

    Parameters
    ----------
    formula : str
        E.g. ``"(a and b) or (c and not d)"`` or ``"x[t-1] or (y[t-3] and not y[t-2])"``.
    owner : str
        The function named in error messages.

    Raises
    ------
    TypeError
        ``formula`` is not a string.
    FormulaError
        (a ``ValueError``) the text is malformed; the message gives the position.
    ValueError
        the text is longer than ``MAX_LENGTH`` characters.

    Examples
    --------
    >>> parse_formula("a and not b[t-1]")
    And(args=(Atom(name='a', delay=0), Not(arg=Atom(name='b', delay=1))))
    """
    if not isinstance(formula, str):
        raise TypeError(f"The 'formula' parameter of {owner} must be a string. Got {formula!r} "
                        f"of type {type(formula).__name__} instead.")
    if len(formula) > MAX_LENGTH:
        raise ValueError(f"The 'formula' parameter of {owner} has {len(formula):,} characters; at most "
                         f"{MAX_LENGTH:,}.")
    return _Parser(formula, owner).parse()
