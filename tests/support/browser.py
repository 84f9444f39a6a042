"""Headless Chromium for the tests: the browser a user prints a web notice with (Debian: apt-get install chromium)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = "chromium is not installed (Debian: apt-get install chromium)"
LANDSCAPE = "<style>@page { size: A4 landscape; margin: 15mm }</style></head>"


def print_page(page: Path, pdf: Path, landscape: bool) -> None:
    """Print ``page`` to ``pdf`` with headless Chromium (portrait A4 as the page has it, or landscape)."""
    if landscape:
        styled = page.with_name(f"{page.stem}_landscape.html")
        styled.write_bytes(page.read_bytes().replace(b"</head>", LANDSCAPE.encode("ascii"), 1))
        page = styled
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
