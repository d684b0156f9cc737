"""Every error and warning the audit raises on the two real corpora was checked by hand against the
PDF and is listed in tests/data/audit_verdicts.csv; a new finding, or one judged false, fails."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from budgetbook.pipeline import extract
from budgetbook.storage import read_frame
from tests.conftest import SHARED, need_shared

VERDICTS = Path(__file__).parent / "data" / "audit_verdicts.csv"


def figures(row: pd.Series) -> str:
    """The figures a finding compares, as the verdicts file keys them (万元, no trailing zeros)."""
    values = [v for v in (row.expected, row.actual) if pd.notna(v)]
    return "|".join(f"{float(v):.4f}".rstrip("0").rstrip(".") for v in values)


def verdicts() -> dict[tuple[str, str, str], str]:
    with VERDICTS.open(encoding="utf-8") as f:
        return {(r["document"], r["check"], r["figures"]): r["verdict"] for r in csv.DictReader(f)}


@pytest.fixture(scope="session")
def wide_checks(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The wide corpus (74 crawled PDFs) extracted once and audited."""
    out = tmp_path_factory.mktemp("wide")
    extract(need_shared(SHARED / "corpus" / "wide"), out, jobs=2, progress=False)
    return read_frame(out, "checks")


def reported(checks: pd.DataFrame) -> set[tuple[str, str, str]]:
    found = checks.loc[checks.severity.isin(["error", "warning"])]
    return {(r.doc_id, r.check, figures(r)) for _, r in found.iterrows()}


def test_the_verdicts_file_judges_every_finding_real() -> None:
    judged = verdicts()
    assert judged and set(judged.values()) == {"real"}, [k for k, v in judged.items() if v != "real"]


def test_every_corpus_finding_was_checked_and_is_real(corpus_run, wide_checks) -> None:
    judged = verdicts()
    found = reported(read_frame(corpus_run[1], "checks")) | reported(wide_checks)
    unjudged = sorted(found - set(judged))
    assert not unjudged, f"findings nobody checked against the PDF: {unjudged}"
    false = [k for k in found if judged[k] != "real"]
    assert not false, f"false alarms: {false}"
    print(f"\ncorpus findings: {len(found)}, all checked against the PDFs and real")


def test_no_verified_finding_is_lost(corpus_run, wide_checks) -> None:
    """Every finding of the two corpora judged real on the PDF is still reported, 确定 or 疑似."""
    checks = pd.concat([read_frame(corpus_run[1], "checks"), wide_checks], ignore_index=True)
    docs = set(checks.doc_id)
    graded = {
        (r.doc_id, r.check, figures(r)): r.grade
        for _, r in checks.loc[~checks.passed.fillna(False)].iterrows()
    }
    mine = [k for k, v in verdicts().items() if v == "real" and k[0] in docs]
    lost = [k for k in mine if graded.get(k) not in ("确定", "疑似")]
    assert len(mine) >= 13 and not lost, lost
    sure = sum(graded[k] == "确定" for k in mine)
    print(f"\nverified findings: {len(mine)}, {sure} 确定 and {len(mine) - sure} 疑似")
