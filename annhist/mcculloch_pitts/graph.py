"""The wiring of a net as a graph: chains of neurons, circles, and layers for drawing.

Pure functions of a ``targets`` map (node -> the neurons it has synapses onto); nothing here
simulates anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["reachable", "longest_chain", "layers"]


def _check_graph(owner: str, targets: object, **nodes: object) -> None:
    """``targets`` a mapping (node -> the nodes it has synapses onto); each of ``nodes`` an iterable of node names
    that is not a string (a string would be read letter by letter)."""
    if not isinstance(targets, Mapping):
        raise TypeError(f"The 'targets' parameter of {owner} must be a mapping from a node to the nodes it has "
                        f"synapses onto. Got {targets!r:.60} of type {type(targets).__name__} instead.")
    for name, value in nodes.items():
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise TypeError(f"The '{name}' parameter of {owner} must be an iterable of node names (a list, not a "
                            f"string). Got {value!r:.60} of type {type(value).__name__} instead.")


def reachable(targets: Mapping[str, Iterable[str]], start: Iterable[str]) -> set[str]:
    """Every node reachable from ``start`` along synapses (``start`` included)."""
    _check_graph("reachable", targets, start=start)
    seen: set[str] = set()
    stack = list(start)
    while stack:
        k = stack.pop()
        if k not in seen:
            seen.add(k)
            stack.extend(targets.get(k, ()))
    return seen


def _reverse(targets: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    back: dict[str, set[str]] = {}
    for s, ts in targets.items():
        for t in ts:
            back.setdefault(t, set()).add(s)
    return back


def longest_chain(targets: Mapping[str, Iterable[str]], inputs: Iterable[str], outputs: Iterable[str]) -> int | None:
    """The most synapses on a path from an input to an output; ``None`` if such a path meets a circle.

    Only the nodes that lie on some input -> output path count. With one neuron per synapse
    on a path, this is the number of synaptic delays between an input and its last effect on
    the outputs.
    """
    _check_graph("longest_chain", targets, inputs=inputs, outputs=outputs)
    outputs = list(outputs)
    back = _reverse(targets)
    forward = reachable(targets, inputs)
    useful = reachable(back, [o for o in outputs if o in forward]) & forward
    indeg = {k: sum(1 for s in back.get(k, ()) if s in useful) for k in useful}
    ready = sorted(k for k in useful if indeg[k] == 0)
    longest: dict[str, int] = {}
    while ready:                                    # Kahn's topological order
        k = ready.pop()
        longest[k] = max((longest[s] + 1 for s in back.get(k, ()) if s in useful), default=0)
        for t in targets.get(k, ()):
            if t in useful:
                indeg[t] -= 1
                if indeg[t] == 0:
                    ready.append(t)
    if len(longest) < len(useful):
        return None                                 # a circle on an input -> output path
    return max((longest[o] for o in outputs if o in longest), default=0)


def layers(targets: Mapping[str, Iterable[str]], nodes: Iterable[str], inputs: Iterable[str]) -> dict[str, int]:
    """A layer number for every node, for drawing: inputs 0, neurons >= 1, circles ignored.

    A depth-first search from the inputs (then from any node not yet reached) marks the edges
    that close a circle; the rest form a DAG, and each node's layer is one more than the
    largest layer among its non-closing predecessors.
    """
    _check_graph("layers", targets, nodes=nodes, inputs=inputs)
    nodes = list(nodes)
    inputs = [k for k in inputs if k in nodes]
    state: dict[str, int] = {}                      # 1 = on the DFS stack, 2 = done
    closing: set[tuple[str, str]] = set()
    order: list[str] = []
    for root in [*inputs, *nodes]:
        if root in state:
            continue
        stack = [(root, iter(sorted(targets.get(root, ()))))]
        state[root] = 1
        while stack:
            k, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[k] = 2
                order.append(k)
                stack.pop()
            elif state.get(nxt) == 1:
                closing.add((k, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(sorted(targets.get(nxt, ())))))
    layer = {k: 0 if k in inputs else 1 for k in nodes}
    for k in reversed(order):                       # reverse post-order is a topological order
        for t in targets.get(k, ()):
            if (k, t) not in closing and t in layer:
                layer[t] = max(layer[t], layer[k] + 1)
    return layer
