"""The templates' fixed sentences, checked against the figures they state (`data/checks.toml` [[sentence]]).

Each entry of [[sentence]] is one fixed sentence of the national templates with the check it feeds:

- ``final_vs_budget``: 年初预算为X万元，支出决算为Y万元……决算数大于/小于/等于预算数 — the word against X and Y;
- ``completion``: 完成年初预算的Z% — Z against Y / X (and X = 0 with a rate stated is implausible);
- ``as_of``: 截至YYYY年MM月DD日 — the year a budget or final account states its holdings at;
- ``punctuation``: a doubled 。。/，， left in the text.

A new phrasing of a sentence is one more pattern there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pandas as pd

from budgetbook.audit.model import Finding, _page, column_values, fmt, in_wan
from budgetbook.extract.vocab import load
from budgetbook.text import normalize

_AMOUNT = r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|亿元|元)"


@cache
def _sentences() -> dict[str, dict]:
    return {s["check"]: s for s in load("checks")["sentence"]}


@cache
def _pattern(check: str, key: str) -> re.Pattern:
    """The sentence's pattern `key`, with {amount} and {percent} filled in."""
    text = _sentences()[check][key]
    return re.compile(text.replace("{amount}", _AMOUNT).replace("{percent}", r"(\d+(?:\.\d+)?)\s*%"))


def _precision(value: str, unit: str) -> float:
    decimals = len(value.partition(".")[2])
    return in_wan("0." + "0" * decimals + "5" if decimals else "0.5", unit)


def _texts(paragraphs: pd.DataFrame) -> Iterator[tuple[str, str, str]]:
    for d, loc, text in column_values(paragraphs.doc_id, paragraphs.location, paragraphs.text.fillna("")):
        yield str(d), str(loc), normalize(str(text))


def final_vs_budget_checks(paragraphs: pd.DataFrame) -> Iterator[Finding]:
    """决算数大于预算数 where the stated 决算 is below the stated 年初预算 (and 小于/等于 alike)."""
    figures, word = _pattern("final_vs_budget", "figures"), _pattern("final_vs_budget", "word")
    words = _sentences()["final_vs_budget"]["words"]
    for d, loc, t in _texts(paragraphs):
        if "决算" not in t or "预算" not in t:
            continue
        for m in figures.finditer(t):
            said = word.search(t, m.end(), m.end() + 400)
            if not said:
                continue
            b, final = (3, 4) if m.group(3) else (1, 2), in_wan(m.group(5), m.group(6))
            budget = in_wan(m.group(b[0]), m.group(b[1]))
            allowed = _precision(m.group(b[0]), m.group(b[1])) + _precision(m.group(5), m.group(6))
            relation = words[said.group(1)]
            diff = final - budget
            fits = {"greater": diff > allowed, "less": diff < -allowed, "equal": abs(diff) <= allowed}[relation]
            if fits:
                continue
            name = "全年预算" if m.group(3) else "年初预算"
            message = (
                f"决算与预算的比较用语与数字不符：第{_page(loc)}页正文称「{said.group(0)}」，"
                f"而{name}为{fmt(budget)}万元，决算为{fmt(final)}万元"
            )
            evidence = f"{m.group(0)}……{said.group(0)}"
            yield Finding(d, "wording", "error", False, budget, final, message, evidence, f"{d} {loc}")


def completion_checks(paragraphs: pd.DataFrame, tolerance: float = 0.01) -> Iterator[Finding]:
    """年初预算为X万元，……决算为Y万元，完成年初预算的Z%: Z = Y / X (within the rounding of the three)."""
    figures, rate = _pattern("final_vs_budget", "figures"), _pattern("completion", "rate")
    for d, loc, t in _texts(paragraphs):
        if "完成" not in t:
            continue
        for m in figures.finditer(t):
            said = rate.search(t, m.end(), m.end() + 60)
            if not said:
                continue
            budget, final, z = in_wan(m.group(1), m.group(2)), in_wan(m.group(5), m.group(6)), float(said.group(1))
            where = f"第{_page(loc)}页正文"
            if budget == 0:
                if z != 0:
                    message = f"数字不合常理：{where}年初预算为0，却称完成年初预算的{fmt(z)}%"
                    yield Finding(d, "implausible", "warning", False, 0.0, z, message, said.group(0), f"{d} {loc}")
                continue
            computed = final / budget * 100
            decimals = len(said.group(1).partition(".")[2])
            p_b, p_f = _precision(m.group(1), m.group(2)), _precision(m.group(5), m.group(6))
            allowed = max(tolerance, 0.5 * 10**-decimals + (p_f / budget + final * p_b / budget**2) * 100)
            passed = abs(computed - z) <= allowed + 1e-9
            message = (
                f"完成率：{where}决算{fmt(final)}万元占年初预算{fmt(budget)}万元的{fmt(round(computed, 2))}%，"
                f"文中为{fmt(z)}%，{'相符' if passed else '不符'}"
            )
            severity = "info" if passed else "error"
            yield Finding(
                d,
                "completion_rate",
                severity,
                passed,
                round(computed, 4),
                z,
                message,
                f"{m.group(0)}……{said.group(0)}",
                f"{d} {loc}",
            )


def as_of_checks(paragraphs: pd.DataFrame, documents: pd.DataFrame) -> Iterator[Finding]:
    """截至YYYY年MM月DD日 in a final account of another year, or in a budget not of the year before."""
    pattern = _pattern("as_of", "date")
    expected = _sentences()["as_of"]["offset"]
    years = {
        str(d): (int(y), str(k))
        for d, y, k in column_values(documents.doc_id, documents.fiscal_year, documents.doc_kind)
        if not pd.isna(y) and str(k) in expected
    }
    for d, loc, t in _texts(paragraphs):
        if d not in years or "截至" not in t:
            continue
        fiscal, kind = years[d]
        want = fiscal + int(expected[kind])
        for m in pattern.finditer(t):
            year = int(m.group(1))
            if year == want:
                continue
            name = "决算" if kind == "final_account" else "预算"
            message = (
                f"日期与年度不符：{fiscal}年度{name}第{_page(loc)}页称「{m.group(0)}」，"
                f"应为{want}年（文件年度{fiscal}年）"
            )
            yield Finding(
                d, "as_of_year", "warning", False, float(want), float(year), message, m.group(0), f"{d} {loc}"
            )
            break


def punctuation_checks(paragraphs: pd.DataFrame) -> Iterator[Finding]:
    """A doubled 。。 or ，， left in the text (a form slip, shown once per document)."""
    pattern = _pattern("punctuation", "doubled")
    seen: set[str] = set()
    for d, loc, t in _texts(paragraphs):
        if d in seen:
            continue
        m = pattern.search(t)
        if m:
            seen.add(d)
            around = t[max(0, m.start() - 12) : m.end() + 4]
            message = f"标点重复：第{_page(loc)}页正文「{around}」"
            yield Finding(d, "punctuation", "warning", False, None, None, message, around, f"{d} {loc}")


def template_checks(frames: dict[str, pd.DataFrame]) -> Iterator[Finding]:
    """Every check of the templates' fixed sentences."""
    paragraphs = frames.get("paragraphs")
    if paragraphs is None or paragraphs.empty:
        return
    yield from final_vs_budget_checks(paragraphs)
    yield from completion_checks(paragraphs)
    if "documents" in frames:
        yield from as_of_checks(paragraphs, frames["documents"])
    yield from punctuation_checks(paragraphs)
