"""How ``python -m bot bench`` reports: sections of figures as it goes, progress on long steps,
one table of every target at the end, or all of it as one JSON object (``--json``).

Ratios are always written one way, "× faster than the baseline" (above 1 is better), so a
reader never has to work out which way a ratio points.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, TextIO

LEGEND = """\
Legend
  p50, p99        the time within which 50 % and 99 % of questions got their result (the
                  median, and the slow tail); µs = microseconds, ms = milliseconds
  naive WRatio    rapidfuzz's extractOne with WRatio over every phrasing: the obvious way to
                  write the matcher, and what every speed figure is compared with
  × faster        the baseline's time divided by ours, measured in the same run (this machine
                  is shared and noisy: ratios hold, absolute times drift)
  BM25            a plain BM25 ranking (each entry's question, alternates and answer as one
                  document, words as typed): the quality baseline
  right 1st       the right entry ranked first, whatever its score
  answered right  the bot answers, with a right entry
"""


@dataclass(frozen=True)
class Target:
    """One promise the bench checks: the figure measured and whether it holds."""

    name: str
    figure: str
    goal: str
    met: bool


def faster(baseline: float, ours: float) -> str:
    """``ours`` against ``baseline`` (both times) as "N.N× faster" (or slower)."""
    if ours <= 0 or baseline <= 0:
        return "-"
    ratio = baseline / ours
    return f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower"


class Report:
    """Collects figures and targets; writes text as it goes unless ``as_json``.

    Progress goes to ``progress`` (stderr when it is a terminal, else nowhere), one line
    redrawn in place, so piping the output or ``--json`` stays clean.
    """

    def __init__(self, out: TextIO, *, as_json: bool = False,
                 progress: TextIO | None = None, legend: str = LEGEND) -> None:
        self.out = out
        self.legend = legend
        self.as_json = as_json
        self.figures: dict[str, Any] = {}
        self.targets: list[Target] = []
        self._progress = progress
        self._step = ""

    def write(self, text: str) -> None:
        if not self.as_json:
            self.out.write(text)
            self.out.flush()

    def figure(self, section: str, **values: Any) -> None:
        """Record figures under ``section`` for ``--json`` (merged with earlier ones)."""
        self.figures.setdefault(section, {}).update(values)

    def target(self, name: str, figure: str, goal: str, met: bool) -> None:
        self.targets.append(Target(name, figure, goal, met))

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """A long step: its label shows while it runs."""
        self._step = label
        self.tick()
        try:
            yield
        finally:
            self._step = ""
            self._show("")

    def tick(self, detail: str = "") -> None:
        """Progress inside the current step ("sweep 12/48")."""
        self._show(f"bench: {self._step}… {detail}".rstrip())

    def _show(self, line: str) -> None:
        if self._progress is not None:
            self._progress.write(f"\r\033[K{line}")
            self._progress.flush()

    def finish(self) -> int:
        """The table of targets (or the JSON object); 0, whatever the figures: a missed target
        is a finding to read, not a failure of the command."""
        if self.as_json:
            self.out.write(json.dumps({"figures": self.figures,
                                       "targets": [asdict(t) for t in self.targets]},
                                      ensure_ascii=False, indent=2) + "\n")
            return 0
        self.write(self.legend + "\n")
        if self.targets:
            width = max(len(t.name) for t in self.targets)
            figure_width = max(len(t.figure) for t in self.targets)
            self.write("Targets\n")
            for t in self.targets:
                self.write(f"  {'PASS' if t.met else 'FAIL'}  {t.name:{width}}  "
                           f"{t.figure:>{figure_width}}   (target {t.goal})\n")
            met = sum(t.met for t in self.targets)
            self.write(f"  {met} of {len(self.targets)} targets met\n")
        return 0
