"""Performance indicators: the rows of 绩效目标表 and 绩效自评表.

The header row naming 一级指标 / 二级指标 / 三级指标 locates the columns (`data/tables.toml`
[indicators]); cells merged down the table (a 一级指标 over several rows) are filled down.
Each row is tied to its project: the 项目名称 of a one-project form, a project column of a
list, or none for a department-wide (整体支出) table.
"""

from __future__ import annotations

import re

from budgetbook.document import Table
from budgetbook.extract.tables import _beside, clean_label
from budgetbook.extract.vocab import load
from budgetbook.text import squash

FIELDS = ("level1", "level2", "level3", "description", "target", "actual", "weight", "score")
_POINTS = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_REFERENCE = re.compile(r"^(?:\[[^\]]*\]|【[^】]*】)|\S*?字?【\d{4}】\d+[号號]\s*")  # 號: a traditional copy
_TITLE_TAIL = re.compile(r"(?:项目)?(?:支出)?绩效(?:目标|自评|评价)(?:申报)?表.*$")
_DEPARTMENT_WIDE = ("整体支出", "部门整体")


def indicator_rows(table: Table) -> list[dict]:
    """The indicator rows of a table (none if it has no 一级/三级指标 header)."""
    vocab = load("tables")["indicators"]
    for h, row in enumerate(table.rows):
        columns = _columns(row, vocab)
        if "level1" in columns and ("level3" in columns or "level2" in columns):
            for above in table.rows[max(0, h - 2) : h]:  # a two-row header: 单位（项目）名称 above
                if sum(bool(c.strip()) for c in above) >= 3:  # not a form's 项目名称 | X line
                    # over a cell merged down into the header row, not over a header cell of its own
                    spans = {f: j for f, j in _columns(above, vocab).items() if j >= len(row) or not row[j].strip()}
                    columns = {**spans, **columns}
            return _rows(table, h, columns, vocab)
    return []


def _columns(row: list[str], vocab: dict) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        text = squash(cell)
        for field in (*FIELDS, "project"):
            if field not in found and any(text == w for w in vocab[field]):
                found[field] = j
                break
    return found


def _rows(table: Table, h: int, columns: dict[str, int], vocab: dict) -> list[dict]:
    project = "" if any(w in squash(table.title) for w in _DEPARTMENT_WIDE) else form_project(table)
    out: list[dict] = []
    last = {"level1": "", "level2": "", "project": project}
    for i, row in enumerate(table.rows[h + 1 :], start=h + 1):
        cells = {f: row[j].strip() if j < len(row) else "" for f, j in columns.items()}
        first = next((c for c in row if c.strip()), "")
        if squash(first) in vocab["end"]:
            if out:
                break
            continue  # a 合计 row before the indicators (长沙 lists open with it)
        for field in ("level1", "level2", "project"):  # merged down the table
            if cells.get(field):
                last[field] = cells[field]
            cells[field] = last[field]
        if not cells.get("level3") or not (cells.get("target") or cells.get("actual")):
            continue
        record = {f: cells.get(f, "") for f in FIELDS}
        record["level1"] = _POINTS.sub("", record["level1"])
        loc = table.row_locations[i] if i < len(table.row_locations) else table.location
        out.append({"project": clean_project(cells["project"]), **record, "location": f"{loc} r{i}"})
    return out


def form_project(table: Table) -> str:
    """The project a one-project table is about: its 项目名称, else its title."""
    found = _beside(table, load("tables")["forms"]["name"], want_figure=False)
    title = _TITLE_TAIL.sub("", clean_label(table.title))
    if found and not (title.startswith(squash(found[0])) and len(title) > len(squash(found[0]))):
        return found[0]
    return title  # also when the form's name cell was cut at a page break


def clean_project(name: str) -> str:
    """A project name without its budget code and document number ([1307…]怀财字【2024】7号)."""
    s = name.strip()
    while True:
        stripped = _REFERENCE.sub("", s, count=1).strip()
        if stripped == s:
            return s
        s = stripped
