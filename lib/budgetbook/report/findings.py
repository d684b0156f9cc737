"""What a report says of the audit: the findings the document is surely wrong in (确定), apart from those a
person should look at (疑似, with what to look at), and the obligations ledger's coverage
("42项中核对35项，通过33项")."""

from __future__ import annotations

import pandas as pd

from budgetbook.report.data import KIND_NAMES, YEAR, finding_sentence, plain, readable_location
from budgetbook.report.present import COUNT, ReaderTable

SURE, SUSPECT = "确定", "疑似"
LEDGER_FRAME = "audit_ledger"


def _grades(checks: pd.DataFrame) -> pd.Series:
    """Each finding's grade; frames written before grades existed: from the severity."""
    fallback = checks.severity.map({"error": SURE, "warning": SUSPECT}).fillna("未能核对")
    if "grade" not in checks:
        return fallback
    return checks["grade"].where(checks["grade"].fillna("") != "", fallback)


def _department_checks(frames: dict[str, pd.DataFrame], department: str, grade: str) -> pd.DataFrame:
    if "checks" not in frames:
        return pd.DataFrame()
    docs = frames["documents"][["doc_id", "fiscal_year", "source_file"]]
    checks = frames["checks"].loc[lambda c: (c.department == department) & ~c.passed.fillna(False)]
    checks = checks.loc[_grades(checks) == grade]
    return checks.merge(docs, on="doc_id").sort_values(["fiscal_year", "check"], kind="stable")


def department_findings(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    """The findings graded 确定: the document is inconsistent there."""
    checks = _department_checks(frames, department, SURE)
    if checks.empty:
        return ReaderTable(pd.DataFrame(columns=["部门", "年度", "等级", "说明"]), empty="未发现确定的问题。")
    table = pd.DataFrame(
        {
            "部门": department,
            "年度": checks.fiscal_year,
            "等级": SURE,
            "说明": checks.message.map(finding_sentence),
            "原文": checks.evidence.map(plain),
            "位置": checks.location.map(readable_location),
            "源文件": checks.source_file,
        }
    )
    return ReaderTable(table, {"年度": YEAR})


def department_suspects(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    """The findings graded 疑似: a person should look, and at what."""
    checks = _department_checks(frames, department, SUSPECT)
    if checks.empty:
        return ReaderTable(pd.DataFrame(columns=["部门", "年度", "等级", "说明"]), empty="没有待复核的疑似问题。")
    why = checks["why"].fillna("") if "why" in checks else pd.Series("", index=checks.index)
    table = pd.DataFrame(
        {
            "部门": department,
            "年度": checks.fiscal_year,
            "等级": SUSPECT,
            "说明": checks.message.map(finding_sentence),
            "复核要点": why.where(why != "", "请对照原文核实所涉数字").map(plain),
            "原文": checks.evidence.map(plain),
            "位置": checks.location.map(readable_location),
            "源文件": checks.source_file,
        }
    )
    return ReaderTable(table, {"年度": YEAR})


def _ledger(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    ledger = frames.get(LEDGER_FRAME)
    if ledger is None or ledger.empty:
        return pd.DataFrame()
    docs = frames["documents"][["doc_id", "fiscal_year"]]
    return ledger.loc[ledger.department == department].merge(docs, on="doc_id")


def department_coverage(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    """Per document: how many obligations apply, how many were checked, how many held."""
    ledger = _ledger(frames, department)
    if ledger.empty:
        return ReaderTable(pd.DataFrame(), empty="未生成核对清单。")
    rows = []
    for (_doc, year, kind), g in ledger.groupby(["doc_id", "fiscal_year", "doc_kind"], dropna=False, sort=True):
        applicable = int(g.status.ne("不适用").sum())
        checked = int(g.status.isin(["通过", "未通过"]).sum())
        passed = int(g.status.eq("通过").sum())
        rows.append(
            {
                "部门": department,
                "年度": year,
                "文件类型": KIND_NAMES.get(str(kind), str(kind)),
                "核对情况": f"{applicable}项中核对{checked}项，通过{passed}项",
                "适用事项": applicable,
                "已核对": checked,
                "通过": passed,
                "未通过": int(g.status.eq("未通过").sum()),
                "数据不足": int(g.status.eq("数据不足").sum()),
            }
        )
    table = pd.DataFrame(rows)
    kinds = {"年度": YEAR, **{c: COUNT for c in ("适用事项", "已核对", "通过", "未通过", "数据不足")}}
    return ReaderTable(table, kinds)


def department_ledger(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    """Every obligation of every document of the department, with its status and why."""
    ledger = _ledger(frames, department)
    if ledger.empty:
        return ReaderTable(pd.DataFrame(), empty="未生成核对清单。")
    ledger = ledger.loc[ledger.status != "不适用"]
    table = pd.DataFrame(
        {
            "部门": department,
            "年度": ledger.fiscal_year,
            "文件类型": ledger.doc_kind.map(lambda k: KIND_NAMES.get(str(k), str(k))),
            "类别": ledger["group"],
            "编号": ledger.obligation,
            "核对事项": ledger["name"],
            "结果": ledger.status,
            "说明": ledger.detail.map(plain),
        }
    )
    return ReaderTable(table, {"年度": YEAR})
