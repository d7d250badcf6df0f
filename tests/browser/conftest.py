"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium; never a
browser download) against a served hub with the demo network, axe-core on every page."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import IN_CI

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BIN = Path(sys.executable).parent
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
#: The environment of each served hub by its base URL, for a test that runs the CLI beside it.
HUB_ENV: dict[str, dict[str, str]] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served_hub(tmp_path_factory, **settings: str):
    """``ketenhub serve`` on the embedded default with the demo network and ``settings`` (more
    KETENHUB_* variables); yields (base URL, users)."""
    data = tmp_path_factory.mktemp("hub") / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETENHUB_")}
    port = _free_port()
    env.update(KETENHUB_DATA_DIR=str(data), KETENHUB_PORT=str(port), **settings)
    subprocess.run([BIN / "ketenhub", "demo", "load", "--if-empty"], env=env, check=True,
                   capture_output=True)
    proc = subprocess.Popen([BIN / "ketenhub", "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://localhost:{port}"  # a secure context: the Secure cookie is kept
    HUB_ENV[base] = env
    for _ in range(600):  # bounded: at most ~60 s
        if proc.poll() is not None:
            pytest.fail("ketenhub serve exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("/healthz did not answer")
    yield base, json.loads((data / "demo-users.json").read_text())
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """``ketenhub serve`` on the embedded default with the demo network; (base URL, users)."""
    yield from served_hub(tmp_path_factory)


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("/usr/bin/chromium is missing (make test installs Debian's chromium)")
        pytest.skip("/usr/bin/chromium is missing; run make test (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium):
    contexts = []

    def make():
        context = chromium.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
