"""The milestones table: the single source for ``annhist list``, the timeline figure and
the chapter headers.

Every entry cites its primary source by its key in ``book/references.bib``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Milestone", "Event", "MILESTONES", "EVENTS", "milestone", "chapter_header"]


@dataclass(frozen=True)
class Milestone:
    """One milestone that annhist reconstructs as runnable code."""

    key: str
    year: int
    authors: str
    title: str
    citation: str          # key in book/references.bib
    module: str            # annhist module that reconstructs it
    chapter: str           # chapter file (without suffix) under chapters/
    summary: str
    venue: str = ""
    also: tuple[str, ...] = field(default_factory=tuple)
    name: str = ""         # short display name for figures
    only: tuple[str, ...] = ()   # when modules are shared: the experiments that belong to this milestone


@dataclass(frozen=True)
class Event:
    """A dated event for the timeline that annhist does not reconstruct itself."""

    year: int
    label: str
    citation: str
    kind: str = "context"   # "context", "winter" or "modern"


MILESTONES: tuple[Milestone, ...] = (
    Milestone("mcculloch-pitts", 1943, "W. S. McCulloch, W. Pitts",
              "A logical calculus of the ideas immanent in nervous activity", "mcculloch1943",
              "mcculloch_pitts", "03-threshold-logic",
              "All-or-none threshold neurons with absolute inhibition realize temporal logic.",
              "Bull. Math. Biophysics 5:115-133", name="McCulloch-Pitts neuron"),
    Milestone("perceptron", 1958, "F. Rosenblatt",
              "The perceptron: a probabilistic model for information storage and organization in the brain",
              "rosenblatt1958", "perceptron", "04-perceptron",
              "Error-correction learning of a threshold unit; the Mark I machine.",
              "Psychological Review 65(6):386-408", ("novikoff1962", "rosenblatt1962"), name="Perceptron, Mark I"),
    Milestone("adaline", 1960, "B. Widrow, M. E. Hoff", "Adaptive switching circuits", "widrow1960",
              "adaline", "05-adaline",
              "A linear combiner trained by the LMS rule on the error before the quantizer.",
              "IRE WESCON Convention Record, Part 4, 96-104", name="ADALINE and LMS"),
    Milestone("xor", 1969, "M. Minsky, S. Papert", "Perceptrons", "minsky1969", "xor", "06-xor",
              "Order-limited perceptrons cannot compute parity; XOR needs a hidden layer.",
              "MIT Press", name="Perceptrons: XOR"),
    Milestone("hopfield", 1982, "J. J. Hopfield",
              "Neural networks and physical systems with emergent collective computational abilities",
              "hopfield1982", "hopfield", "06b-hopfield",
              "Hebb's rule stores memories as minima of an energy that asynchronous updates descend; "
              "the Boltzmann machine learns hidden units by annealing.",
              "PNAS 79(8):2554-2558", ("hebb1949", "amit1985", "ackley1985"), name="Hopfield net, Boltzmann machine"),
    Milestone("backprop", 1986, "D. E. Rumelhart, G. E. Hinton, R. J. Williams",
              "Learning representations by back-propagating errors", "rumelhart1986", "mlp", "07-backprop",
              "The generalized delta rule trains hidden units of multilayer networks.",
              "Nature 323:533-536", ("rumelhart1986pdp",), name="Backpropagation"),
    Milestone("lecun1989", 1989, "Y. LeCun et al.",
              "Backpropagation applied to handwritten zip code recognition", "lecun1989", "cnn", "09-convnets",
              "Weight sharing and local receptive fields learn to read zip codes.",
              "Neural Computation 1(4):541-551", name="Zip-code CNN", only=("lecun1989",)),
    Milestone("elman", 1990, "J. L. Elman", "Finding structure in time", "elman1990", "recurrent",
              "09b-recurrent", "Context units copy the hidden layer back: a simple recurrent net finds structure "
              "in time.", "Cognitive Science 14(2):179-211", ("werbos1990", "rumelhart1986pdp"),
              name="Elman SRN, BPTT", only=("elman-xor",)),
    Milestone("lstm", 1997, "S. Hochreiter, J. Schmidhuber", "Long short-term memory", "hochreiter1997",
              "recurrent", "09b-recurrent", "Gated memory cells with a constant error carrousel bridge long "
              "time lags where the error of plain recurrent nets vanishes.", "Neural Computation 9(8):1735-1780",
              ("hochreiter1991", "bengio1994", "gers2000"), name="LSTM",
              only=("lstm-reber", "lstm-long-lag", "rnn-vanishing")),
    Milestone("lenet5", 1998, "Y. LeCun, L. Bottou, Y. Bengio, P. Haffner",
              "Gradient-based learning applied to document recognition", "lecun1998", "cnn", "09-convnets",
              "LeNet-5: convolution, subsampling and an RBF output read handwritten digits.",
              "Proc. IEEE 86(11):2278-2324", name="LeNet-5", only=("lenet5",)),
)

EVENTS: tuple[Event, ...] = (
    Event(1949, "Hebb's postulate", "hebb1949"),
    Event(1962, "Novikoff's bound", "novikoff1962"),
    Event(1970, "Linnainmaa: reverse mode", "linnainmaa1970"),
    Event(1974, "Werbos's thesis", "werbos1974"),
    Event(1973, "Lighthill report", "lighthill1973", "winter"),
    Event(1980, "Neocognitron", "fukushima1980"),
    Event(1985, "Boltzmann machine", "ackley1985"),
    Event(2006, "Deep belief nets", "hinton2006"),
    Event(2012, "AlexNet", "krizhevsky2012", "modern"),
    Event(2014, "Adam", "kingma2014", "modern"),
    Event(2015, "Deep learning review", "lecun2015", "modern"),
    Event(2017, "Transformer", "vaswani2017", "modern"),
)


def milestone(key: str) -> Milestone:
    """Look a milestone up by key, year (as text) or module; an unknown one lists the valid keys."""
    for m in MILESTONES:
        if key in (m.key, str(m.year), m.module):
            return m
    valid = ", ".join(m.key for m in MILESTONES)
    raise ValueError(f"Unknown milestone {key!r}. Valid: {valid}.")


def chapter_header(key: str) -> str:
    """A one-paragraph Markdown header for a chapter: year, authors, title, module, citation."""
    m = milestone(key)
    return (f"**{m.year}** · {m.authors} · *{m.title}* ({m.venue}) · "
            f"reconstructed in `annhist.{m.module}`")
