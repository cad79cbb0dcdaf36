"""Tests of the 1986 experiments (annhist.mlp.rhw, annhist.mlp.family_trees) and the family-tree data."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from annhist import experiments
from annhist.datasets import parity
from annhist.datasets.family_trees import (
    ENGLISH,
    ITALIAN,
    PEOPLE,
    RELATIONS,
    family_facts,
    family_tree_cases,
    family_tree_split,
    family_triples,
)
from annhist.mlp import MLP
from annhist.mlp.family_trees import family_tree_net, family_tree_scores, person_structure, train_family_tree
from annhist.mlp.pattern import train_by_pattern
from annhist.mlp.rhw import counts_bits, weight_ratio
from annhist.optimizers import Momentum


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


# The English tree as E. P. Stabler transcribed it (1988, "hfamily", a first-order formulation of
# Hinton's family trees): "has_R(a b)" = "a has-R b". An independent listing to check ours against.
STABLER_1988_ENGLISH = {
    "father": "arthur christopher, victoria christopher, colin james, charlotte james, james andrew, jennifer andrew",
    "mother": "arthur penelope, victoria penelope, colin victoria, charlotte victoria, james christine, "
              "jennifer christine",
    "husband": "margaret arthur, penelope christopher, victoria james, christine andrew, jennifer charles",
    "wife": "arthur margaret, christopher penelope, james victoria, andrew christine, charles jennifer",
    "son": "christopher arthur, penelope arthur, andrew james, christine james, james colin, victoria colin",
    "daughter": "christopher victoria, penelope victoria, andrew jennifer, christine jennifer, victoria charlotte, "
                "james charlotte",
    "brother": "victoria arthur, jennifer james, charlotte colin",
    "sister": "arthur victoria, james jennifer, colin charlotte",
    "uncle": "colin arthur, charlotte arthur, colin charles, charlotte charles",
    "aunt": "colin jennifer, charlotte jennifer, colin margaret, charlotte margaret",
    "nephew": "arthur colin, jennifer colin, charles colin, margaret colin",
    "niece": "arthur charlotte, jennifer charlotte, charles charlotte, margaret charlotte",
}


def test_english_facts_match_an_independent_transcription():
    reference = {(a.capitalize(), rel, b.capitalize()) for rel, pairs in STABLER_1988_ENGLISH.items()
                 for a, b in (pair.split() for pair in pairs.split(", "))}
    assert len(reference) == 56                                  # 56 facts per tree, 112 in both
    assert {f for f in family_facts() if f[0] in ENGLISH} == reference
    # grouped by (person1, relation): 56 facts, of which Colin's and Charlotte's 2 uncles and 2 aunts
    # share a question each -> 56 - 4 = 52 questions per tree, 104 in all (the paper's "104 triples")
    assert sum(t[0] in ENGLISH for t in family_triples()) == 52

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
    res = experiments.run("rhw-parity", seed=0, seeds=4, epochs=3000, update="sweep")
    r = res.results
    assert r["learned"] + len(r["failed_seeds"]) == 4 and r["counting_solutions"] <= r["learned"]
    assert np.array(r["seed_run"]["hidden_by_bits_on"]).shape == (5, 4)
    assert res.settings["update"] == "once per sweep, full batch"
    with pytest.raises(ValueError, match="'update'.*'pattern', 'sweep'.*'epoch'"):
        experiments.run("rhw-parity", update="epoch")


def test_rhw_parity_by_pattern_finds_the_counting_solution():
    # PDP ch. 8, eq. 16: a weight change after every pattern. Seed 39 learns within 2,500 sweeps,
    # and its hidden units count the bits that are on, the solution the chapter describes.
    r = experiments.run("rhw-parity", seed=39, seeds=1, epochs=2500).results
    assert r["learned"] == 1 and 2000 < r["median_sweeps"] <= 2500
    assert r["counting_solutions"] == 1
    by_count = np.array(r["first_learned"]["hidden_by_bits_on"])      # rows: 0..4 bits on
    assert by_count.shape == (5, 4)
    # each unit is a threshold on the count: its activity moves the same way as the count rises
    steps = np.sign(np.round(np.diff(by_count, axis=0), 1))
    assert all(len(set(col[col != 0])) <= 1 for col in steps.T)


def test_train_by_pattern_is_mlp_fit_with_batches_of_one():
    X, y = parity(4)
    res = train_by_pattern([4, 4, 1], X, y[:, None], [0, 3], epochs=40, stop_within=0.01)
    assert not res.converged.any() and list(res.n_epochs) == [40, 40]
    for i, seed in enumerate((0, 3)):
        net = MLP([4, 4, 1], random_state=seed).fit(X, y[:, None], optimizer=Momentum(0.5, 0.9), epochs=40,
                                                    batch_size=1, shuffle=False, verbose=False)
        for a, b in zip(res.net(i).params_, net.params_):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    for bad_seeds in ([-1], [1.5], [True], [], [[0]]):      # [1.5] was once truncated to seed 1
        with pytest.raises(ValueError, match="'seeds'.*train_by_pattern"):
            train_by_pattern([4, 4, 1], X, y[:, None], bad_seeds)
    with pytest.raises(ValueError, match="'epochs'"):
        train_by_pattern([4, 4, 1], X, y[:, None], [0], epochs=0)
    # a step of 1e308 overflows in the first sweep: the nets stop, marked diverged, with their initial weights
    bad = train_by_pattern([4, 4, 1], X, y[:, None], [0, 1], eta=1e308, epochs=5)
    assert bad.diverged.all() and not bad.converged.any() and list(bad.n_epochs) == [1, 1]
    np.testing.assert_array_equal(bad.net(1).params_[2], MLP([4, 4, 1], random_state=1).params_[2])


def test_counts_bits_by_hand():
    X, _ = parity(4)
    net = MLP([4, 4, 1], random_state=0)
    # unit k (k = 1..4) gets 10 from each input that is on and bias -10 (k - 0.5): with c bits on its input
    # is 10 (c - k + 0.5), at least +5 when c >= k and at most -5 when c < k. With c = 2 the four units get
    # +15, +5, -5, -15: sigmoid = 1.000, 0.993, 0.007, 0.000, the same for all six patterns with 2 bits on.
    net.params_[0][...] = 10.0
    net.params_[1][...] = -10.0 * (np.arange(1, 5) - 0.5)
    assert counts_bits(net, X)
    h = net.layer_outputs(X)[1]
    assert np.allclose(h[X.sum(axis=1) == 2], [1.0, 0.993, 0.007, 0.0], atol=1e-3)
    net.params_[0][0, 0] = 0.0                  # unit 1 now ignores input 1: 1000 and 0100 differ
    assert not counts_bits(net, X)


def test_rhw_family_trees_short_runs():
    res = experiments.run("rhw-family-trees", seed=0, seeds=1, sweeps=40)
    run = res.results["runs"][0]
    assert run["train"]["cases"] == 100 and run["test"]["cases"] == 4 and len(run["held_out"]) == 4
    assert res.settings["sweeps"] == 40 and res.paper["triples"] == 104
    assert run["train"]["right_0.5"] == 0                                    # 40 sweeps: still on the plateau
    long = experiments.run("rhw-family-trees", seed=1, seeds=1, sweeps=300)
    run, kept = long.results["runs"][0], long.settings["decay_alone"]
    assert kept == round(0.998 ** 300, 4)
    # the diagnosis: on the plateau every question gets the same answer, and the person weights shrink
    # as the 0.2 % decay alone would shrink them -- the gradient adds (almost) nothing
    assert run["output_spread"] < 0.01 and abs(run["person_weights_kept"] - kept) < 0.01
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


@pytest.mark.parametrize("trainer", ["train_many", "train_by_pattern"])
def test_seeds_beyond_int64_train_the_nets_those_seeds_start(trainer):
    # random_state takes any int >= 0; a list of such seeds once became floats (or an OverflowError)
    from annhist.mlp import train_many

    X, y = parity(2)
    train = {"train_many": lambda seeds: train_many([2, 2, 1], X, y[:, None], seeds, epochs=3),
             "train_by_pattern": lambda seeds: train_by_pattern([2, 2, 1], X, y[:, None], seeds, epochs=3)}[trainer]
    seeds = [2**63 - 1, 2**63, 10**20]
    res = train(seeds)
    assert res.seeds.tolist() == seeds
    for i, seed in enumerate(seeds):
        alone = train([seed])
        for a, b in zip(res.net(i).params_, alone.net(0).params_):
            np.testing.assert_array_equal(a, b)
    assert not np.array_equal(res.net(0).params_[0], res.net(1).params_[0])   # three different nets
    assert train([0, 1]).seeds.dtype == np.int64


def test_experiments_run_from_a_seed_near_the_int64_limit():
    res = experiments.run("rhw-parity", seed=2**63 - 1, seeds=2, epochs=2).to_dict()
    assert res["settings"]["seed"] == 2**63 - 1
    xor = experiments.run("xor", seed=2**63 - 1, seeds=2, max_sweeps=2).to_dict()
    assert xor["settings"]["run_seeds"] == f"{2**63 - 1}..{2**63}"
