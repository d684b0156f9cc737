"""Performance indicators: the rows of 绩效目标表 and 绩效自评表.

The header row naming 一级指标 / 二级指标 / 三级指标 locates the columns (`data/tables.toml`
[indicators]); cells merged down the table (a 一级指标 over several rows) are filled down.
Each row is tied to its project: the 项目名称 of a one-project form, a project column of a
list, or none for a department-wide (整体支出) table.

A one-project self-evaluation form (项目支出绩效自评表) also states the project's funds: its
年度资金总额 row and the parts by source (当年财政拨款, 上年结转资金, 其他资金) under 年初预算数 /
全年预算数 / 全年执行数 / 执行率 columns (`data/tables.toml` [funds_form]); `funds_facts` turns
them into the project's figures on each basis, its execution rate and (from 总分) its score.
"""

from __future__ import annotations

import re
from functools import cache

from budgetbook.document import Table
from budgetbook.extract.facts import MONEY_UNITS, Fact, precision_of, to_wan
from budgetbook.extract.tables import _beside, clean_label, form_project
from budgetbook.extract.vocab import load
from budgetbook.text import parse_number, squash

FIELDS = ("level1", "level2", "level3", "description", "target", "actual", "weight", "score")
_POINTS = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_REFERENCE = re.compile(r"^(?:\[[^\]]*\]|【[^】]*】)|\S*?字?【\d{4}】\d+[号號]\s*")  # 號: a traditional copy
_DEPARTMENT_WIDE = ("整体支出", "部门整体")


def indicator_rows(table: Table) -> list[dict]:
    """The indicator rows of a table (none if it has no 一级/三级指标 header)."""
    vocab = load("tables")["indicators"]
    for h, row in enumerate(table.rows):
        columns = _columns(row)
        if "level1" in columns and ("level3" in columns or "level2" in columns):
            for above in table.rows[max(0, h - 2) : h]:  # a two-row header: 单位（项目）名称 above
                if sum(bool(c.strip()) for c in above) >= 3:  # not a form's 项目名称 | X line
                    # over a cell merged down into the header row, not over a header cell of its own
                    spans = {f: j for f, j in _columns(above).items() if j >= len(row) or not row[j].strip()}
                    columns = {**spans, **columns}
            return _rows(table, h, columns, vocab)
    return []


def _columns(row: list[str]) -> dict[str, int]:
    """The column of each indicator field whose header word the row prints (the first cell naming it)."""
    words = _fields_of_word()
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        field = next((f for f in words.get(squash(cell), ()) if f not in found), None)
        if field is not None:
            found[field] = j
    return found


@cache
def _fields_of_word() -> dict[str, tuple[str, ...]]:
    """Header word (tables.toml [indicators]) → the fields it may name, in the order fields are tried."""
    vocab = load("tables")["indicators"]
    out: dict[str, tuple[str, ...]] = {}
    for field in (*FIELDS, "project"):
        for word in dict.fromkeys(vocab[field]):
            out[word] = (*out.get(word, ()), field)
    return out


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


def clean_project(name: str) -> str:
    """A project name without its budget code and document number ([1307…]怀财字【2024】7号)."""
    s = name.strip()
    while True:
        stripped = _REFERENCE.sub("", s, count=1).strip()
        if stripped == s:
            return s
        s = stripped


_BASES = ("budget", "adjusted", "actual")
_FORM_KIND = "project_evaluation"


def funds_columns(table: Table) -> tuple[int, dict[int, str]] | None:
    """The header row of a form's funds block and its columns (index → budget / adjusted / actual /
    rate / score), or None if the table has no such block (two amount columns at least)."""
    vocab = load("tables")["funds_form"]["columns"]
    for h, row in enumerate(table.rows):
        found = {j: field for j, cell in enumerate(row) for field, words in vocab.items() if clean_label(cell) in words}
        if sum(f in _BASES for f in found.values()) >= 2:
            return h, found
    return None


def funds_facts(table: Table, table_id: int, fiscal_year: int | None) -> list[Fact]:
    """The project's funds, execution rate and score stated by a one-project self-evaluation form
    (none for a department-wide form, whose 年度资金总额 is the department's revenue)."""
    header = funds_columns(table)
    if header is None or any(w in squash(table.title) for w in _DEPARTMENT_WIDE):
        return []
    name = _beside(table, load("tables")["forms"]["name"], want_figure=False)
    project = clean_project(form_project(table)) if name else ""
    if not project:
        return []
    h, columns = header
    vocab = load("tables")["funds_form"]
    parts = {squash(k): v for k, v in vocab["parts"].items()}
    unit = table.unit if table.unit in MONEY_UNITS else "万元"
    out: list[Fact] = []
    for i, row in enumerate(table.rows[h + 1 :], start=h + 1):
        labels = [clean_label(c) for c in row[: min(columns)]]
        label = next((x for x in labels if x in vocab["totals"] or x in parts), None)
        if label is None:
            if out:
                break  # the funds block ends
            continue
        scope = "" if label in vocab["totals"] else parts[label]
        for j, field in columns.items():
            text = row[j].strip() if j < len(row) else ""
            value = parse_number(text.replace("%", "")) if text else None
            if value is None or field == "score" or (field == "rate" and scope):
                continue
            money = field in _BASES
            fact = Fact(
                "project" if money else "budget.execution_rate",
                to_wan(value, unit) if money else value,
                "万元" if money else "%",
                project,
                fiscal_year,
                field if money else "actual",
                f"{table.title}｜{row_label(row, j)}｜{table.rows[h][j].strip()}｜{text}",
                f"{_row_location(table, i)} t{table_id} r{i} c{j}",
                "table",
                precision_of(text, unit) if money else 0.0,
                scope=scope,
                table_kind=_FORM_KIND,
                column=table.rows[h][j].strip(),
            )
            out.append(fact)
    return out + _form_score(table, table_id, fiscal_year, project)


def row_label(row: list[str], before: int) -> str:
    """The last text cell left of column `before` (the row's label as printed)."""
    texts = [c.strip() for c in row[:before] if c.strip() and parse_number(c.replace("%", "")) is None]
    return texts[-1] if texts else ""


def _row_location(table: Table, i: int):
    return table.row_locations[i] if i < len(table.row_locations) else table.location


def _form_score(table: Table, table_id: int, fiscal_year: int | None, project: str) -> list[Fact]:
    """The form's 总分 row: the project's score (in the indicators' 得分 column, else its last figure)."""
    score_col = None
    for row in table.rows:
        cols = _columns(row)
        if "level3" in cols and "score" in cols:
            score_col = cols["score"]
    for i, row in enumerate(table.rows):
        if not row or squash(next((c for c in row if c.strip()), "")) != "总分":
            continue
        figures = [(j, c.strip()) for j, c in enumerate(row) if parse_number(c.strip()) is not None and c.strip()]
        chosen = [(j, c) for j, c in figures if j == score_col] or figures[-1:]
        for j, text in chosen:
            evidence = f"{table.title}｜总分｜{text}"
            location = f"{_row_location(table, i)} t{table_id} r{i} c{j}"
            return [
                Fact(
                    "performance.score",
                    float(parse_number(text)),
                    "分",
                    project,
                    fiscal_year,
                    "actual",
                    evidence,
                    location,
                    "table",
                    table_kind=_FORM_KIND,
                    column="得分",
                )
            ]
    return []
