"""The issues' acceptance figures, as scored by ../shared/tools/score.py."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import SHARED, need_shared


def score(out, prefix: str) -> str:
    tool = need_shared(SHARED / "tools" / "score.py")
    result = subprocess.run(
        [sys.executable, str(tool), str(out), "--prefix", prefix], capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def test_seeds_meet_the_gold(seeds_run) -> None:
    line = score(seeds_run[1], "seeds")
    assert "documents 30/30" in line and "table rows 181/181" in line and "indicators 40/40" in line, line
    ok, total, wrong = map(int, re.search(r"facts (\d+)/(\d+) \(.*?\) wrong (\d+)", line).groups())
    assert ok / total >= 0.98 and wrong == 0, line


def test_corpus_meets_the_gold(corpus_run) -> None:
    line = score(corpus_run[1], "corpus")
    ok_docs, total_docs = map(int, re.search(r"documents (\d+)/(\d+)", line).groups())
    ok, total, wrong = map(int, re.search(r"facts (\d+)/(\d+) \(.*?\) wrong (\d+)", line).groups())
    assert ok_docs / total_docs >= 0.95, line
    assert ok / total >= 0.90 and wrong <= 0.02 * total, line
