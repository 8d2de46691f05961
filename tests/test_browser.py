"""What a reviewer sees: headless Chromium (Debian's, installed by `make test`) opens the report from
disk with the network off. No console errors, no failed or outside requests, no sideways scrolling on a
phone; screenshots at phone and desktop width are written to outputs/screenshots/ for a person to look at.
"""

import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize(("label", "width"), [("phone", 390), ("desktop", 1280)])
def test_report_opens_offline_without_errors(browser, seed_report, label, width):
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors, failed, outside = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(seed_report["path"].as_uri(), wait_until="load")
    assert errors == [] and failed == [] and outside == []
    assert page.locator("h2").count() == 7
    images = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
    assert images and all(images)
    assert page.evaluate("document.documentElement.scrollWidth") <= width      # no sideways page scroll
    shots = ROOT / "outputs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    path = shots / f"report-{label}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    context.close()
