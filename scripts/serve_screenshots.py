"""Regenerate the screenshots in docs/screenshots/ from a live ``exokg serve`` and Debian's Chromium.

Usage::

    python scripts/serve_screenshots.py [--dist dist] [--out docs/screenshots]

Starts the server on a free loopback port, opens each page in headless Chromium
(``/usr/bin/chromium``, never a downloaded browser) and saves a PNG per page.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from exokg.pipeline.build import existing_or_fresh_build

PAGES = {
    "entity-page.png": "/entity/mir-21",
    "claim-page.png": "/claim/soung2016-c320",
    "neighbourhood-graph.png": "/entity/mir-21/graph",
    "query-form.png": "/queries/mirnas-elevated-in-cancer?cancer=exokg.entity%3Acolon-cancer&run=1",
}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with existing_or_fresh_build(args.dist) as dist, socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-m", "exokg", "serve", "--dist", str(dist), "--port", str(port)])
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, path in PAGES.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)  # the graph layout settles
                    page.screenshot(path=str(args.out / name))
                    print(f"wrote {args.out / name}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
