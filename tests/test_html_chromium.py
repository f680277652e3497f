"""The HTML report as a person sees it: rendered by headless Chromium, screenshotted, its text read back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="the html report needs the optional matplotlib extra: pip install 'auditor[report]'")
lxml_html = pytest.importorskip("lxml.html", reason="reading the rendered DOM needs lxml (test extra)")

from auditor.audit import run_audit  # noqa: E402
from auditor.render import html as html_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_suppliers" / "sample_suppliers.xlsx"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# No network, no first-run UI, no background services: the page must render from the file alone.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1")


def chromium() -> str | None:
    """The first Chromium-family browser on PATH, or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium with a fresh profile directory."""
    return subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120, check=False)


pytestmark = [
    pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (Debian: apt-get install chromium); cannot check the page as rendered"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The sample audit written as an HTML file, with its result."""
    result = run_audit([SAMPLE])
    path = tmp_path_factory.mktemp("html") / "sample-audit.html"
    path.write_text(html_report.render(result), encoding="utf-8")
    return result, path


def test_chromium_shows_the_top_suppliers_and_the_method(report, tmp_path):
    result, path = report
    done = run_chromium(chromium(), tmp_path / "profile", "--dump-dom", path.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    text = " ".join(lxml_html.fromstring(done.stdout).text_content().split())
    for name in result.suppliers.sort("rank").head(3).get_column("supplier_name").to_list():
        assert " ".join(name.split()) in text
    assert "Method and sources" in text and "Vienna Forum" in text


def test_chromium_screenshot_shows_the_styled_page(report, tmp_path):
    import matplotlib.image

    _, path = report
    shot = tmp_path / "shot.png"
    done = run_chromium(chromium(), tmp_path / "profile", "--window-size=1280,1600", f"--screenshot={shot}", path.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (1600, 1280)
    assert pixels[5, 5, :3].max() < 0.2  # the dark header band: the inline stylesheet was applied
    assert pixels[:, :, :3].std() > 0.1  # not a blank page
