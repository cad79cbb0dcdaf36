"""The sequence tasks of the recurrent milestone, generated from their papers' descriptions.

- :func:`temporal_xor`: Elman (1990), p. 185 -- a stream of bit triples, the third bit the XOR
  of the first two, "concatenated and presented as an unbroken sequence".
- :func:`reber_string` / :func:`embedded_reber_string`: the (embedded) Reber grammar of
  Hochreiter & Schmidhuber (1997), Experiment 1 (their Figs. 3 and 4; Cleeremans et al. 1989).
- :func:`reber_batch`: strings one-hot encoded with the 7 symbols ``BTPSXVE``, next-symbol
  targets and the set of symbols the grammar allows next.
- :func:`lag_sequences`: Task 2a of the same paper -- ``(y, a1, ..., a_{p-1}, y)`` and
  ``(x, a1, ..., a_{p-1}, x)``; the last symbol needs the first, ``p`` steps back.

Arrays are ``(n_sequences, n_steps, n_features)``; a ``mask`` of shape ``(n_sequences, n_steps)``
marks the real steps of padded, variable-length sequences.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.validation import check_random_state, check_scalar

__all__ = [
    "MAX_LAG",
    "MAX_TRIPLES",
    "REBER_GRAPH",
    "REBER_SYMBOLS",
    "allowed_next",
    "embedded_reber_string",
    "lag_sequences",
    "reber_batch",
    "reber_string",
    "temporal_xor",
]

#: The longest temporal XOR stream, in triples. Elman's had 1,000; 10**7 (30 million bits, 240 MB of
#: float64) is far beyond any experiment, and 10**12 was a MemoryError.
MAX_TRIPLES = 10**7

#: The longest Task 2a lag ``p``: the longest minimal time lag of the paper's experiments (Task 2c, q = 1000).
#: :func:`lag_sequences` is (2, p, p + 1) twice, 32 MB at this bound; 10**6 was a MemoryError.
MAX_LAG = 1000

REBER_SYMBOLS = "BTPSXVE"
# Reber grammar (Hochreiter & Schmidhuber 1997, Fig. 3): node -> [(symbol, next node)]; -1 = end.
REBER_GRAPH: dict[int, list[tuple[str, int]]] = {
    0: [("B", 1)],
    1: [("T", 2), ("P", 3)],
    2: [("S", 2), ("X", 4)],
    3: [("T", 3), ("V", 5)],
    4: [("X", 3), ("S", 6)],
    5: [("P", 4), ("V", 6)],
    6: [("E", -1)],
}


def temporal_xor(n_triples: int, random_state: Any = None) -> np.ndarray:
    """Elman's temporal XOR stream: ``3 * n_triples`` bits, every third the XOR of the two before.

    Elman (1990), p. 185: "the first and second bits are XOR-ed to produce the third; the fourth
    and fifth are XOR-ed to give the sixth; and so on". His training stream had 3,000 bits.
    """
    n_triples = check_scalar(n_triples, "n_triples", owner="temporal_xor", kind=numbers.Integral, min_val=1,
                             max_val=MAX_TRIPLES)
    rng = check_random_state(random_state, owner="temporal_xor")
    a = rng.integers(0, 2, size=(n_triples, 2))
    return np.column_stack([a, a[:, 0] ^ a[:, 1]]).ravel().astype(np.float64)   # (3 * n_triples,)


def reber_string(rng: Any) -> str:
    """One string of the Reber grammar: follow Fig. 3's edges, each choice with probability 0.5.

    ``rng``: a Generator (advanced), an int seed or None (both as :func:`~annhist.validation.check_random_state`).
    """
    rng = check_random_state(rng, owner="reber_string", name="rng")
    node, out = 0, []
    while node != -1:
        symbol, node = REBER_GRAPH[node][rng.integers(len(REBER_GRAPH[node]))]
        out.append(symbol)
    return "".join(out)


def embedded_reber_string(rng: Any) -> str:
    """One string of the embedded Reber grammar (Fig. 4): ``B`` + T|P + Reber string + same T|P + ``E``.

    ``rng`` as in :func:`reber_string`.
    """
    rng = check_random_state(rng, owner="embedded_reber_string", name="rng")
    branch = "TP"[rng.integers(2)]
    return "B" + branch + reber_string(rng) + branch + "E"


def allowed_next(string: str) -> list[set[str]]:
    """For each prefix ``string[:t+1]`` of an embedded Reber string, the symbols the grammar allows next.

    The inner Reber string is parsed on the graph; the symbol before last must repeat the second.
    A string the embedded grammar cannot produce raises ``ValueError``.
    """
    inner = string[2:-2] if isinstance(string, str) else ""
    bad = (not isinstance(string, str) or len(string) < 9 or string[0] != "B" or string[-1] != "E"
           or string[1] not in "TP" or string[-2] != string[1])
    sets: list[set[str]] = [{"T", "P"}, {"B"}]          # after "B": T or P; after the branch: B
    node = 0
    for symbol in inner if not bad else "":
        node = dict(REBER_GRAPH[node]).get(symbol, -2) if node >= 0 else -2
        if node == -2:
            bad = True
            break
        sets.append({s for s, _ in REBER_GRAPH[node]} if node != -1 else {string[1]})
    if bad or node != -1:
        raise ValueError(f"The 'string' parameter of allowed_next must be a string of the embedded Reber "
                         f"grammar. Got {string!r:.60} instead.")
    sets.append({"E"})                                   # after the repeated branch symbol: E
    return sets


def reber_batch(strings: list[str]) -> dict[str, np.ndarray]:
    """One-hot inputs, next-symbol targets, allowed-next sets and a mask for a list of strings.

    Returns ``X`` and ``Y`` of shape ``(n, T, 7)`` (``T`` = longest string - 1), ``allowed``
    (same shape, 1 where the grammar allows the symbol next) and ``mask`` ``(n, T)``.
    """
    if isinstance(strings, str) or not isinstance(strings, (list, tuple)) or not strings:
        raise TypeError(f"The 'strings' parameter of reber_batch must be a non-empty list of strings. "
                        f"Got {strings!r:.60} instead.")
    for s in strings:
        if not isinstance(s, str) or len(s) < 2 or set(s) - set(REBER_SYMBOLS):
            raise ValueError(f"The 'strings' parameter of reber_batch must hold strings of >= 2 symbols from "
                             f"{REBER_SYMBOLS!r}. Got {s!r:.60} instead.")
        allowed_next(s)                                  # refuses strings the grammar cannot produce
    n, T = len(strings), max(len(s) for s in strings) - 1
    X, Y, allowed = (np.zeros((n, T, 7)) for _ in range(3))
    mask = np.zeros((n, T), dtype=bool)
    index = {s: i for i, s in enumerate(REBER_SYMBOLS)}
    for i, s in enumerate(strings):
        codes = [index[c] for c in s]
        steps = np.arange(len(s) - 1)
        X[i, steps, codes[:-1]] = 1.0                    # read symbol t ...
        Y[i, steps, codes[1:]] = 1.0                     # ... predict symbol t+1
        for t, options in enumerate(allowed_next(s)):
            allowed[i, t, [index[c] for c in options]] = 1.0
        mask[i, steps] = True
    return {"X": X, "Y": Y, "allowed": allowed, "mask": mask}


def lag_sequences(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Task 2a's two training sequences for delay ``p`` as one-hot inputs and next-symbol targets.

    Symbols ``a_1 .. a_{p-1}, x, y`` are units ``0 .. p-2, p-1, p`` (``p + 1`` in all). Returns
    ``X, Y`` of shape ``(2, p, p + 1)``: sequence 0 is ``(y, a_1, .., a_{p-1}, y)``, sequence 1 is
    ``(x, a_1, .., a_{p-1}, x)``; the last target needs the first input, ``p`` steps back.
    """
    p = check_scalar(p, "p", owner="lag_sequences", kind=numbers.Integral, min_val=2, max_val=MAX_LAG)
    codes = np.zeros((2, p + 1), dtype=int)
    codes[:, 1:p] = np.arange(p - 1)                     # a_1 .. a_{p-1}
    codes[0, [0, p]] = p                                 # y ... y
    codes[1, [0, p]] = p - 1                             # x ... x
    eye = np.eye(p + 1)
    return eye[codes[:, :-1]], eye[codes[:, 1:]]         # (2, p, p+1) each
