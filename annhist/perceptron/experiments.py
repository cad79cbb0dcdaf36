"""The registered experiments of the 1958 milestone: ``perceptron-iris``, ``novikoff``, ``mark1``,
``cover-capacity``.

Run them with ``annhist run NAME [--seed N]``; the perceptron chapter shows the same results.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from annhist.datasets.classic import iris
from annhist.datasets.retina import retina_left_right, retina_shapes
from annhist.perceptron.capacity import MAX_SAMPLE_VALUES, cover_fraction, separable_fraction
from annhist.perceptron.estimator import Perceptron
from annhist.perceptron.mark1 import MarkI
from annhist.perceptron.novikoff import novikoff_bound
from annhist.perceptron.pocket import Pocket
from annhist.perceptron.sweeps import MAX_DATASETS, novikoff_sweep, shift_sweep
from annhist.results import ExperimentResult, Option, plural, register
from annhist.validation import ConvergenceWarning, check_scalar

# novikoff_sweep, shift_sweep and MAX_DATASETS live in annhist.perceptron.sweeps, MAX_SAMPLE_VALUES in
# annhist.perceptron.capacity; the book documents them here.
__all__ = ["perceptron_iris", "novikoff_sweep", "novikoff_experiment", "shift_sweep", "mark1_experiment",
           "cover_capacity", "MAX_DATASETS", "MAX_EPOCHS", "MAX_SAMPLES", "MAX_FEATURES", "MAX_SAMPLE_VALUES",
           "MAX_NOVIKOFF_VALUES", "MAX_TRAIN", "MAX_NOISE", "MAX_PRESENTATIONS", "MAX_DIM", "MAX_TRIALS",
           "MAX_CURVE_TRIALS", "MAX_LPS"]

#: The most points of one novikoff data set (the experiment's default is 100; Novikoff's theorem does not depend on
#: the number of points, only on R and gamma).
MAX_SAMPLES = 100_000
#: The most input dimensions of a novikoff data set (its default is 2, the plane the chapter draws).
MAX_FEATURES = 1_000
#: The most numbers ``datasets * samples * features`` over a whole novikoff run: about 0.5 microseconds each for the
#: data, the margin program and the perceptron, so this is a minute or two (the defaults: 60 x 100 x 2).
MAX_NOVIKOFF_VALUES = 10**8
#: The most passes of perceptron-iris and mark1: the pocket runs every pass on the non-separable iris pair (0.1 ms
#: each, so 10-15 s here); the rule converges on setosa/versicolor in a few passes (defaults 100 and 50).
MAX_EPOCHS = 100_000
#: The most mark1 training images, 400 cells each (the default is 300: a hundred per shape); 10**12 was a
#: MemoryError.
MAX_TRAIN = 10_000
#: The largest mark1 noise, the probability of flipping each retina cell: above 1/2 more cells are flipped than
#: kept, the image turns into its own negative (``retina_shapes`` refuses it).
MAX_NOISE = 0.5
#: The most ``train * epochs`` of mark1: a Mark I that does not converge presents every image every pass, one by
#: one, 0.09 ms each (3,000 x 500 took 130 s), so this is about 3 minutes (the defaults: 300 x 50).
MAX_PRESENTATIONS = 2_000_000
#: The largest cover-capacity dimension d: each linear program has up to 4d points in d dimensions, about 4 ms at
#: d = 50 (the default is 5; Cover's theorem holds for every d, the curve only sharpens).
MAX_DIM = 50
#: The most cover-capacity random dichotomies at N = 2d (the default is 300; 50,000 give a standard error of 0.002).
MAX_TRIALS = 50_000
#: The most cover-capacity dichotomies per even N of the curve (the default is 30).
MAX_CURVE_TRIALS = 10_000
#: The most linear programs of one cover-capacity run, ``trials + 2 * dim * curve_trials`` (1.5 ms each at d = 5,
#: about 4 ms at d = 50: a few minutes; the defaults ask for 600).
MAX_LPS = 100_000

IRIS_FEATURES = (0, 2)                  # sepal length, petal length (cm)
IRIS_NAMES = ("sepal length (cm)", "petal length (cm)")

_IRIS_OPTIONS = (Option("epochs", int, 100, "maximum passes over the data", min_value=1, max_value=MAX_EPOCHS),)
_NOVIKOFF_OPTIONS = (Option("datasets", int, 60, "number of random data sets", min_value=1, max_value=MAX_DATASETS),
                     Option("samples", int, 100, "points per data set", min_value=2, max_value=MAX_SAMPLES),
                     Option("features", int, 2, "input dimension", min_value=1, max_value=MAX_FEATURES))
_MARK1_OPTIONS = (Option("train", int, 300, "training images", min_value=3, max_value=MAX_TRAIN),
                  Option("noise", float, 0.05, "probability of flipping a retina cell", min_value=0.0,
                         max_value=MAX_NOISE),
                  Option("epochs", int, 50, "maximum passes over the training images", min_value=1,
                         max_value=MAX_EPOCHS))
_COVER_OPTIONS = (Option("dim", int, 5, "dimension d (homogeneous: a hyperplane through the origin)", min_value=1,
                         max_value=MAX_DIM),
                  Option("trials", int, 300, "random dichotomies at N = 2d", min_value=1, max_value=MAX_TRIALS),
                  Option("curve_trials", int, 30, "random dichotomies per even N for the curve", min_value=1,
                         max_value=MAX_CURVE_TRIALS))


def _check_options(owner: str, options: tuple[Option, ...], values: dict[str, Any]) -> None:
    """Refuse an option outside its declared range when the function is called directly (``annhist run`` and
    ``experiments.run`` check the same ranges first)."""
    for opt in options:
        kind = numbers.Integral if opt.type is int else numbers.Real
        check_scalar(values[opt.name], opt.name, owner=owner, kind=kind, min_val=opt.min_value, max_val=opt.max_value)


def _check_product(owner: str, values: dict[str, int], cost: int, limit: int, what: str) -> None:
    """Refuse options (``values``: name -> value) whose combined ``cost`` exceeds ``limit`` (a module constant)."""
    if cost > limit:
        names = [f"'{n}'" for n in values]
        got = ", ".join(f"{n}={v}" for n, v in values.items())
        raise ValueError(f"The {', '.join(names[:-1])} and {names[-1]} options of {owner} ask for {cost:,} {what}; "
                         f"at most {limit:,} are allowed. Got {got}: lower one of them.")


@register("perceptron-iris", module="perceptron",
          summary="Rosenblatt's rule on Iris setosa vs versicolor; the pocket on versicolor vs virginica.",
          options=_IRIS_OPTIONS)
def perceptron_iris(seed: int = 0, epochs: int = 100) -> ExperimentResult:
    """Fit the perceptron (samples in the data set's order, w = 0, eta = 1) and compare.

    ``epochs`` is at most ``MAX_EPOCHS``.
    """
    _check_options("perceptron_iris", _IRIS_OPTIONS, {"epochs": epochs})
    from sklearn.linear_model import Perceptron as SkPerceptron

    from annhist.perceptron.figures import plot_boundary, plot_pocket

    X, y = iris(("setosa", "versicolor"), IRIS_FEATURES)
    clf = Perceptron(eta=1.0, epochs=epochs, shuffle=False).fit(X, y)
    sk = SkPerceptron(eta0=1.0, alpha=0.0, shuffle=False, tol=None, max_iter=clf.n_epochs_).fit(X, y)
    R, gamma, bound = novikoff_bound(X, y)
    X2, y2 = iris(("versicolor", "virginica"), (2, 3))      # petal length, petal width: overlapping
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)   # expected: not separable
        last = Perceptron(eta=1.0, epochs=epochs).fit(X2, y2)
    pocket = Pocket(eta=1.0, epochs=epochs, random_state=seed).fit(X2, y2)
    results = {
        "n_updates": clf.n_updates_, "n_epochs": clf.n_epochs_, "converged": clf.converged_,
        "weights": clf.weights_, "bias": clf.bias_, "train_accuracy": clf.score(X, y),
        "same_weights_as_sklearn": bool(np.array_equal(sk.coef_.ravel(), clf.weights_)
                                        and sk.intercept_[0] == clf.bias_),
        "R": R, "gamma": gamma, "novikoff_bound": bound,
        "nonseparable_last_weights_accuracy": last.score(X2, y2),
        "nonseparable_pocket_accuracy": pocket.score(X2, y2),
    }
    report = (f"perceptron-iris: setosa vs versicolor on {IRIS_NAMES[0]}, {IRIS_NAMES[1]}\n"
              f"  converged after {plural(clf.n_updates_, 'correction')} in {plural(clf.n_epochs_, 'epoch')} "
              f"(Novikoff bound {bound:.1f}, R={R:.3f}, gamma={gamma:.4f})\n"
              f"  weights {np.round(clf.weights_, 3).tolist()}, bias {clf.bias_:g}; identical to "
              f"scikit-learn: {results['same_weights_as_sklearn']}\n"
              f"  versicolor vs virginica (not separable), {plural(epochs, 'epoch')}: last perceptron weights "
              f"{results['nonseparable_last_weights_accuracy']:.2f}, "
              f"pocket {results['nonseparable_pocket_accuracy']:.2f}")
    return ExperimentResult(
        experiment="perceptron-iris",
        settings={"seed": seed, "epochs": epochs, "eta": 1.0, "features": list(IRIS_NAMES), "shuffle": False},
        results=results,
        paper={"rule": "w <- w + eta*y*x on a mistake (Rosenblatt 1958)",
               "convergence": "at most (R/gamma)^2 corrections on separable data (Novikoff 1962)"},
        notes="The seed only affects the pocket algorithm's random draws.",
        report=report,
        figures={"perceptron-iris": lambda: plot_boundary(X, y, clf.weights_, clf.bias_, feature_names=IRIS_NAMES),
                 "pocket": lambda: plot_pocket(pocket.history_["perceptron_mistakes"],
                                               pocket.history_["mistakes"], X2.shape[0])},
    )


@register("novikoff", module="perceptron",
          summary="Corrections vs Novikoff's bound (R/gamma)^2 on random separable data sets.",
          options=_NOVIKOFF_OPTIONS)
def novikoff_experiment(seed: int = 0, datasets: int = 60, samples: int = 100, features: int = 2) -> ExperimentResult:
    """The convergence theorem checked: every run makes at most (R/gamma)^2 corrections.

    ``samples * features`` is at most ``MAX_SAMPLE_VALUES`` and ``datasets * samples * features`` at most
    ``MAX_NOVIKOFF_VALUES``.
    """
    from annhist.perceptron.figures import plot_novikoff

    owner = "novikoff_experiment"
    _check_options(owner, _NOVIKOFF_OPTIONS, {"datasets": datasets, "samples": samples, "features": features})
    _check_product(owner, {"samples": samples, "features": features}, samples * features, MAX_SAMPLE_VALUES,
                   "numbers per data set (samples x features)")
    _check_product(owner, {"datasets": datasets, "samples": samples, "features": features},
                   datasets * samples * features, MAX_NOVIKOFF_VALUES,
                   "numbers over all data sets (datasets x samples x features)")
    sweep = novikoff_sweep(datasets, samples, features, random_state=seed)
    ratio = sweep["updates"] / sweep["bound"]
    results = {"n_datasets": datasets, "all_within_bound": bool(np.all(ratio <= 1)),
               "max_updates_over_bound": float(ratio.max()), "median_updates_over_bound": float(np.median(ratio)),
               "updates": sweep["updates"], "bound": sweep["bound"], "gamma": sweep["gamma"], "R": sweep["R"]}
    report = (f"novikoff: {plural(datasets, 'data set')} of {samples} points in {features}-D\n"
              f"  every run within (R/gamma)^2: {results['all_within_bound']}; corrections / bound: "
              f"median {results['median_updates_over_bound']:.3f}, max {results['max_updates_over_bound']:.3f}")
    return ExperimentResult(
        experiment="novikoff", settings={"seed": seed, "datasets": datasets, "samples": samples, "features": features},
        results=results, paper={"bound": "(R/gamma)^2 corrections, w0 = 0 (Novikoff 1962)"}, report=report,
        figures={"novikoff": lambda: plot_novikoff(sweep["updates"], sweep["bound"], sweep["gap"])})


@register("mark1", module="perceptron",
          summary="A Mark I simulation learns centred shapes, fails on shifted ones; left vs right marks.",
          options=_MARK1_OPTIONS)
def mark1_experiment(seed: int = 0, train: int = 300, noise: float = 0.05, epochs: int = 50) -> ExperimentResult:
    """400 S, 512 A, 8 R: train on centred square/circle/triangle, test centred and displaced.

    ``train * epochs`` is at most ``MAX_PRESENTATIONS``.
    """
    from annhist.perceptron.figures import plot_retina, plot_shift_generalization, plot_wiring

    _check_options("mark1_experiment", _MARK1_OPTIONS, {"train": train, "noise": noise, "epochs": epochs})
    _check_product("mark1_experiment", {"train": train, "epochs": epochs}, train * epochs, MAX_PRESENTATIONS,
                   "presentations of an image (train x epochs)")
    rng = np.random.default_rng(seed)
    Xtr, ytr = retina_shapes(train, noise=noise, random_state=rng)
    mark = MarkI(random_state=rng, epochs=epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)     # reported in the results instead
        mark.fit(Xtr, ytr)
    Xte, yte = retina_shapes(300, noise=noise, random_state=rng)
    shifts = np.arange(0, 6)
    acc = shift_sweep(mark, shifts, noise=noise, random_state=rng)
    Xlr, ylr = retina_left_right(200, random_state=rng)
    lr = MarkI(random_state=rng, epochs=epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lr.fit(Xlr[:100], ylr[:100])
    results = {"train_accuracy": mark.score(Xtr, ytr), "converged": mark.converged_, "n_epochs": mark.n_epochs_,
               "n_updates": mark.n_updates_, "test_accuracy_centred": mark.score(Xte, yte),
               "shifts": shifts, "accuracy_by_shift": acc, "chance": 1 / 3,
               "left_right_train_accuracy": lr.score(Xlr[:100], ylr[:100]),
               "left_right_test_accuracy": lr.score(Xlr[100:], ylr[100:]),
               # read off the wired machine, not its class constants:
               "dimensions": [mark.connections.shape[1], mark.connections.shape[0], mark.n_response],
               "max_a_units_per_s_unit": int((mark.connections != 0).sum(axis=0).max())}
    report = (f"mark1: {train} centred shapes (noise {noise}), {plural(mark.n_epochs_, 'epoch')}, "
              f"converged {mark.converged_}\n"
              f"  accuracy centred {results['test_accuracy_centred']:.2f}; displaced by "
              + ", ".join(f"{s}: {a:.2f}" for s, a in zip(shifts, acc))
              + f" (chance 0.33)\n  left vs right mark: test accuracy {results['left_right_test_accuracy']:.2f}")
    return ExperimentResult(
        experiment="mark1", settings={"seed": seed, "train": train, "noise": noise, "epochs": epochs,
                                      "S": MarkI.n_sensory, "A": MarkI.n_association, "R": MarkI.n_response},
        results=results,
        paper={"machine": "Mark I: 400 photocells (20x20), 512 A-units, 8 R-units (Hay et al. 1960)"},
        notes="A-unit connections and thresholds are this simulation's choices (not verified against the manual).",
        report=report,
        figures={"mark1-shapes": lambda: plot_retina(Xtr[:12], ytr[:12]),
                 "mark1-shift": lambda: plot_shift_generalization(shifts, acc, chance=1 / 3),
                 "mark1-wiring": lambda: plot_wiring(mark.connections)})


@register("cover-capacity", module="perceptron",
          summary="Cover's counting theorem: the fraction of random dichotomies a hyperplane separates (LP).",
          options=_COVER_OPTIONS)
def cover_capacity(seed: int = 0, dim: int = 5, trials: int = 300, curve_trials: int = 30) -> ExperimentResult:
    """Measure C(N, d) / 2^N by LP on Gaussian points with fair random labels; compare at N = 2d.

    ``trials + 2 * dim * curve_trials`` linear programs are at most ``MAX_LPS``.
    """
    from annhist.perceptron.figures import plot_cover

    owner = "cover_capacity"
    _check_options(owner, _COVER_OPTIONS, {"dim": dim, "trials": trials, "curve_trials": curve_trials})
    _check_product(owner, {"trials": trials, "dim": dim, "curve_trials": curve_trials},
                   trials + 2 * dim * curve_trials, MAX_LPS, "linear programs (trials + 2 x dim x curve_trials)")
    rng = np.random.default_rng(seed)
    at_2d = separable_fraction(2 * dim, dim, trials, random_state=rng)
    Ns = np.arange(2, 4 * dim + 1, 2)
    measured = np.array([separable_fraction(int(N), dim, curve_trials, random_state=rng) for N in Ns])
    theory = np.array([cover_fraction(int(N), dim) for N in Ns])
    sd = float(np.sqrt(0.25 / trials))                      # binomial standard deviation at p = 1/2
    results = {"dim": dim, "fraction_at_2d": at_2d, "theory_at_2d": cover_fraction(2 * dim, dim),
               "standard_error_at_2d": sd, "N": Ns, "measured": measured, "theory": theory,
               "max_curve_deviation": float(np.max(np.abs(measured - theory)))}
    report = (f"cover-capacity: d = {dim}, hyperplanes through the origin, Gaussian points, fair labels\n"
              f"  separable at N = 2d = {2 * dim}: {at_2d:.3f} of {trials} (Cover: 1/2; binomial s.e. {sd:.3f})\n"
              f"  curve over even N = 2..{4 * dim} ({plural(curve_trials, 'trial')} each): largest deviation from "
              f"C(N, d)/2^N {results['max_curve_deviation']:.3f}")
    return ExperimentResult(
        experiment="cover-capacity", settings={"seed": seed, "dim": dim, "trials": trials,
                                               "curve_trials": curve_trials},
        results=results, paper={"C(N, d)": "2 sum_{k<d} binom(N-1, k); capacity 2d (Cover 1965)"},
        notes="Separability is decided by linear programming (HiGHS), exactly up to floating point.",
        report=report, figures={"cover-capacity": lambda: plot_cover(Ns, measured, theory, dim)})
