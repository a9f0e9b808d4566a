"""The report in a real browser: headless Chromium (Debian's ``chromium``; ``.ci/run`` installs
it) opens the page from disk on a desktop and on a phone, light and dark. Nothing may show in
its console, nothing may be fetched, the screenshot must not be blank, and hovering or focusing
a sentence must show the entries that cite it.

Without Chromium these tests fail: they are part of what CI checks.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.store import Store
from bot.report import ReportOptions, build
from tests.browser import Browser, Tab, colours
from tests.test_report import NOW, fill

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844, "mobile": True}


def luminance(colour: bytes) -> float:
    red, green, blue = colour[:3]
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), (
        f"Chromium is missing ({CHROMIUM}): install Debian's chromium package "
        "(apt-get install chromium), as .ci/run does")
    with Browser(CHROMIUM, tmp_path_factory.mktemp("chromium")) as running:
        yield running


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Path:
    store = Store(":memory:")
    try:
        fill(store)
        page = build(store, kb, ReportOptions(days=7, include_rare=True), NOW)
    finally:
        store.close()
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture
def opened(browser: Browser) -> Iterator[list[Tab]]:
    """Tabs a test opens, closed after it."""
    tabs: list[Tab] = []
    yield tabs
    for tab in tabs:
        tab.close()


@pytest.mark.parametrize(("screen", "dark"), [(DESKTOP, False), (DESKTOP, True), (PHONE, False),
                                              (PHONE, True)],
                         ids=["desktop-light", "desktop-dark", "phone-light", "phone-dark"])
def test_renders_cleanly(browser: Browser, opened: list[Tab], report: Path, tmp_path: Path,
                         screen: dict, dark: bool) -> None:
    tab = browser.open(report.as_uri(), dark=dark, **screen)
    opened.append(tab)
    assert tab.console_errors == []
    assert tab.requested == [report.as_uri()]  # self-contained: nothing else fetched
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= screen["width"]  # it fits: no sideways scrolling
    assert tab.evaluate("document.querySelectorAll('svg.chart rect').length") > 0
    png = tab.screenshot()
    (tmp_path / "report.png").write_bytes(png)  # for a look when it fails
    found = colours(tab.screenshot(scale=0.25))
    (background, most), = found.most_common(1)
    assert len(found) >= 50, "the screenshot is (nearly) one colour"
    assert most < 0.95 * sum(found.values())
    assert (luminance(background) < 60) if dark else (luminance(background) > 200)


def test_hover_or_focus_shows_the_entries_citing_a_sentence(browser: Browser,
                                                            opened: list[Tab],
                                                            report: Path) -> None:
    tab = browser.open(report.as_uri(), **DESKTOP)
    opened.append(tab)
    shown = ("getComputedStyle(document.querySelector('#s-5-0 > .pop')).display")
    assert tab.evaluate(shown) == "none"
    assert "cable-sender" in tab.evaluate(
        "document.querySelector('#s-5-0').focus(); document.activeElement.innerText")
    assert tab.evaluate(shown) == "block"
    tab.evaluate("document.activeElement.blur()")
    assert tab.evaluate(shown) == "none"
    x, y = tab.evaluate("(() => { const s = document.querySelector('#s-5-0');"
                        " s.scrollIntoView(); const r = s.getClientRects()[0];"
                        " return [r.x + 5, r.y + r.height / 2]; })()")
    tab.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
    assert tab.evaluate(shown) == "block"
    assert not tab.console_errors


def test_the_checks_can_fail(browser: Browser, opened: list[Tab], tmp_path: Path) -> None:
    """The same checks on pages that break them: a script error, a blocked fetch, a blank
    page."""
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><meta http-equiv='Content-Security-Policy' content="
                      "\"default-src 'none'\"><p>x</p><img src='https://example.invalid/x.png'>"
                      "<script>missing()</script>", encoding="utf-8")
    tab = browser.open(broken.as_uri(), **PHONE)
    opened.append(tab)
    errors = tab.console_errors
    assert any("inline script" in e for e in errors) and any("x.png" in e for e in errors)
    assert "https://example.invalid/x.png" in tab.requested
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><body style='background:#fff'>", encoding="utf-8")
    tab = browser.open(blank.as_uri(), **PHONE)
    opened.append(tab)
    assert len(colours(tab.screenshot(scale=0.25))) == 1
