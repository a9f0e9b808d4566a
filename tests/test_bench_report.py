"""How the bench reports: one table of targets, one JSON object, progress off the output."""

import io
import json

from bot.bench_report import LEGEND, Report, faster


def _report(**options: object) -> tuple[Report, io.StringIO]:
    out = io.StringIO()
    return Report(out, **options), out  # type: ignore[arg-type]


def test_ratios_read_one_way() -> None:
    assert faster(baseline=1000.0, ours=100.0) == "10.0× faster"
    assert faster(baseline=100.0, ours=400.0) == "4.0× slower"
    assert faster(baseline=0.0, ours=1.0) == "-"


def test_the_table_lists_every_target_with_pass_or_fail() -> None:
    report, out = _report()
    report.target("real KB: answer p99", "449 µs", "<= 200 µs", met=False)
    report.target("10,000 entries: match p99", "783 µs", "<= 2000 µs", met=True)
    assert report.finish() == 0
    text = out.getvalue()
    assert LEGEND in text
    rows = [line for line in text.splitlines() if line.startswith(("  PASS", "  FAIL"))]
    assert rows[0].startswith("  FAIL  real KB: answer p99") and "(target <= 200 µs)" in rows[0]
    assert rows[1].startswith("  PASS  10,000 entries: match p99")
    assert "1 of 2 targets met" in text


def test_json_is_one_object_and_nothing_else() -> None:
    report, out = _report(as_json=True)
    report.write("Real knowledge base: …\n")
    report.figure("real_kb", entries=72)
    report.figure("real_kb", load_ms=310.5)
    report.target("start-up", "749 ms", "<= 300 ms", met=False)
    report.finish()
    data = json.loads(out.getvalue())
    assert data["figures"] == {"real_kb": {"entries": 72, "load_ms": 310.5}}
    assert data["targets"] == [{"name": "start-up", "figure": "749 ms", "goal": "<= 300 ms",
                                "met": False}]


def test_progress_goes_to_its_own_stream_and_is_cleared() -> None:
    progress = io.StringIO()
    report, out = _report(progress=progress)
    with report.step("threshold sweep"):
        report.tick("3/27")
    assert "threshold sweep… 3/27" in progress.getvalue()
    assert progress.getvalue().endswith("\r\x1b[K")  # the line is cleared at the end
    assert out.getvalue() == ""


def test_no_progress_stream_no_progress() -> None:
    report, out = _report()
    with report.step("speed"):
        report.tick("1/2")
    assert out.getvalue() == ""
