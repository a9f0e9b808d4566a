"""The report: one self-contained HTML page showing the article coloured by what people ask,
the questions per day and how they were answered, the most and never asked entries, what to
fix next and the knowledge base's health (``python -m bot report``, ``/kb report``).

``data`` works out the figures from the store's aggregates, ``page`` writes the HTML, ``svg``
draws the charts. No discord.py here: the CLI and the Discord command share ``build``.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.knowledge import KnowledgeBase
from bot.core.store import Store
from bot.report.data import ReportOptions, Window, figures, gather
from bot.report.page import render

__all__ = ["ReportOptions", "build", "filename"]


def build(store: Store, kb: KnowledgeBase, options: ReportOptions, now: datetime) -> str:
    """The page for the ``options.days`` days up to ``now`` (UTC), read through the store's
    read connection (call it off the event loop)."""
    window = Window.ending(now, options.days)
    return render(kb, figures(kb, gather(store, options, window), options, window), options,
                  now)


def filename(now: datetime) -> str:
    """The name a saved or attached report gets by default."""
    return f"report-{now:%Y-%m-%d}.html"
