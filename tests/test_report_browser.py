"""report.html's own JavaScript, run by a real browser (headless Chromium): the filter works offline from a
file:// URL. The page is driven by a script appended to a copy; the DOM after it ran is read back."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from support import sample_document

from kaoping.writers.report import document_to_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)")]

DRIVE = """<script>
(function(){var s=document.querySelector('.filters select[name=sev]');s.value='warning';
s.dispatchEvent(new Event('change'));document.body.setAttribute('data-driven','yes');})();
</script>"""


def dom_after(html: str, tmp_path: Path) -> str:
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=3000",
                              "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-500:]
    return run.stdout


def test_severity_filter_runs_in_a_browser(tmp_path: Path) -> None:
    doc = sample_document("pdf")
    warnings = sum(1 for i in doc.issues if i.severity == "warning")
    html = document_to_html(doc).replace("</body>", DRIVE + "</body>")
    dom = dom_after(html, tmp_path)
    assert 'data-driven="yes"' in dom  # the driving script ran after the page's own
    shown = re.search(r'<span id="shown">(\d+)</span>', dom)
    assert shown is not None and int(shown.group(1)) == warnings == 7
    finding_rows = re.findall(r'<tr([^>]*data-sev="[^"]*"[^>]*)>', dom.split('id="finding-rows"', 1)[1].split("</tbody>", 1)[0])
    hidden = [r for r in finding_rows if "display: none" in r]
    assert len(finding_rows) == len(doc.issues) and len(hidden) == len(doc.issues) - warnings
