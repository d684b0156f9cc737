"""The Excel workbooks: one per department, and the workbook-wide summary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from budgetbook.report import data
from budgetbook.report.excel import write_workbook
from budgetbook.report.names import safe_names

TIDY_SHEETS = {
    "documents": "文件",
    "facts": "数据",
    "indicators": "绩效指标",
    "checks": "校验",
    "completeness": "公开完整性",
    "problems": "问题",
    "table_cells": "表格单元格",
}


def department_dir(reports: Path, department: str, departments: list[str]) -> Path:
    """The department's folder under `reports`, named safely and distinctly."""
    return Path(reports) / safe_names(sorted({*departments, department}))[department]


def department_workbook(frames: dict[str, pd.DataFrame], department: str, reports: Path) -> Path:
    """reports/<department>/<department>.xlsx with one sheet per topic."""
    folder = department_dir(reports, department, data.departments(frames))
    facts = data.department_facts(frames, department)
    sheets = {
        "概况": data.department_documents(frames, department),
        "关键数据": data.key_figures(frames, department)[
            ["指标", "year", "口径", "value", "unit", "说明", "doc_id", "location", "evidence"]
        ],
        "“三公”经费": data.sangong_by_year(frames, department).reset_index(),
        "项目": data.projects_ranked(frames, department, top=500),
        "预算与执行": data.budget_against_actual(frames, department),
        "绩效指标": data.department_indicators(frames, department),
        "校验": data.department_findings(frames, department),
        "公开完整性": data.department_completeness(frames, department),
        "全部数据": facts.drop(columns=["source"], errors="ignore"),
    }
    return write_workbook(folder / f"{folder.name}.xlsx", sheets)


def summary_workbook(frames: dict[str, pd.DataFrame], reports: Path) -> Path:
    """reports/summary.xlsx: the tidy frames and the comparison of departments."""
    sheets = {"部门比较": data.comparison(frames)}
    sheets.update({title: frames[name] for name, title in TIDY_SHEETS.items() if name in frames})
    return write_workbook(Path(reports) / "summary.xlsx", sheets)
