"""The report's charts as inline SVG: no script, no external file, coloured by the page's CSS
(classes, so dark mode recolours them) and scaled to the width of the screen (``viewBox``).

Each chart has a ``<title>`` for screen readers, and each day a ``<title>`` that shows its
figures on hover; the page also gives the figures as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 24
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (1 for nothing): a round top for
    an axis."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _open(chart_id: str, title: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{chart_id}-title" id="{chart_id}">'
            f'<title id="{chart_id}-title">{escape(title)}</title>')


def _y_axis(top: float, label: str = "{:g}") -> str:
    """Grid lines and labels at 0, half and the top of the scale."""
    parts = []
    for share in (0, 0.5, 1):
        y = TOP + PLOT_H * (1 - share)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
                     f'y2="{y:.1f}"/><text class="axis" x="{LEFT - 4}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{escape(label.format(top * share))}</text>')
    return "".join(parts)


def _x_labels(days: Sequence[str]) -> str:
    """The first, middle and last day under the plot."""
    if not days:
        return ""
    picks = dict.fromkeys((0, len(days) // 2, len(days) - 1))
    step = PLOT_W / len(days)
    parts = []
    for index in picks:
        anchor = "start" if index == 0 else "end" if index == len(days) - 1 else "middle"
        x = LEFT if anchor == "start" else WIDTH - RIGHT if anchor == "end" else (
            LEFT + step * (index + 0.5))
        parts.append(f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 6}" '
                     f'text-anchor="{anchor}">{escape(days[index])}</text>')
    return "".join(parts)


def stacked_bars(chart_id: str, title: str, days: Sequence[str],
                 series: Sequence[tuple[str, str, Sequence[int]]]) -> str:
    """One bar per day, its parts stacked from the bottom in the order of ``series``: (CSS
    class, label, one value per day)."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(days))]
    top = nice_ceiling(max(totals, default=0))
    step = PLOT_W / max(len(days), 1)
    width = max(step * 0.8, 0.5)
    parts = [_open(chart_id, title), _y_axis(top)]
    for index, day in enumerate(days):
        x = LEFT + step * index + (step - width) / 2
        base = TOP + PLOT_H
        figures = ", ".join(f"{values[index]} {label}" for _, label, values in series)
        bars = []
        for css, _, values in series:
            height = PLOT_H * values[index] / top
            if height > 0:
                base -= height
                bars.append(f'<rect class="{css}" x="{x:.2f}" y="{base:.2f}" '
                            f'width="{width:.2f}" height="{height:.2f}"/>')
        parts.append(f"<g><title>{escape(day)}: {escape(figures)}</title>{''.join(bars)}</g>")
    parts.append(_x_labels(days) + "</svg>")
    return "".join(parts)


def rate_line(chart_id: str, title: str, days: Sequence[str],
              rates: Sequence[float | None]) -> str:
    """A share (0 to 1) per day as a line; a day without a value (None) breaks the line, and
    a day alone between two such is a dot."""
    step = PLOT_W / max(len(days), 1)
    parts = [_open(chart_id, title), _y_axis(100, "{:g} %")]
    run: list[tuple[float, float]] = []

    def close_run() -> None:
        if len(run) == 1:
            x, y = run[0]
            parts.append(f'<circle class="rate" cx="{x:.2f}" cy="{y:.2f}" r="2.5"/>')
        elif run:
            points = " ".join(f"{x:.2f},{y:.2f}" for x, y in run)
            parts.append(f'<polyline class="rate" points="{points}"/>')
        run.clear()

    for index, rate in enumerate(rates):
        if rate is None:
            close_run()
            continue
        run.append((LEFT + step * (index + 0.5), TOP + PLOT_H * (1 - rate)))
    close_run()
    parts.append(_x_labels(days) + "</svg>")
    return "".join(parts)
