"""The Discord round-trip bench runs end to end and reports its figure as a target."""

import json

import pytest

from tests.standin.bench import main


def test_round_trip_bench_reports_both_bots(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--messages", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    figures = data["figures"]["discord_round_trip"]
    assert figures["messages"] == 3
    assert figures["ok_bot"]["median_ms"] > 0 and figures["qabot"]["median_ms"] > 0
    assert [t["name"] for t in data["targets"]] == ["Discord round trip, median"]
