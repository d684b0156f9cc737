"""The HTML reports of the seeds and of the corpus as a reader sees them: rendered by headless Chromium.

Each page is loaded with `chromium --headless --dump-dom` (the DOM after the browser ran the page)
and its visible text is read: no NaN, None, <NA>, nan, no year printed as 2024.0, no measure code;
every chart has a year in its caption; every key-figure link resolves to its source entry, which
names the source file and a readable location. Two department reports and the comparison are
also saved as screenshots (BUDGETBOOK_SCREENSHOTS=folder) for a person to look at.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_FLAGS

FORBIDDEN = re.compile(r"\bNaN\b|\bNone\b|<NA>|\bnan\b|\bNaT\b")
FLOAT_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d\.0(?!\d)")
CODE = re.compile(
    r"\b(?:revenue|expenditure|sangong|staff|assets|org|procurement|performance|budget|operating_costs)\.[a-z_]+"
    r"|\b(?:stated_twice|change_rate|implied_prior_year|score_total|final_account|self_evaluation)\b"
)


class _Page(HTMLParser):
    """Visible text, ids, in-page links and chart captions of a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self.figures = 0
        self.captions: list[str] = []
        self._skip = 0
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and (a.get("href") or "").startswith("#src-"):
            self.anchors.append(a["href"][1:])
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "figure" and "bb-chart" in (a.get("class") or ""):
            self.figures += 1
        if tag == "figcaption":
            self._caption = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "figcaption" and self._caption is not None:
            self.captions.append("".join(self._caption))
            self._caption = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._caption is not None:
            self._caption.append(data)


def chromium(*args: str) -> str:
    if CHROMIUM is None:
        if os.environ.get("BUDGETBOOK_REQUIRE_SHARED") == "1":
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return done.stdout


def rendered(page: Path) -> _Page:
    parser = _Page()
    parser.feed(chromium("--dump-dom", page.as_uri()))
    return parser


def pages(reports: Path) -> list[Path]:
    return [*sorted(reports.glob("*/02-department-report.html")), reports / "03-compare-departments.html"]


def assert_readable(reports: Path) -> int:
    found = pages(reports)
    assert len(found) >= 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(rendered, found))
    for path, page in zip(found, results, strict=True):
        text = " ".join(page.text)
        where = path.relative_to(reports)
        assert not FORBIDDEN.findall(text), (where, FORBIDDEN.findall(text)[:5])
        assert not FLOAT_YEAR.findall(text), (where, FLOAT_YEAR.findall(text)[:5])
        assert not CODE.findall(text), (where, CODE.findall(text)[:5])
        assert "Warning" not in text and "Traceback" not in text, where
        assert len(page.captions) == page.figures, where
        assert all(re.search(r"(?:19|20)\d\d年", c) for c in page.captions), (where, page.captions)
        missing = [a for a in page.anchors if a not in page.ids]
        assert not missing, (where, missing[:5])
        if path.name.startswith("02"):
            assert page.anchors, where  # key figures link to their source entries
            assert re.search(r"第\d+(?:页|行)", text), where  # which name a readable location
    return len(found)


def test_seed_reports_read_cleanly_in_a_browser(seeds_reports) -> None:
    reports, outcome = seeds_reports
    assert outcome.failures == []
    assert assert_readable(reports) == 5


def test_corpus_reports_read_cleanly_in_a_browser(corpus_reports) -> None:
    reports, outcome = corpus_reports
    assert outcome.failures == []
    assert assert_readable(reports) >= 15


def test_screenshots_of_two_departments_and_the_comparison(seeds_reports, corpus_reports, tmp_path: Path) -> None:
    """PNG screenshots a person looks at (kept in $BUDGETBOOK_SCREENSHOTS when set)."""
    out = Path(os.environ.get("BUDGETBOOK_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    shots = {
        "seed-department.png": seeds_reports[0] / "怀化市人民政府办公室" / "02-department-report.html",
        "corpus-department.png": pages(corpus_reports[0])[0],
        "corpus-comparison.png": corpus_reports[0] / "03-compare-departments.html",
    }
    for name, page in shots.items():
        chromium("--window-size=1200,5000", f"--screenshot={out / name}", page.as_uri())
        assert (out / name).stat().st_size > 20_000  # a drawn page, not a blank one
