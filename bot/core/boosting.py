"""Gradient-boosted decision trees for a yes/no question, small enough to write by hand.

The engine uses them to judge how likely its best match is the entry asked about, from a
handful of signals (``answers.SIGNALS``). Trees suit this: the signals interact ("a 70 is
sure when BM25 agrees, not otherwise") in ways a weighted sum misses, and a few hundred
comparisons cost microseconds. Training is log-loss boosting with Newton leaf values, as in
Friedman (2001) and scikit-learn's ``GradientBoostingClassifier``; it runs on a few thousand
labelled questions in seconds, so no numerical library is needed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# A node is (signal, threshold, left, right) – go left when the signal is at most the
# threshold – or (-1, value) for a leaf; a tree is its nodes, the root first.
Node = tuple[int, float, int, int] | tuple[int, float]


@dataclass(frozen=True)
class BoostedTrees:
    """A trained model: ``probability(signals)`` of a yes."""

    signals: tuple[str, ...]
    base: float
    trees: tuple[tuple[Node, ...], ...]
    _sum: Callable[[Sequence[float]], float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The trees as one Python expression of nested conditionals, compiled once: five
        # times faster than walking the nodes, and the engine asks on every question. Only
        # ints and floats go into the source (see ``_source``), whatever the file held.
        source = " + ".join((repr(float(self.base)), *(_source(t, 0) for t in self.trees)))
        summed = eval(compile(f"lambda v: {source}", "<trees>", "eval"))  # noqa: S307
        object.__setattr__(self, "_sum", summed)

    def __reduce__(self) -> tuple[type[BoostedTrees], tuple[object, ...]]:
        return BoostedTrees, (self.signals, self.base, self.trees)  # the compiled sum is rebuilt

    def probability(self, values: Sequence[float]) -> float:
        return 1.0 / (1.0 + math.exp(-self._sum(values)))

    def to_json(self) -> str:
        return json.dumps({"signals": self.signals, "base": self.base,
                           "trees": self.trees}, separators=(",", ":"))

    @classmethod
    def load(cls, path: Path) -> BoostedTrees:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(data["signals"]), float(data["base"]),
                   tuple(tuple(tuple(node) for node in tree) for tree in data["trees"]))


def fit(rows: Sequence[Sequence[float]], labels: Sequence[bool], signals: Sequence[str], *,
        trees: int = 100, depth: int = 3, min_leaf: int = 20, rate: float = 0.1
        ) -> BoostedTrees:
    """Boost ``trees`` regression trees of at most ``depth`` levels, each leaf holding at least
    ``min_leaf`` rows, on the log-loss gradient; each tree's leaves are scaled by ``rate``."""
    share = min(max(sum(labels) / len(labels), 1e-6), 1 - 1e-6)
    base = math.log(share / (1 - share))
    scores = [base] * len(rows)
    grown = []
    for _ in range(trees):
        chances = [1.0 / (1.0 + math.exp(-s)) for s in scores]
        grower = _Grower(rows, [float(y) - p for y, p in zip(labels, chances, strict=True)],
                         [p * (1.0 - p) for p in chances], min_leaf, rate)
        grower.grow(list(range(len(rows))), depth)
        tree = tuple(grower.nodes)
        grown.append(tree)
        scores = [s + _leaf(tree, row) for s, row in zip(scores, rows, strict=True)]
    return BoostedTrees(tuple(signals), base, tuple(grown))


def _source(tree: tuple[Node, ...], number: int) -> str:
    node = tree[number]
    if node[0] < 0:
        return repr(float(node[1]))
    signal, threshold, left, right = node  # type: ignore[misc]
    return (f"({_source(tree, int(left))} if v[{int(signal)}] <= {float(threshold)!r} "
            f"else {_source(tree, int(right))})")


def _leaf(tree: tuple[Node, ...], row: Sequence[float]) -> float:
    node = tree[0]
    while node[0] >= 0:
        node = tree[node[2] if row[node[0]] <= node[1] else node[3]]  # type: ignore[misc]
    return node[1]


@dataclass
class _Grower:
    """One regression tree fitted to the residuals of the model so far."""

    rows: Sequence[Sequence[float]]
    residuals: list[float]
    weights: list[float]  # p(1 - p): the Newton step's denominator
    min_leaf: int
    rate: float
    nodes: list[Node] = field(default_factory=list)

    def grow(self, members: list[int], depth: int) -> int:
        """Add the subtree for ``members`` (split where it cuts the squared error of the
        residuals most) and return its root's number."""
        number = len(self.nodes)
        split = self._best_split(members) if depth > 0 else None
        if split is None:
            weight = sum(self.weights[i] for i in members)
            value = sum(self.residuals[i] for i in members) / weight if weight > 1e-12 else 0.0
            self.nodes.append((-1, self.rate * value))
            return number
        signal, threshold = split
        self.nodes.append((signal, threshold, 0, 0))
        left = self.grow([i for i in members if self.rows[i][signal] <= threshold], depth - 1)
        right = self.grow([i for i in members if self.rows[i][signal] > threshold], depth - 1)
        self.nodes[number] = (signal, threshold, left, right)
        return number

    def _best_split(self, members: list[int]) -> tuple[int, float] | None:
        count, rows, residuals, least = len(members), self.rows, self.residuals, self.min_leaf
        if count < 2 * least:
            return None
        total = sum(residuals[i] for i in members)
        best_gain, best = 1e-12, None
        for signal in range(len(rows[members[0]])):
            ordered = sorted(members, key=lambda i: rows[i][signal])
            running = 0.0
            for n in range(1, count):
                running += residuals[ordered[n - 1]]
                here, after = rows[ordered[n - 1]][signal], rows[ordered[n]][signal]
                if n < least or count - n < least or here == after:
                    continue
                gain = (running * running / n + (total - running) ** 2 / (count - n)
                        - total * total / count)
                if gain > best_gain:
                    best_gain, best = gain, (signal, (here + after) / 2)
        return best
