"""Headless Chromium for the tests, driven over the DevTools protocol on a pipe.

``--remote-debugging-pipe`` makes Chromium read commands on file descriptor 3 and write replies
and events on 4, each a JSON object ended by a NUL byte: no port, no websocket, no package to
install. A page is opened in a tab of its own with the screen size and colour scheme asked for;
the tab records what would show in the browser's console (log entries, console calls,
uncaught exceptions) and every URL the page requested.

``png_pixels`` decodes the screenshots (zlib and PNG's row filters, in pure Python) so a test
can count their colours.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import subprocess
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TIMEOUT = 30.0  # seconds for one command, or for a page to load


class BrowserError(RuntimeError):
    pass


class Browser:
    """One Chromium process; ``open`` a page in a new tab. Use as a context manager."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()

        def wire() -> None:  # in the child: the pipe ends on 3 and 4, where Chromium looks
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.log = profile / "chromium.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [executable, "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--remote-debugging-pipe", f"--user-data-dir={profile}", "--no-first-run",
                 "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                 "--mute-audio", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=wire,  # noqa: PLW1509
                pass_fds=(3, 4))
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._last_id = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):  # it may be gone already
            self.send("Browser.close")
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._in, self._out):
            os.close(fd)

    # --- the protocol ----------------------------------------------------------------------

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise BrowserError(f"Chromium did not answer in time; its log:\n{self._tail()}")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium closed the pipe; its log:\n{self._tail()}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        """Run one command and return its result; events read meanwhile are kept."""
        self._last_id += 1
        wanted = self._last_id
        message = {"id": wanted, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._out, data):]
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read(deadline)
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        """The next event ``method`` of a tab (read until it comes)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for index, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(index)["params"]
            self._events.append(self._read(deadline))

    def events(self, session: str) -> list[dict[str, Any]]:
        """The events of a tab read so far (and forgets them)."""
        mine = [e for e in self._events if e.get("sessionId") == session]
        self._events = [e for e in self._events if e.get("sessionId") != session]
        return mine

    # --- pages -----------------------------------------------------------------------------

    def open(self, url: str, *, width: int, height: int, mobile: bool = False,
             dark: bool = False) -> Tab:
        """``url`` loaded in a new tab of this size and colour scheme."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target,
                                                      "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session=session)
        self.send("Emulation.setEmulatedMedia", {"features": [
            {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]},
            session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session)
        return Tab(self, session, target)


@dataclass
class Tab:
    browser: Browser
    session: str
    target: str
    _seen: list[dict[str, Any]] = field(default_factory=list)

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON values)."""
        result = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def _drain(self) -> list[dict[str, Any]]:
        self._seen += self.browser.events(self.session)
        return self._seen

    @property
    def console_errors(self) -> list[str]:
        """What the console would show as errors or warnings: log entries (a policy
        violation, a failed load), any console call (the report has no script) and uncaught
        exceptions."""
        found = []
        for event in self._drain():
            params = event.get("params", {})
            if event["method"] == "Log.entryAdded" and params["entry"]["level"] in (
                    "error", "warning"):
                found.append(f"{params['entry']['source']}: {params['entry']['text']}")
            elif event["method"] == "Runtime.consoleAPICalled":
                found.append(f"console.{params['type']}: " + " ".join(
                    str(a.get("value", a.get("description"))) for a in params["args"]))
            elif event["method"] == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append("uncaught: " + details.get("exception", {}).get(
                    "description", details.get("text", "")))
        return found

    @property
    def requested(self) -> list[str]:
        """Every URL the page asked for, itself included."""
        return [e["params"]["request"]["url"] for e in self._drain()
                if e["method"] == "Network.requestWillBeSent"]

    def screenshot(self, scale: float = 1.0) -> bytes:
        """The visible part of the page as PNG, scaled (a smaller picture decodes faster)."""
        x, y, width, height = self.evaluate(
            "[window.scrollX, window.scrollY, window.innerWidth, window.innerHeight]")
        return base64.b64decode(self.send("Page.captureScreenshot", {
            "format": "png", "clip": {"x": x, "y": y, "width": width, "height": height,
                                      "scale": scale}})["data"])

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


# --- PNG --------------------------------------------------------------------------------------


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _unfilter(kind: int, line: bytearray, previous: bytearray, channels: int) -> bytearray:
    """One row of a PNG as it was before the encoder's filter ``kind`` (0 to 4)."""
    if kind == 2:  # Up
        return bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
    for i in range(len(line) if kind else 0):
        left = line[i - channels] if i >= channels else 0
        if kind == 1:  # Sub
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:  # Average
            line[i] = (line[i] + (left + previous[i]) // 2) & 0xFF
        else:  # Paeth
            up_left = previous[i - channels] if i >= channels else 0
            line[i] = (line[i] + _paeth(left, previous[i], up_left)) & 0xFF
    return line


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, pixels as RGB(A) byte strings) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, interlace = header[8], header[9], header[12]
    assert depth == 8 and colour in (2, 6) and not interlace, "only 8-bit RGB(A), not interlaced"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    pixels = []
    for row in range(height):
        start = row * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous,
                         channels)
        pixels += [bytes(line[i:i + channels]) for i in range(0, stride, channels)]
        previous = line
    return width, height, pixels


def colours(png: bytes) -> Counter[bytes]:
    """How many pixels of each colour a PNG has."""
    return Counter(png_pixels(png)[2])
