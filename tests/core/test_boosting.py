"""bot.core.boosting: gradient-boosted trees, trained and evaluated by hand."""

import itertools
import random
from pathlib import Path

from bot.core.boosting import BoostedTrees, fit

SIGNALS = ("x", "y")


def _grid() -> tuple[list[tuple[float, float]], list[bool]]:
    """Points of the unit square; yes exactly in the top right corner (x > 0.5 and y > 0.5),
    an interaction no weighted sum of x and y can draw."""
    steps = [n / 19 for n in range(20)]
    rows = list(itertools.product(steps, steps))
    return rows, [x > 0.5 and y > 0.5 for x, y in rows]


def test_trees_learn_an_interaction_of_two_signals() -> None:
    rows, labels = _grid()
    model = fit(rows, labels, SIGNALS, trees=60, depth=2, min_leaf=5)
    assert model.probability((0.9, 0.9)) > 0.9
    for lower_left in ((0.1, 0.1), (0.9, 0.1), (0.1, 0.9)):
        assert model.probability(lower_left) < 0.1
    said = [model.probability(row) >= 0.5 for row in rows]
    assert said == labels


def test_a_leaf_holds_at_least_min_leaf_rows() -> None:
    """With fewer than twice ``min_leaf`` rows no split is made: every tree is one leaf and
    the model says the share of yes, whatever the signals."""
    rows = [(random.Random(n).random(), 0.0) for n in range(30)]
    labels = [n % 3 == 0 for n in range(30)]
    model = fit(rows, labels, SIGNALS, trees=5, min_leaf=20)
    assert all(len(tree) == 1 for tree in model.trees)
    assert abs(model.probability((0.0, 0.0)) - model.probability((1.0, 1.0))) < 1e-12
    assert abs(model.probability((0.5, 0.5)) - 1 / 3) < 0.05


def test_a_model_written_and_read_back_answers_the_same(tmp_path: Path) -> None:
    rows, labels = _grid()
    model = fit(rows, labels, SIGNALS, trees=10, depth=3, min_leaf=5)
    (tmp_path / "model.json").write_text(model.to_json(), encoding="utf-8")
    loaded = BoostedTrees.load(tmp_path / "model.json")
    assert loaded.signals == SIGNALS
    assert [loaded.probability(r) for r in rows] == [model.probability(r) for r in rows]
