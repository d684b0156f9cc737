"""Shared fixtures. Tests that read ../shared skip when it is absent, except on CI, where
BUDGETBOOK_REQUIRE_SHARED=1 makes them fail: CI must never pass by skipping them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from budgetbook.pipeline import RunResult, extract

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BUDGETBOOK_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus" / "pdf"
# The five seed documents (text exports) live in the shared folder, never copied into the repository.
SEEDS_RAW = SHARED / "seeds"
# The header row of the national template's 绩效指标 part (项目支出绩效自评表), as the seeds print it.
INDICATOR_HEADER = [
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]
# Headless Chromium for the report tests (.ci/run installs Debian's package): no sandbox as root, and no
# background traffic, which this machine's closed network would refuse.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def need_shared(path: Path) -> Path:
    """Return `path`, or skip (fail on CI) when the shared folder is missing."""
    if path.exists():
        return path
    message = f"{path} is missing (the shared folder is expected beside the repository)"
    if os.environ.get("BUDGETBOOK_REQUIRE_SHARED") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, Path]:
    """The whole PDF corpus extracted once (two workers), with the folder it was written to."""
    out = tmp_path_factory.mktemp("corpus")
    return extract(need_shared(CORPUS), out, jobs=2, progress=False), out


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, Path]:
    """The five seed documents of ../shared/seeds extracted once."""
    out = tmp_path_factory.mktemp("seeds")
    return extract(need_shared(SEEDS_RAW), out, jobs=1, progress=False), out


@pytest.fixture(scope="session")
def seeds_reports(tmp_path_factory: pytest.TempPathFactory):
    """`budgetbook run`'s workbook on the seeds, once per session: (reports folder, outcome)."""
    from budgetbook.workbook import run

    out = tmp_path_factory.mktemp("seeds-workbook")
    outcome = run(need_shared(SEEDS_RAW), out / "clean", out / "reports", REPO / "notebooks", jobs=2, progress=False)
    return out / "reports", outcome


@pytest.fixture(scope="session")
def corpus_reports(corpus_run):
    """The department reports and the comparison of the PDF corpus, from its extracted frames, once per session."""
    from budgetbook.workbook import report

    _, clean = corpus_run
    reports = clean.parent / "corpus-reports"
    outcome = report(clean, reports, REPO / "notebooks", jobs=2, progress=False, raw=CORPUS)
    return reports, outcome
