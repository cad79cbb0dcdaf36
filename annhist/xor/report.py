"""The terminal report of the XOR experiment, written from its JSON dictionary (so the two agree)."""

from __future__ import annotations

import textwrap
from typing import Any

from annhist.results import WIDTH

__all__ = ["report_text"]


_NBSP = "\xa0"   # a space that textwrap does not break at (ASCII whitespace only); printed as " "


def _vec(v: list[float]) -> str:
    return "(" + f",{_NBSP}".join(f"{x:g}" for x in v) + ")"


def _q(v: float | None) -> str:
    return "-" if v is None else f"{round(v, 1):g}"


def _backprop_lines(s: dict[str, Any], r: dict[str, Any], p: dict[str, Any], wrap: Any) -> list[str]:
    """Finding 8: the backpropagation runs, one row per net, and the paper's numbers."""
    out: list[str] = []
    out += ["", wrap(f"8. Backpropagation with Rumelhart, Hinton & Williams' settings (eta = {s['mlp']['eta']}, "
                     f"alpha = {s['mlp']['alpha']}, initial weights uniform in +-0.3, one update per sweep). "
                     f"Solved: {s['mlp']['solved']}. Stalled (not solved in time): {s['mlp']['stuck']}."), ""]
    out.append(f"   {'net':<12}{'solved':>8}   {'sweeps: median [q1, q3]':<26}{'range':<12}stuck")
    stuck_lines = []
    for name, m in r["mlp"].items():
        solved = f"{m['solved']}/{m['runs']}"
        sweeps = f"{_q(m['sweeps_median'])} [{_q(m['sweeps_q1'])}, {_q(m['sweeps_q3'])}]"
        rng = f"{_q(m['sweeps_min'])}-{_q(m['sweeps_max'])}"
        out.append(f"   {name:<12}{solved:>8}   {sweeps:<26}{rng:<12}{m['stuck']}")
        if m["stuck_E"]:
            lo, hi = f"{min(m['stuck_E']):.3g}", f"{max(m['stuck_E']):.3g}"
            text = (f"{name}, stuck runs: final E = {lo if lo == hi else lo + ' to ' + hi}; "
                    f"{m['stuck_two_outputs_at_half']} of {m['stuck']} with two outputs at 0.5.")
            stuck_lines.append(textwrap.fill(text, WIDTH, initial_indent="   ", subsequent_indent="   "))
    out += [""] + stuck_lines if stuck_lines else []
    out += ["", "   " + wrap(f"Paper: {p['2-1-1+skip_sweeps']} sweeps at eta = {p['2-1-1+skip_eta']} for the net "
                            f"with one hidden unit and direct connections -- {p['2-1-1+skip_note']}. Local minima "
                            f"of the 2-2-1 net: {p['2-2-1_local_minima']}.")]
    return out


def report_text(d: dict[str, Any]) -> str:
    """A readable report of ``xor_experiment(...).to_dict()``: one numbered finding per question."""
    s, r, p = d["settings"], d["results"], d["paper"]
    def wrap(text: str) -> str:
        text = text.replace(" = ", f"{_NBSP}={_NBSP}")          # "alpha = 0.9" stays on one line
        return textwrap.fill(text, width=WIDTH, subsequent_indent="   ").replace(_NBSP, " ")

    out = [f"XOR and the single threshold unit -- seed {s['seed']}, {s['seeds']} backpropagation run(s) per net", ""]

    out.append(wrap("1. No threshold unit computes XOR (linear program solved by HiGHS; the certificate is "
                    "checked in exact rational arithmetic). Margin constraints y_i (w1 x1 + w2 x2 + b) >= 1:"))
    for line in r["lp_certificate_words"].splitlines()[1:]:
        out.append(textwrap.fill(line.strip(), width=WIDTH, initial_indent="     ", subsequent_indent="          "))

    f = r["separable_functions"]
    out += ["", wrap(f"2. One threshold unit computes {f['count']} of the {f['total']} Boolean functions of two "
                     f"inputs (one LP each); it cannot compute {' or '.join(f['not_separable'])}.")]

    period = r["perceptron_cycle_period"]
    states = " -> ".join(_vec(v) for v in r["perceptron_cycle_states"] + r["perceptron_cycle_states"][:1])
    out += ["", wrap(f"3. Rosenblatt's perceptron rule (w = 0, eta = 1, fixed order): "
                     f"{'converged' if r['perceptron_converged'] else 'not converged'} after "
                     f"{r['perceptron_epochs']} epochs ({', '.join(map(str, r['perceptron_mistakes_per_epoch']))} "
                     f"mistakes every epoch). Its weights (w1, w2, b) cycle with period {period['updates']} "
                     f"corrections = {period['epochs']} epoch{'' if period['epochs'] == 1 else 's'}: {states}. "
                     f"Largest weight norm ever: "
                     f"{r['perceptron_max_weight_norm']:.4g} -- bounded, as the perceptron cycling theorem "
                     f"(Block & Levin 1970) says.")]

    out += ["", wrap(f"4. The best single threshold unit gets {r['best_linear_accuracy']:.0%} of the points right "
                     f"({round(4 * r['best_linear_accuracy'])} of 4; exhaustive search over all 16 labellings, one "
                     f"LP each). The pocket algorithm with ratchet (Gallant 1990) reaches "
                     f"{r['pocket_accuracy']:.0%}: w = {_vec(r['pocket_weights'])}, b = {r['pocket_bias']:g}, "
                     f"first held after epoch {r['pocket_epoch_reached']} of {r['pocket_epochs']}.")]

    out += ["", wrap(f"5. Least-squares ADALINE (targets +-1): w = {_vec(r['adaline_weights'])}, "
                     f"b = {r['adaline_bias']:g} exactly (the normal equations have right side "
                     f"{_vec(r['adaline_normal_equations_rhs'])}). Every output is 0; the quantizer's sign(0) = +1 "
                     f"answers +1 everywhere: accuracy {r['adaline_accuracy']:.0%} (any rule for 0 gives 2 of 4).")]

    orders = ", ".join(f"n{_NBSP}={_NBSP}{row['n']}:{_NBSP}{row['order']}" for row in r["parity_order"])
    uniform = all(row["certificate_uniform"] for row in r["parity_order"])
    equal = ", with all Farkas multipliers equal (group invariance)" if uniform else ""
    out += ["", wrap(f"6. Minsky-Papert order of n-bit parity, by LP over all masks of size <= k: {orders}. "
                     f"Order n - 1 always fails{equal}.")]

    mp = r["mp_two_layer"]
    out += ["", wrap(f"7. Hand-wired McCulloch-Pitts net (h1 = a AND NOT b, h2 = b AND NOT a, out = h1 OR h2): "
                     f"{'correct' if mp['correct'] else 'WRONG'} on all four inputs, outputs {mp['outputs']}, "
                     f"{mp['delay_steps']} synaptic delays after the input "
                     f"({'also' if mp['correct_one_step_early'] else 'not yet'} right one step earlier).")]

    out += _backprop_lines(s, r, p, wrap)
    return "\n".join(out)
