"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched
(a Content-Security-Policy says so to the browser). Every text is escaped: questions are what
people typed, and even the knowledge base's texts pass through ``escape``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape

from bot.core.article import Paragraph
from bot.core.knowledge import KnowledgeBase
from bot.report.data import (
    CATEGORIES,
    OFTEN_UNSURE,
    TOP_ENTRIES,
    EntryUse,
    Figures,
    ReportOptions,
    SentenceUse,
)
from bot.report.style import CSS
from bot.report.svg import rate_line, stacked_bars

LABELS = {"answered": "answered", "partial": "partial answer", "did_you_mean": "did you mean",
          "refused": "no answer"}
POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
SECTIONS = (("article", "The article"), ("questions", "Questions per day"),
            ("entries", "Entries"), ("fix", "What to fix next"), ("health", "Knowledge base"))
DOUBTED = 10
UNSURE_SENTENCES = 5


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}".replace("%", " %") if whole else "–"


def _entry(use: EntryUse) -> str:
    return f"{escape(use.entry.question)} <code>{escape(use.entry.id)}</code>"


def _table(table_id: str, head: Sequence[str], rows: Iterable[str]) -> str:
    """A table in a box that scrolls sideways on a narrow screen; headings ending in "#" are
    numeric (right-aligned)."""
    cells = "".join(f'<th class="n">{escape(h[:-1])}</th>' if h.endswith("#")
                    else f"<th>{escape(h)}</th>" for h in head)
    return (f'<div class="scroll"><table id="{table_id}"><thead><tr>{cells}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _n(value: int | str) -> str:
    return f'<td class="n">{value:,}</td>' if isinstance(value, int) else (
        f'<td class="n">{escape(value)}</td>')


# --- header -----------------------------------------------------------------------------------


def _header(kb: KnowledgeBase, figures: Figures, options: ReportOptions, now: datetime) -> str:
    window = figures.window
    total = figures.questions
    unsure = total - figures.total["answered"]
    days = len(window.days)
    nav = "".join(f'<li><a href="#{key}">{escape(label)}</a></li>' for key, label in SECTIONS)
    return (
        f"<header><h1>What people ask about “{escape(kb.article.headline)}”</h1>"
        f'<p class="meta" id="made">Made <time datetime="{now.isoformat()}">'
        f"{now:%Y-%m-%d %H:%M} UTC</time> from the questions asked from "
        f'<time datetime="{window.first}">{window.first}</time> to '
        f'<time datetime="{window.last}">{window.last}</time> ({days} day'
        f"{'s' if days != 1 else ''}, UTC), {escape(options.scope)}.</p>"
        f'<ul class="cards" id="summary"><li><b>{total:,}</b> question'
        f"{'s' if total != 1 else ''}</li>"
        f"<li><b>{_percent(figures.total['answered'], total)}</b> answered</li>"
        f"<li><b>{unsure:,}</b> without a confident answer</li>"
        f"<li><b>{len(figures.never_asked):,}</b> of {len(figures.entries):,} entries never "
        f"asked</li></ul><nav><ul>{nav}</ul></nav></header>")


# --- the article ----------------------------------------------------------------------------


def _anchor(use: SentenceUse) -> str:
    return f"s-{use.sentence.paragraph}-{use.sentence.index}"


def _sentence(use: SentenceUse) -> str:
    classes = ["s"] + ([f"h{use.heat}"] if use.heat else []) + (
        ["unsure"] if use.unsure else []) + (["many"] if use.often_unsure else []) + (
        [] if use.sentence.covered else ["uncited"])
    summary = (f"{use.answered:,} answer{'s' if use.answered != 1 else ''} given"
               + (f" · {use.unsure:,} asked without a confident answer" if use.unsure else ""))
    cited = " ".join(f"<span>{_entry(u)}: {u.answered:,} answered"
                    + (f", {u.unsure:,} not confident" if u.unsure else "") + "</span>"
                    for u in use.uses) or "<span>No entry cites this sentence.</span>"
    return (f'<span class="{" ".join(classes)}" id="{_anchor(use)}" tabindex="0" '
            f'data-answered="{use.answered}" data-unsure="{use.unsure}">'
            f"{escape(use.sentence.text)}<span class=\"pop\"><span><b>{summary}</b></span> "
            f"{cited}</span></span>")


def _paragraph(paragraph: Paragraph, uses: Sequence[SentenceUse]) -> str:
    """The paragraph's own text with each sentence in its span; what lies between sentences
    (the dateline) stays plain."""
    text = paragraph.text
    parts = []
    cursor = 0
    for use in uses:
        start = text.find(use.sentence.text, cursor)
        if start >= 0:
            parts.append(escape(text[cursor:start]))
            cursor = start + len(use.sentence.text)
        parts.append(_sentence(use))
    parts.append(escape(text[cursor:]))
    body = "".join(parts).strip()
    if paragraph.number == 0:
        return f'<p class="para title" data-paragraph="0">{body}</p>'
    return (f'<p class="para" data-paragraph="{paragraph.number}"><span class="num">'
            f"{paragraph.number}</span> {body}</p>")


def _article(kb: KnowledgeBase, figures: Figures) -> str:
    by_paragraph: dict[int, list[SentenceUse]] = {}
    for use in figures.sentences:
        by_paragraph.setdefault(use.sentence.paragraph, []).append(use)
    most = max((u.answered for u in figures.sentences), default=0)
    paragraphs = "".join(_paragraph(p, by_paragraph.get(p.number, []))
                         for p in kb.article.all_paragraphs)
    return (
        '<section id="article"><h2>The article, shaded by the answers given</h2>'
        f'<p class="legend">The darker a sentence, the more often the answers citing it were '
        f"given (the most: {most:,}). <span class=\"unsure\">A wavy underline</span>: people "
        "asked about it and got no confident answer (a partial answer, “did you mean” or "
        'none); <span class="unsure many">a thick one</span>: for '
        f"{OFTEN_UNSURE:.0%} or more of the questions about it. <span class=\"uncited\">A "
        "dotted underline</span>: no entry covers it. Hover over a sentence, or tap or tab to "
        "it, for the entries citing it.</p>"
        f'<div class="article">{paragraphs}</div></section>')


# --- questions per day ----------------------------------------------------------------------


def _questions(figures: Figures) -> str:
    days = figures.window.days
    per_day = figures.per_day
    series = [(kind, LABELS[kind], [per_day[d][kind] for d in days]) for kind in CATEGORIES]
    rates = [per_day[d]["answered"] / total if (total := sum(per_day[d].values())) else None
             for d in days]
    keys = "".join(f'<li><i class="k {kind}"></i>{escape(LABELS[kind])}</li>'
                   for kind in CATEGORIES)
    rows = []
    for day in days:
        counts = per_day[day]
        total = sum(counts.values())
        if total:
            rows.append(f'<tr data-day="{day}"><td>{day}</td>'
                        + "".join(_n(counts[kind]) for kind in CATEGORIES)
                        + _n(total) + _n(_percent(counts["answered"], total)) + "</tr>")
    table = _table("per-day", ["Day", *(f"{LABELS[k].capitalize()}#" for k in CATEGORIES),
                               "Total#", "Answered rate#"], rows)
    return (
        '<section id="questions"><h2>Questions per day</h2>'
        f'<ul class="keys">{keys}</ul>'
        + stacked_bars("per-day-chart", "Questions per day, by how they were answered", days,
                       series)
        + '<h3>Answered rate</h3><ul class="keys"><li><i class="k rate"></i>share of the '
          "day's questions answered</li></ul>"
        + rate_line("rate-chart", "Share of each day's questions that were answered", days,
                    rates)
        + f"<details><summary>The figures, day by day ({len(rows)} days with questions)"
          f"</summary>{table}</details></section>")


# --- entries --------------------------------------------------------------------------------


def _entries(figures: Figures) -> str:
    asked = [u for u in figures.entries if u.asked][:TOP_ENTRIES]
    rows = (f'<tr data-entry="{escape(u.entry.id)}"><td>{_entry(u)}</td>{_n(u.answered)}'
            f"{_n(u.unsure)}{_n(u.up)}{_n(u.down)}</tr>" for u in asked)
    never = figures.never_asked
    never_list = "".join(f'<li data-entry="{escape(e.id)}">{escape(e.question)} '
                         f"<code>{escape(e.id)}</code></li>" for e in never)
    return (
        '<section id="entries"><h2>The most asked entries</h2>'
        + (_table("most-asked", ["Entry", "Answered#", "Asked, not confident#", "👍 people#",
                                 "👎 people#"], rows) if asked
           else "<p>No entry was asked in these days.</p>")
        + '<p class="note">“Asked, not confident”: the entry was the closest to a question '
          "that got a partial answer, “did you mean” or no answer. 👍 and 👎 count people, "
          "one vote each per entry.</p>"
        + f"<h3>Never asked in these days ({len(never):,})</h3>"
        + (f'<ul id="never-asked">{never_list}</ul>' if never
           else "<p>Every entry was asked.</p>")
        + "</section>")


# --- what to fix ------------------------------------------------------------------------------


def _alike(count: int) -> str:
    return f' <span class="alike">+{count} alike</span>' if count else ""


def _to_fix(figures: Figures, options: ReportOptions) -> str:
    groups = (f'<tr><td class="n">{g.times:,}</td><td>{escape(g.questions[0])}'
              f"{_alike(len(g.questions) - 1)}</td><td>{escape(g.last_asked[:10])}</td></tr>"
              for g in figures.unanswered)
    proposals = (f'<tr><td class="n">{p.count:,}</td><td>{escape(p.phrasings[0])}'
                 f"{_alike(len(p.phrasings) - 1)}</td><td><code>{escape(p.entry_id)}</code>"
                 + (f" (already asks <code>{escape(p.owner)}</code>)" if p.owner else "")
                 + "</td></tr>" for p in figures.suggestions)
    unsure = sorted((u for u in figures.sentences if u.unsure), key=lambda u: -u.unsure)
    sentences = "".join(f'<li><a href="#{_anchor(u)}">paragraph {u.sentence.paragraph}</a>: '
                        f"{escape(u.sentence.text)} "
                        f'<span class="alike">{u.unsure:,}×</span></li>'
                        for u in unsure[:UNSURE_SENTENCES])
    doubted = sorted((u for u in figures.entries if u.down), key=lambda u: (-u.down, -u.up))
    doubts = (f'<tr><td>{_entry(u)}</td>{_n(u.down)}{_n(u.up)}</tr>'
              for u in doubted[:DOUBTED])
    rare = (f'<p class="note" id="rare">{figures.rare_left_out:,} question'
            f"{'s' if figures.rare_left_out != 1 else ''} or suggestion"
            f"{'s' if figures.rare_left_out != 1 else ''} made only once "
            f"{'are' if figures.rare_left_out != 1 else 'is'} left out, for the askers' privacy"
            " (<code>python -m bot report --include-rare</code> shows them).</p>"
            if figures.rare_left_out and not options.include_rare else "")
    return (
        '<section id="fix"><h2>What to fix next</h2>'
        "<h3>Questions without a confident answer</h3>"
        '<p class="note">Asked in these days, grouped as <code>/kb unanswered</code> groups '
        "them, counted over the whole question log; only the most asked wording of each group "
        "is shown. Make them alternates of the entry they ask about, or add an entry.</p>"
        + (_table("unanswered", ["Times#", "Question", "Last asked"], groups)
           if figures.unanswered else "<p>None.</p>")
        + "<h3>Suggested phrasings waiting</h3>"
        '<p class="note">From what askers did (see <code>/kb suggestions</code>), counted in '
        "people.</p>"
        + (_table("suggestions", ["People#", "Phrasing", "For entry"], proposals)
           if figures.suggestions else "<p>None.</p>")
        + rare
        + "<h3>Sentences asked about without a confident answer</h3>"
        + (f"<ol id=\"unsure-sentences\">{sentences}</ol>" if sentences else "<p>None.</p>")
        + "<h3>Answers people doubted</h3>"
        + (_table("doubted", ["Entry", "👎 people#", "👍 people#"], doubts) if doubted
           else "<p>No 👎 in these days.</p>")
        + "</section>")


# --- health -----------------------------------------------------------------------------------


def _health(kb: KnowledgeBase, figures: Figures) -> str:
    entries = kb.entries
    partial = sum(e.partial for e in entries)
    phrasings = sum(len(e.phrasings) for e in entries)
    sentences = len(figures.sentences)
    uncited = figures.uncited
    uncited_list = "".join(f"<li>paragraph {s.paragraph}: {escape(s.text)}</li>"
                           for s in uncited)
    changes = (f"<tr><td>{escape(c.changed_at[:16].replace('T', ' '))}</td>"
               f"<td><code>{escape(c.entry_id)}</code></td><td>{escape(c.action)}</td>"
               f"{_n(c.revision)}</tr>" for c in figures.changes)
    return (
        '<section id="health"><h2>The knowledge base</h2><ul class="cards" id="kb-figures">'
        f"<li><b>{len(entries):,}</b> entries ({partial:,} say what the article does not "
        f"tell)</li><li><b>{phrasings:,}</b> phrasings</li>"
        f"<li><b>{sentences - len(uncited):,} of {sentences:,}</b> sentences cited</li></ul>"
        "<h3>Sentences no entry covers</h3>"
        + (f'<ul id="uncited">{uncited_list}</ul>' if uncited
           else "<p>None: every sentence of the article is cited.</p>")
        + "<h3>Last changes</h3>"
        + (_table("changes", ["When (UTC)", "Entry", "Change", "Revision#"], changes)
           if figures.changes else "<p>No recorded change.</p>")
        + "</section>")


def render(kb: KnowledgeBase, figures: Figures, options: ReportOptions, now: datetime) -> str:
    """The page."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>Report: {escape(kb.article.headline)}</title><style>{CSS}</style></head>"
        f"<body>{_header(kb, figures, options, now)}<main>{_article(kb, figures)}"
        f"{_questions(figures)}{_entries(figures)}{_to_fix(figures, options)}"
        f"{_health(kb, figures)}</main><footer><p>Question texts appear only grouped, with "
        "how many times they were asked, and nothing here says who asked; a question asked "
        "once is left out unless the report is made with <code>--include-rare</code>. Made by "
        "<code>python -m bot report</code>.</p></footer></body></html>\n")
