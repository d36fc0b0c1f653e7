"""Drive Debian's headless Chromium over the Chrome DevTools protocol, standard library only.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol messages (JSON, each
ended by a NUL byte) from file descriptor 3 and writes its answers and events to descriptor 4,
so no port is opened and no websocket is needed. Used by the browser tests of the HTML pages
and by ``benchmarks/shortlist.py``::

    with Browser() as browser:
        page = browser.open(Path("shortlist.html").as_uri())
        page.evaluate("document.title")
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("SKILLMATCH_CHROMIUM", "/usr/bin/chromium"))
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)


class DevToolsError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


class Browser:
    """A headless Chromium with its own throw-away profile, closed on exit."""

    def __init__(self, *, width: int = 1280, height: int = 900, timeout: float = 60.0) -> None:
        self.width, self.height, self.timeout = width, height, timeout
        self.profile = tempfile.mkdtemp(prefix="skillmatch-chromium-")
        self._next = 0
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        commands_read, self._commands = os.pipe()
        self._answers_read, answers_write = os.pipe()
        # a fresh one-thread Python puts our pipe ends on fds 3 (commands) and 4 (answers),
        # then becomes Chromium (no preexec_fn, which is unsafe once threads run)
        wire = (
            "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
            "os.execv(sys.argv[3], sys.argv[3:])"
        )
        command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", wire, str(commands_read), str(answers_write), *command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(commands_read, answers_write),
        )
        os.close(commands_read)
        os.close(answers_write)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop Chromium (the process this object started) and remove its profile."""
        with contextlib.suppress(DevToolsError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._commands, self._answers_read):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._answers_read, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        box = self._answers.get(message["id"])
                    if box is not None:
                        box.put(message)
                else:
                    self.events.append(message)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send one command and wait for its answer's ``result``."""
        with self._lock:
            self._next += 1
            number = self._next
            box: queue.Queue[dict[str, Any]] = queue.Queue()
            self._answers[number] = box
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        try:
            answer = box.get(timeout=timeout or self.timeout)
        except queue.Empty:
            raise DevToolsError(f"{method}: no answer from Chromium") from None
        if "error" in answer:
            raise DevToolsError(f"{method}: {answer['error']}")
        return dict(answer.get("result", {}))

    def open(self, url: str) -> Page:
        """A new tab that records its network requests, showing ``url`` once loaded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        page = Page(self, session["sessionId"])
        page.command("Page.enable")
        page.command("Network.enable")
        page.command("Runtime.enable")
        page.command(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )
        page.navigate(url)
        return page


class Page:
    """One tab of a :class:`Browser`, attached by a flat session."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser, self.session = browser, session

    def command(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command to this tab."""
        return self.browser.send(method, params, session=self.session)

    def _events(self, method: str) -> list[dict[str, Any]]:
        return [
            e
            for e in list(self.browser.events)
            if e.get("method") == method and e.get("sessionId") == self.session
        ]

    def navigate(self, url: str) -> float:
        """Go to ``url`` and wait for its load event; the seconds it took."""
        started = time.monotonic()
        loads = len(self._events("Page.loadEventFired"))
        self.command("Page.navigate", {"url": url})
        deadline = started + self.browser.timeout
        while len(self._events("Page.loadEventFired")) <= loads:
            if time.monotonic() > deadline:
                raise DevToolsError(f"{url}: did not load")
            time.sleep(0.02)
        return time.monotonic() - started

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (an exception fails loudly)."""
        answer = self.command("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in answer:
            raise DevToolsError(f"{expression[:60]}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def requests(self) -> list[str]:
        """The URL of every request the tab made."""
        return [e["params"]["request"]["url"] for e in self._events("Network.requestWillBeSent")]

    def errors(self) -> list[str]:
        """Uncaught script exceptions and console errors of the tab."""
        thrown = [
            str(e["params"]["exceptionDetails"]) for e in self._events("Runtime.exceptionThrown")
        ]
        console = [
            str(e["params"]["args"])
            for e in self._events("Runtime.consoleAPICalled")
            if e["params"].get("type") == "error"
        ]
        return thrown + console

    def screenshot(self, path: Path, *, full_height: int | None = None) -> None:
        """A PNG of the page (``full_height``: that many CSS pixels tall)."""
        if full_height:
            self.command(
                "Emulation.setDeviceMetricsOverride",
                {
                    "width": self.browser.width,
                    "height": full_height,
                    "deviceScaleFactor": 1,
                    "mobile": False,
                },
            )
        data = self.command("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
