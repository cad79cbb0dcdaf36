"""Tests of the 1986 experiments (annhist.rhw, annhist.rhw_family) and the family-tree data."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from annhist import experiments
from annhist.datasets.family_trees import (ENGLISH, ITALIAN, PEOPLE, RELATIONS, family_facts, family_tree_cases,
                                           family_tree_split, family_triples)
from annhist.rhw import weight_ratio
from annhist.rhw_family import family_tree_net, family_tree_scores, person_structure, train_family_tree


# ------------------------------------------------------------------------------ the family trees
def test_the_trees_have_104_triples_from_112_facts():
    facts = family_facts()
    assert len(facts) == 112 and len(set(facts)) == 112
    assert len(family_triples()) == 104                 # (person1, relation) questions, answers grouped
    counts = Counter(rel for _, rel, _ in facts)
    # per tree: 6 children -> 6 father + 6 mother facts; 3 parent couples x 2 children -> 6 son + 6 daughter;
    # 5 couples -> 5 husband + 5 wife; Colin and Charlotte have 2 uncles and 2 aunts each -> 4 + 4, and
    # conversely 4 nephew + 4 niece facts; 3 sibling pairs -> 3 brother + 3 sister facts.
    assert counts == {"father": 12, "mother": 12, "son": 12, "daughter": 12, "husband": 10, "wife": 10,
                      "uncle": 8, "aunt": 8, "nephew": 8, "niece": 8, "brother": 6, "sister": 6}


def test_facts_from_the_papers_figure():
    facts = set(family_facts())
    for fact in [("Christopher", "wife", "Penelope"), ("Andrew", "wife", "Christine"), ("Colin", "aunt", "Jennifer"),
                 ("Colin", "aunt", "Margaret"), ("Colin", "uncle", "Arthur"), ("Colin", "uncle", "Charles"),
                 ("Victoria", "father", "Christopher"), ("James", "mother", "Christine"),
                 ("Charlotte", "brother", "Colin"), ("Roberto", "wife", "Maria"), ("Alfonso", "aunt", "Angela"),
                 ("Emilio", "niece", "Sophia"), ("Tomaso", "nephew", "Alfonso")]:
        assert fact in facts, fact
    assert ("Colin", "aunt", ("Margaret", "Jennifer")) in family_triples()


def test_relations_have_their_converses_and_the_trees_are_isomorphic():
    facts = set(family_facts())
    converse = {"husband": ("wife",), "wife": ("husband",), "father": ("son", "daughter"),
                "mother": ("son", "daughter"), "brother": ("brother", "sister"), "sister": ("brother", "sister"),
                "uncle": ("nephew", "niece"), "aunt": ("nephew", "niece")}
    for p1, rel, p2 in facts:
        if rel in converse:
            assert any((p2, c, p1) in facts for c in converse[rel]), (p1, rel, p2)
    to_italian = dict(zip(ENGLISH, ITALIAN))
    english = {(to_italian[a], r, to_italian[b]) for a, r, b in facts if a in to_italian}
    assert english == {f for f in facts if f[0] in ITALIAN}


def test_cases_and_split():
    X, Y, triples = family_tree_cases()
    assert X.shape == (104, 36) and Y.shape == (104, 24)
    assert np.all(X[:, :24].sum(axis=1) == 1) and np.all(X[:, 24:].sum(axis=1) == 1)
    assert Y.sum() == 112 and Y.sum(axis=1).max() == 2
    row = triples.index(("Colin", "aunt", ("Margaret", "Jennifer")))
    assert X[row, PEOPLE.index("Colin")] == 1 and X[row, 24 + RELATIONS.index("aunt")] == 1
    assert set(np.flatnonzero(Y[row])) == {PEOPLE.index("Margaret"), PEOPLE.index("Jennifer")}
    Xtr, Ytr, Xte, Yte, rows = family_tree_split(4, random_state=0)
    assert Xtr.shape == (100, 36) and Xte.shape == (4, 36) and len(rows) == 4
    assert np.array_equal(Xte, X[rows]) and rows == family_tree_split(4, random_state=0)[4]
    with pytest.raises(ValueError, match="'n_test'.*<= 103"):
        family_tree_split(104)


def test_family_tree_net_structure():
    net = family_tree_net(random_state=0)
    W = net.params_[0]
    assert np.all(W[:24, 6:] == 0) and np.all(W[24:, :6] == 0)       # person and relation groups kept apart
    # 24*6 + 12*6 person/relation weights + 12 biases; 12*12 + 12; 12*6 + 6; 6*24 + 24
    assert net.count_parameters() == 144 + 72 + 12 + 156 + 78 + 168
    short = train_family_tree(*family_tree_split(4, 0)[:2], sweeps=30, random_state=0)
    assert short.n_epochs_ == 30 and np.all(short.params_[0][:24, 6:] == 0)
    assert set(person_structure(short)) == {"nationality", "generation", "branch"}


# ------------------------------------------------------------------------------ the experiments
def test_registered():
    assert {"rhw-xor", "rhw-encoder", "rhw-symmetry", "rhw-parity", "rhw-family-trees"} <= set(experiments.names())


def test_weight_ratio():
    assert weight_ratio([-4.0, 2.0, -1.0, 1.0, -2.0, 4.0]) == [1, 1, 2, 2, 4, 4]


def test_rhw_xor_small_run_and_determinism():
    a = experiments.run("rhw-xor", seed=3, seeds=10, epochs=3000)
    b = experiments.run("rhw-xor", seed=3, seeds=10, epochs=3000)
    assert a.to_dict() == b.to_dict()
    for name in ("2-2-1", "2-1-1 + skip"):
        r = a.results[name]
        assert r["n_seeds"] == 10 and r["learned"] >= 7 and r["learned"] + len(r["failed_seeds"]) == 10
        assert r["min_sweeps"] <= r["median_sweeps"] <= r["max_sweeps"] < 3000
        if r["seed_run"]["learned"]:
            assert np.all(np.abs(np.array(r["seed_run"]["outputs"]) - [0, 1, 1, 0]) <= 0.1 + 5e-4)   # rounded
    json.loads(a.to_json())


def test_rhw_symmetry_finds_the_1_2_4_weights():
    res = experiments.run("rhw-symmetry", seed=1, seeds=3)
    r = res.results
    assert r["converged"] and isinstance(r["sweeps"], int) and r["sweeps"] < 20000
    assert 1 <= r["learned"] <= r["n_seeds"] == 3                          # seeds 1, 2, 3 for the statistics
    for ratio in r["weight_ratio"]:          # the paper: magnitudes 1:2:4, each twice (mirror-antisymmetric)
        np.testing.assert_allclose(ratio, [1, 1, 2, 2, 4, 4], rtol=0.15)
    assert r["mirror_antisymmetric"]
    assert all(b < 0 for b in r["hidden_biases"]) and r["output_bias"] > 0      # as in the Nature paper
    assert res.paper["sweeps"] == 1425


def test_rhw_encoder_learns_a_binary_code():
    r = experiments.run("rhw-encoder", seed=0, seeds=3).results
    assert r["learned"] == 3 and r["seed_run"]["distinct_binary_codes"] == 8
    assert np.array(r["seed_run"]["hidden_codes"]).shape == (8, 3)


def test_rhw_parity_reports_honestly():
    r = experiments.run("rhw-parity", seed=0, seeds=4, epochs=4000).results
    assert r["learned"] + len(r["failed_seeds"]) == 4
    assert np.array(r["seed_run"]["hidden_by_bits_on"]).shape == (5, 4)


def test_rhw_family_trees_short_runs():
    res = experiments.run("rhw-family-trees", seed=0, seeds=1, sweeps=40)
    run = res.results["runs"][0]
    assert run["train"]["cases"] == 100 and run["test"]["cases"] == 4 and len(run["held_out"]) == 4
    assert res.settings["sweeps"] == 40 and res.paper["triples"] == 104
    assert run["train"]["right_0.5"] == 0                                    # 40 sweeps: still on the plateau
    modern = experiments.run("rhw-family-trees", seed=0, seeds=1, variant="modern", sweeps=1500)
    assert modern.results["runs"][0]["train"]["right_0.5"] > 20             # Adam leaves the plateau
    with pytest.raises(ValueError, match="'variant'.*'paper', 'modern'.*'new'"):
        experiments.run("rhw-family-trees", variant="new")


def test_family_tree_scores_by_hand():
    class Fixed:
        def predict(self, X):
            return np.array([[0.9, 0.1], [0.6, 0.3], [0.1, 0.7]])
    Y = np.array([[1, 0], [1, 0], [1, 0]])
    # row 0 right by both rules; row 1 only by 0.5; row 2 wrong
    assert family_tree_scores(Fixed(), np.zeros((3, 1)), Y) == {"cases": 3, "right_0.8_0.2": 1, "right_0.5": 2}


def test_figures_draw(tmp_path):
    res = experiments.run("rhw-encoder", seed=0, seeds=1)
    paths = res.save_figures(tmp_path)
    assert [p.name for p in paths] == ["rhw-encoder-codes.png"] and paths[0].stat().st_size > 1000
