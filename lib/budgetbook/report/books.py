"""The Excel workbooks: one per department, and the workbook-wide summary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from budgetbook.report import data, findings
from budgetbook.report.excel import write_workbook
from budgetbook.report.names import safe_names
from budgetbook.report.present import COUNT, PERCENT, SCORE, YEAR, ReaderTable


def department_dir(reports: Path, department: str, departments: list[str]) -> Path:
    """The department's folder under `reports`, named safely and distinctly."""
    return Path(reports) / safe_names(sorted({*departments, department}))[department]


def department_workbook(
    frames: dict[str, pd.DataFrame], department: str, reports: Path, raw_dir: Path | str | None = None
) -> Path:
    """reports/<department>/<department>.xlsx with one sheet per topic, each with 部门 and 年度."""
    folder = department_dir(reports, department, data.departments(frames))
    sheets = {
        "概况": data.department_documents(frames, department),
        "关键数据": data.key_figures_table(frames, department, raw_dir, folder),
        "“三公”经费": data.sangong_by_year(frames, department),
        "项目": data.projects_table(frames, department),
        "预算与执行": data.budget_against_actual(frames, department),
        "绩效指标": data.department_indicators(frames, department),
        "校验": findings.department_findings(frames, department),
        "待复核": findings.department_suspects(frames, department),
        "核对清单": findings.department_ledger(frames, department),
        "核对覆盖": findings.department_coverage(frames, department),
        "公开完整性": data.department_completeness(frames, department),
        "全部数据": data.all_facts(frames, department),
    }
    return write_workbook(folder / f"{folder.name}.xlsx", sheets)


def summary_workbook(frames: dict[str, pd.DataFrame], reports: Path) -> Path:
    """reports/summary.xlsx: the comparison, one wide sheet of department × key figure, and every figure."""
    docs = frames["documents"]
    sheets = {
        "部门比较": data.comparison(frames),
        "关键数据宽表": data.wide_figures(frames),
        "文件": data.extraction_summary(frames),
        "数据": data.all_facts(frames),
        "绩效指标": _all(frames, data.department_indicators),
        "校验": _all(frames, findings.department_findings),
        "待复核": _all(frames, findings.department_suspects),
        "核对覆盖": _all(frames, findings.department_coverage),
        "公开完整性": _all(frames, data.department_completeness),
        "问题": data.problems_table(frames),
    }
    del docs
    return write_workbook(Path(reports) / "summary.xlsx", sheets)


def _all(frames: dict[str, pd.DataFrame], table) -> ReaderTable:
    """One topic's table for every department, stacked."""
    parts = [table(frames, d) for d in data.departments(frames)]
    parts = [p for p in parts if not p.frame.empty]
    if not parts:
        return ReaderTable(pd.DataFrame(columns=["部门", "年度"]))
    kinds = {k: v for p in parts for k, v in p.kinds.items() if v in (YEAR, COUNT, PERCENT, SCORE)}
    return ReaderTable(pd.concat([p.frame for p in parts], ignore_index=True), kinds)
