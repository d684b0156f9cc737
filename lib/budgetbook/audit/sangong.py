"""The "三公" table against the text."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from budgetbook.audit.figures import SANGONG
from budgetbook.audit.model import Finding, Tolerance, _evidence, _fmt, _name, _where
from budgetbook.extract.vocab import load


def _blank_cell(f: pd.Series) -> bool:
    return f.source == "table" and str(f.evidence).endswith("｜（空）")


def sangong_table_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    """The "三公" table against the text: a figure the text states where the table's cell is blank or 0,
    and a figure the table prints where the text says there is none (0万元, 无…)."""
    # "三公" are of the general budget's fiscal funds: another fund's sub-column (政府性基金 0.00) is not them
    other_fund = facts.scope.fillna("").isin(load("checks")["grade"]["other_funds"])
    mine = facts.loc[facts.measure.isin(SANGONG) & ~facts.doubtful & (facts.context == facts.scope) & ~other_fund]
    table = (
        mine.loc[(mine.source == "table") & (mine.table_kind.fillna("") == "sangong")] if "table_kind" in mine else None
    )
    if table is None or table.empty:
        return
    prose = mine.loc[mine.source == "prose"]
    keys = ["doc_id", "measure", "year", "basis", "entity"]  # "三公" are of fiscal funds, whatever scope is named
    stated = {k: list(g.itertuples()) for k, g in prose.groupby(keys, dropna=False, sort=False)}
    for key, cells in table.groupby(keys, dropna=False, sort=False):
        for cell in cells.drop_duplicates("value").itertuples():
            for said in stated.get(key, []):
                zero_cell, zero_text = abs(cell.value) < 1e-9, abs(said.value) < 1e-9
                if zero_cell == zero_text:
                    continue  # both state it (values compared as a figure stated twice) or neither does
                cell_f, said_f = pd.Series(cell._asdict()), pd.Series(said._asdict())
                allowed = max(tol.money, cell.precision + said.precision)
                if abs(cell.value - said.value) <= allowed:
                    continue  # 0.004 printed as 0.00
                shown = "空白" if _blank_cell(cell_f) else f"为{_fmt(cell.value)}{cell.unit}"
                message = (
                    f"“三公”经费表与正文不符：{_name(cell_f)}，表中{shown}（{_where(cell_f)}），"
                    f"正文为{_fmt(said.value)}{said.unit}（{_where(said_f)}）"
                )
                evidence, location = _evidence([cell_f, said_f])
                yield Finding(
                    cell.doc_id, "sangong_table", "error", False, cell.value, said.value, message, evidence, location
                )
                break
