"""Hinton's two isomorphic family trees (Rumelhart, Hinton & Williams 1986, Fig. 2).

Twelve English and twelve Italian people, three generations each; the Italian tree has
the same shape as the English one. The facts are triples (person1, relation, person2),
"Colin has-aunt Jennifer", with the twelve relations father, mother, husband, wife, son,
daughter, uncle, aunt, brother, sister, nephew, niece. Aunts and uncles include those by
marriage (the spouse of a parent's sibling), as in the paper.

The trees of Fig. 2 (``=`` joins a married couple; children below their parents)::

    Christopher = Penelope              Andrew = Christine
          |                                   |
    Margaret = Arthur    Victoria = James    Jennifer = Charles
                                |
                         Colin  Charlotte

    Roberto = Maria                      Pierro = Francesca
          |                                   |
    Gina = Emilio        Lucia = Marco       Angela = Tomaso
                                |
                         Alfonso  Sophia

Each tree holds 56 facts "person1 has-relation person2" (112 in all). The network of the
paper is asked ``(person1, relation) -> person2``, and when several people fit (Colin has
two aunts) all of them are desired outputs of the same case (Nature Fig. 3: "there are two
correct answers ... because Colin has two aunts"); grouped this way the facts make the
paper's 104 *triples* (person1, relation, the set of person2s), 52 per tree: Colin's and
Charlotte's two uncles and two aunts share four questions. The 56 English facts agree with
E. P. Stabler's independent first-order transcription of the trees (1988; see the tests).
"""

from __future__ import annotations

import numbers

import numpy as np

from annhist.validation import check_random_state, check_scalar

__all__ = ["ENGLISH", "ITALIAN", "PEOPLE", "RELATIONS", "family_facts", "family_triples",
           "family_tree_cases", "family_tree_split"]

ENGLISH = ("Christopher", "Penelope", "Andrew", "Christine", "Margaret", "Arthur", "Victoria", "James",
           "Jennifer", "Charles", "Colin", "Charlotte")
ITALIAN = ("Roberto", "Maria", "Pierro", "Francesca", "Gina", "Emilio", "Lucia", "Marco",
           "Angela", "Tomaso", "Alfonso", "Sophia")
PEOPLE = ENGLISH + ITALIAN
RELATIONS = ("father", "mother", "husband", "wife", "son", "daughter", "uncle", "aunt", "brother", "sister",
             "nephew", "niece")

# One tree, by position in ENGLISH / ITALIAN (0-11): sex, marriages, children.
_FEMALE = {1, 3, 4, 6, 8, 11}                       # Penelope, Christine, Margaret, Victoria, Jennifer, Charlotte
_COUPLES = ((0, 1), (2, 3), (4, 5), (6, 7), (8, 9))  # (wife or husband, spouse) pairs
_CHILDREN = {(0, 1): (5, 6), (2, 3): (7, 8), (6, 7): (10, 11)}   # Arthur, Victoria; James, Jennifer; Colin, Charlotte


def _tree_triples() -> set[tuple[int, str, int]]:
    """All facts of one tree, as (i, relation, j) with positions 0-11: "i has-relation j"."""
    spouse = {a: b for a, b in _COUPLES} | {b: a for a, b in _COUPLES}
    parents: dict[int, tuple[int, int]] = {c: p for p, cs in _CHILDREN.items() for c in cs}
    children = {p: cs for pair, cs in _CHILDREN.items() for p in pair}
    female = lambda j: j in _FEMALE                                  # noqa: E731 - a one-line predicate
    facts: set[tuple[int, str, int]] = set()
    for i in range(12):
        if i in spouse:
            facts.add((i, "wife" if female(spouse[i]) else "husband", spouse[i]))
        for p in parents.get(i, ()):
            facts.add((i, "mother" if female(p) else "father", p))
        for c in children.get(i, ()):
            facts.add((i, "daughter" if female(c) else "son", c))
        siblings = [s for s in children.get(parents[i][0], ()) if s != i] if i in parents else []
        for s in siblings:
            facts.add((i, "sister" if female(s) else "brother", s))
        # uncles and aunts: the parents' siblings and those siblings' spouses
        for p in parents.get(i, ()):
            for ps in (s for s in children.get(parents[p][0], ()) if s != p) if p in parents else ():
                for u in (ps, spouse.get(ps)):
                    if u is not None:
                        facts.add((i, "aunt" if female(u) else "uncle", u))
    # nephews and nieces: the converse of uncle / aunt
    for i, rel, j in list(facts):
        if rel in ("uncle", "aunt"):
            facts.add((j, "niece" if female(i) else "nephew", i))
    return facts


def family_facts() -> list[tuple[str, str, str]]:
    """The 112 facts ``(person1, relation, person2)`` of both trees, sorted (English first)."""
    out = []
    for names in (ENGLISH, ITALIAN):
        out += [(names[i], rel, names[j]) for i, rel, j in _tree_triples()]
    key = {name: k for k, name in enumerate(PEOPLE)}
    return sorted(out, key=lambda t: (key[t[0]], RELATIONS.index(t[1]), key[t[2]]))


def family_triples() -> list[tuple[str, str, tuple[str, ...]]]:
    """The paper's 104 triples ``(person1, relation, (person2, ...))``: every answer to a question."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for p1, rel, p2 in family_facts():
        grouped.setdefault((p1, rel), []).append(p2)
    return [(p1, rel, tuple(answers)) for (p1, rel), answers in grouped.items()]


def family_tree_cases() -> tuple[np.ndarray, np.ndarray, list[tuple[str, str, tuple[str, ...]]]]:
    """The 104 triples as network cases (Rumelhart, Hinton & Williams 1986, Fig. 3).

    Returns ``X`` (104, 36): one-hot person1 (24 units, ``PEOPLE`` order) then one-hot
    relation (12 units, ``RELATIONS`` order); ``Y`` (104, 24): 1 for every correct person2;
    and the triples, row by row.
    """
    triples = family_triples()
    X = np.zeros((len(triples), 36))
    Y = np.zeros((len(triples), 24))
    for row, (p1, rel, answers) in enumerate(triples):
        X[row, PEOPLE.index(p1)] = 1.0
        X[row, 24 + RELATIONS.index(rel)] = 1.0
        for p2 in answers:
            Y[row, PEOPLE.index(p2)] = 1.0
    return X, Y, triples


def family_tree_split(n_test: int = 4, random_state: object = None
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Hold out ``n_test`` of the 104 triples at random, as the paper did ("trained on 100").

    Returns ``X_train, Y_train, X_test, Y_test, test_rows`` (``test_rows`` index the rows
    of :func:`family_tree_cases`, sorted).
    """
    check_scalar(n_test, "n_test", owner="family_tree_split", kind=numbers.Integral, min_val=0, max_val=103)
    rng = check_random_state(random_state, owner="family_tree_split")
    X, Y, _ = family_tree_cases()
    test = np.zeros(len(X), dtype=bool)
    test[rng.choice(len(X), size=n_test, replace=False)] = True
    return X[~test], Y[~test], X[test], Y[test], [int(k) for k in np.flatnonzero(test)]
