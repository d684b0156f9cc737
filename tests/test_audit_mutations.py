"""Mutation tests of the audit on real documents: consistent real tables and sentences (the seeds
and the PDF corpus), changed one thing at a time in memory, must make the matching check fire as an
error or a warning; the unmutated documents give no error beyond the seeds' known findings.

Kinds of mutation: a cell of a standard table (a leaf, a total, a grand total), a figure stated in
a sentence (a share, a change, a rate, a total of parts), 增加 into 减少 in a comparison, a required
table removed, a year in a table title, the unit's name replaced by a placeholder (XX局).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from budgetbook.checks import Tolerance, run_checks
from budgetbook.checks_tables import blocks, children_of, codes_of, grids, table_checks
from budgetbook.checks_text import direction_checks, direction_pairs, placeholder_checks, year_checks
from budgetbook.completeness import completeness
from budgetbook.extract.vocab import load
from budgetbook.storage import read_frame
from tests.conftest import SEEDS_RAW, need_shared
from tests.test_checks import frames_of

NAMES = ["documents", "facts", "indicators", "tables", "paragraphs", "table_cells"]
PER_DOC_CELLS = 3
FACT_CHECKS = ("share", "change_rate", "change_amount", "sum:")


@dataclass
class Mutation:
    doc_id: str
    kind: str
    what: str
    fired: bool


def one_doc(frames: dict[str, pd.DataFrame], doc_id: str) -> dict[str, pd.DataFrame]:
    return {n: f.loc[f.doc_id == doc_id] for n, f in frames.items() if "doc_id" in f.columns}


def loud(found: list, check: str) -> set[str]:
    """Messages of errors and warnings of `check` (a prefix)."""
    return {f.message for f in found if f.check.startswith(check) and f.severity in ("error", "warning")}


def bump(text: str) -> str:
    """A printed amount changed by about a tenth (at least 7 units of its last digit), same format."""
    s = text.replace(",", "").replace("，", "").strip()
    decimals = len(s.split(".")[1]) if "." in s else 0
    value = float(s)
    delta = max(abs(value) * 0.1, 7 * 10**-decimals)
    return f"{value + delta:,.{decimals}f}"


# --- table cells -----------------------------------------------------------------------------


def cell_targets(frames: dict[str, pd.DataFrame]) -> list[tuple[int, int, int, str]]:
    """(table, row, col, kind) of leaf cells, parent cells and total cells of coded standard tables."""
    out = []
    for g in grids(frames["tables"], frames["table_cells"]):
        for b in blocks(g):
            codes = codes_of(g, b)
            kids = children_of(codes)
            if not kids:
                continue
            c = b.amounts[0]
            parent = next(iter(kids))
            leaf = kids[parent][0]
            for r, kind in ((leaf, "table cell (item)"), (parent, "table cell (class)")):
                if _amount(g.rows[r][c]):
                    out.append((g.table_id, r, c, kind))
            total = next(
                (
                    r
                    for r in range(g.n_header, len(g.rows))
                    if "合计" in g.rows[r][b.label or 0]
                    or (b.codes and g.rows[r][b.codes[0]].replace(" ", "") in ("合计", "总计"))
                ),
                None,
            )
            if total is not None and _amount(g.rows[total][c]):
                out.append((g.table_id, total, c, "table cell (total)"))
    return out[:PER_DOC_CELLS]


def _amount(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,]+(?:\.\d+)?", text.strip())) and float(text.replace(",", "")) != 0


def mutate_cell(frames: dict[str, pd.DataFrame], table: int, row: int, col: int) -> dict[str, pd.DataFrame]:
    cells = frames["table_cells"].copy()
    at = (cells.table_id == table) & (cells.row == row) & (cells.col == col)
    cells.loc[at, "text"] = cells.loc[at, "text"].map(bump)
    return {**frames, "table_cells": cells}


# --- stated figures ----------------------------------------------------------------------------


def fact_targets(frames: dict[str, pd.DataFrame], found: list) -> list[tuple[str, float]]:
    """(check, stated value) of checks that passed on prose figures: shares, changes, rates, totals."""
    out = []
    for f in found:
        one_place = len(set(f.location.split(" ‖ "))) == 1  # the whole comparison in one sentence
        if f.passed and f.check.startswith(FACT_CHECKS) and " t" not in f.location and one_place:
            stated = f.expected if f.check.startswith("sum:") else f.actual
            out.append((f.check, stated))
    return list(dict.fromkeys(out))[:2]


def _measure_of(check: str) -> str | None:
    """The measure whose stated figure a check compares: the total of a sum rule, the share or rate."""
    if check.startswith("sum:"):
        return next(r["total"] for r in load("checks")["sum"] if r["name"] == check[4:])
    return None


def mutate_fact(frames: dict[str, pd.DataFrame], value: float, check: str) -> dict[str, pd.DataFrame]:
    """The stated figure changed: a total made smaller (its parts then exceed it), a share or change larger."""
    facts = frames["facts"].copy()
    at = (facts.source == "prose") & ((facts.value - value).abs() < 1e-6)
    measure = _measure_of(check)
    if measure:
        at &= facts.measure == measure
        new = round(value * 0.9 - 7, 2)
    else:
        at &= facts.measure.str.endswith((".share", ".change", ".change_pct"))
        new = round(value * 1.1 + 7, 2)
    # the sentence itself changes: every figure read from it carries the new text as its evidence
    sentences = set(facts.loc[at, "evidence"])
    facts.loc[at, "value"] = new
    same = facts.evidence.isin(sentences)
    facts.loc[same, "evidence"] = facts.loc[same, "evidence"].map(lambda e: _rewrite(e, value, new))
    return {**frames, "facts": facts}


def _rewrite(sentence: str, old: float, new: float) -> str:
    """`sentence` with the printed figure `old` replaced by `new` (sign dropped: 减少 carries it)."""

    def swap(m: re.Match) -> str:
        return f"{abs(new):.2f}" if abs(float(m.group().replace(",", "")) - abs(old)) < 1e-6 else m.group()

    return re.sub(r"\d[\d,]*(?:\.\d+)?", swap, sentence)


# --- the run -------------------------------------------------------------------------------------


def corpus_mutations(frames: dict[str, pd.DataFrame]) -> list[Mutation]:
    results: list[Mutation] = []
    tol = Tolerance.default()
    for doc_id in frames["documents"].doc_id:
        doc = one_doc(frames, doc_id)
        base = run_checks(doc, tol)
        assert not [f.message for f in base if f.severity == "error"], doc_id  # unmutated: no error
        for table, row, col, kind in cell_targets(doc):
            found = list(table_checks(doc["tables"], mutate_cell(doc, table, row, col)["table_cells"]))
            results.append(Mutation(doc_id, kind, f"t{table} r{row} c{col}", bool(loud(found, "table:"))))
        for check, value in fact_targets(doc, base):
            found = run_checks(mutate_fact(doc, value, check), tol)
            results.append(Mutation(doc_id, f"figure in a sentence ({check})", str(value), bool(loud(found, check))))
        results.extend(_text_mutations(doc_id, doc))
    return results


def _text_mutations(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    out = []
    paragraphs, tables = doc["paragraphs"], doc["tables"]
    # 增加 into 减少 where the sentence compares two stated levels
    for i, text in zip(paragraphs.index, paragraphs.text.fillna(""), strict=True):
        pairs = direction_pairs(text)
        if not pairs or list(direction_checks(paragraphs.loc[[i]])):
            continue
        m, a, b, word = pairs[0]
        if a == b:
            continue
        swapped = m.group(0)[: -len(word)] + ("减少" if word in load("checks")["wording"]["up"] else "增加")
        mutated = paragraphs.loc[[i]].assign(text=m.string.replace(m.group(0), swapped))
        out.append(Mutation(doc_id, "增加↔减少", m.group(0)[:40], bool(list(direction_checks(mutated)))))
        break
    # a year in a standard table's title
    year = doc["documents"].fiscal_year.iloc[0]
    year = 0 if pd.isna(year) else int(year)
    titles = tables.title.fillna("")
    titled = tables.loc[titles.str.contains(f"{year}年") & titles.str.contains("表")]
    budget = doc["documents"].doc_kind.iloc[0] == "budget"
    if year and not titled.empty and budget and not list(year_checks(doc["documents"], tables)):
        i = titled.index[0]
        moved = tables.assign(
            title=tables.title.where(tables.index != i, titled.title[i].replace(str(int(year)), str(int(year) - 1), 1))
        )
        out.append(
            Mutation(doc_id, "year in a table title", titled.title[i], bool(list(year_checks(doc["documents"], moved))))
        )
    # the unit's name replaced by a placeholder
    name = str(doc["documents"].department.iloc[0] or "")
    hit = (
        paragraphs.loc[paragraphs.text.fillna("").str.contains(name, regex=False)]
        if len(name) >= 4
        else paragraphs.iloc[:0]
    )
    if not hit.empty and not list(placeholder_checks(paragraphs, tables)):
        i = hit.index[0]
        texts = paragraphs.text.where(paragraphs.index != i, hit.text[i].replace(name, "XX局"))
        found = list(placeholder_checks(paragraphs.assign(text=texts), tables))
        out.append(Mutation(doc_id, "unit name → XX局", name, bool(found)))
    # a required table removed
    status = completeness({**doc, "facts": doc["facts"]}).set_index("item").status
    for item in ("收支总表", "财政拨款收支总表", "一般公共预算支出表"):
        where = completeness(doc).set_index("item")["where"].get(item, "")
        if status.get(item) == "present" and str(where).startswith("表"):
            table_id = int(re.match(r"表(\d+)", where).group(1))
            removed = {**doc, "tables": tables.loc[tables.table_id != table_id]}
            after = completeness(removed).set_index("item").status.get(item)
            out.append(Mutation(doc_id, "required table removed", item, after == "absent"))
            break
    return out


def _compares_levels(text: str) -> bool:
    return bool(
        re.search(r"\d万元[^。；]{0,8}(?:比|较)[^。；0-9]{0,20}\d+(?:\.\d+)?万元[^。；0-9]{0,4}(?:增加|减少)", text)
    )


def seed_mutations(frames: dict[str, pd.DataFrame]) -> list[Mutation]:
    """Seeds re-read from their text with one figure of a passing sentence changed."""
    out = []
    base = run_checks(frames)
    for path in sorted(need_shared(Path(SEEDS_RAW)).rglob("*.txt")):
        doc_id = path.stem
        lines = path.read_text(encoding="utf-8").splitlines()
        known = {f.message for f in base if f.doc_id == doc_id and f.severity in ("error", "warning")}
        for f in base:
            one_place = len(set(f.location.split(" ‖ "))) == 1
            if f.doc_id != doc_id or not f.passed or not f.check.startswith(FACT_CHECKS) or not one_place:
                continue
            line_no = re.search(r"\bl(\d+)\b", f.location)
            stated = f.expected if f.check.startswith("sum:") else f.actual
            if line_no is None or stated is None:
                continue
            i = int(line_no.group(1)) - 1
            smaller = f.check.startswith("sum:")  # a total made smaller: its parts then exceed it
            mutated = _replace_figure(lines[i], stated, smaller) if 0 <= i < len(lines) else None
            if mutated is None:
                continue
            changed = frames_of((doc_id, [*lines[:i], mutated, *lines[i + 1 :]]))["checks"]
            new = set(
                changed.loc[
                    changed.check.str.startswith(f.check) & changed.severity.isin(["error", "warning"]), "message"
                ]
            )
            out.append(Mutation(doc_id, f"seed sentence ({f.check})", f"{stated}", bool(new - known)))
            if sum(m.doc_id == doc_id for m in out) >= 3:
                break
        out.extend(_seed_direction(doc_id, lines, known))
    return out


def _seed_direction(doc_id: str, lines: list[str], known: set[str]) -> list[Mutation]:
    """增加 into 减少 in the first sentence of a seed that compares two stated levels."""
    up = load("checks")["wording"]["up"]
    for i, line in enumerate(lines):
        pairs = direction_pairs(line)
        if not pairs or pairs[0][1] == pairs[0][2]:
            continue
        m, _, _, word = pairs[0]
        swapped = line.replace(m.group(0), m.group(0)[: -len(word)] + ("减少" if word in up else "增加"), 1)
        if swapped == line:
            continue
        checks = frames_of((doc_id, [*lines[:i], swapped, *lines[i + 1 :]]))["checks"]
        new = set(checks.loc[(checks.check == "wording") & (checks.severity == "error"), "message"]) - known
        return [Mutation(doc_id, "增加↔减少", m.group(0)[:40], bool(new))]
    return []


def _replace_figure(line: str, value: float, smaller: bool) -> str | None:
    for text in (f"{value:.2f}", f"{value:g}", f"{value:.1f}", f"{abs(value):.2f}", f"{abs(value):g}"):
        m = re.search(rf"(?<![\d.]){re.escape(text)}(?![\d])", line)
        if m:
            new = f"{abs(value) * 0.9:.2f}" if smaller else bump(text).replace(",", "")
            return line[: m.start()] + new + line[m.end() :]
    return None


@pytest.fixture(scope="module")
def mutations(corpus_run, seeds_run) -> list[Mutation]:
    corpus = {n: read_frame(corpus_run[1], n) for n in NAMES}
    seeds = {n: read_frame(seeds_run[1], n) for n in NAMES}
    return corpus_mutations(corpus) + seed_mutations(seeds)


def test_every_mutation_is_found(mutations: list[Mutation]) -> None:
    found = sum(m.fired for m in mutations)
    kinds = pd.Series([m.kind.split(" (")[0] for m in mutations]).value_counts().to_dict()
    print(
        f"\nmutation score: {found}/{len(mutations)} found ({100 * found / max(1, len(mutations)):.0f}%); kinds: {kinds}"
    )
    missed = [m for m in mutations if not m.fired]
    assert not missed, missed
    assert len(mutations) >= 60
    assert len({m.doc_id for m in mutations if not m.doc_id[:1].isdigit()}) >= 8  # at least eight corpus PDFs
    assert {
        "table cell",
        "figure in a sentence",
        "year in a table title",
        "unit name → XX局",
        "required table removed",
        "增加↔减少",
        "seed sentence",
    } <= set(kinds)
