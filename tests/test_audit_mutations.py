"""Mutation tests of the audit on real documents: consistent real tables and sentences (the seeds
and the PDF corpus), changed one thing at a time in memory, must make the matching check fire as an
error or a warning; the unmutated documents give no error beyond the seeds' known findings.

Kinds of mutation: a cell of a standard table (a leaf, a total, a grand total), a figure stated in
a sentence (a share, a change, a rate, a total of parts), 增加 into 减少 in a comparison, a required
table removed, a year in a table title, the unit's name replaced by a placeholder (XX局).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from budgetbook.audit import (
    Tolerance,
    blocks,
    children_of,
    codes_of,
    comparison_checks,
    completeness,
    direction_checks,
    direction_pairs,
    empty_table_checks,
    grids,
    heading_year_checks,
    headings,
    placeholder_checks,
    run_checks,
    sangong_table_checks,
    scoped_checks,
    standard_table,
    table_checks,
    toc_checks,
    toc_entries,
    unit_name_checks,
    with_groups,
    year_checks,
)
from budgetbook.audit.form import _LEADER, _core, _form, _is_empty, _none_patterns, _same_table
from budgetbook.audit.text import _sentence_years, _unit_names
from budgetbook.extract.vocab import load
from budgetbook.storage import read_frame
from budgetbook.text import normalize
from tests.conftest import SEEDS_RAW, need_shared
from tests.test_checks import frames_of
from tests.test_checks_corpus import VERDICTS

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
                    out.append((*g.origin(r), c, kind))
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
                out.append((*g.origin(total), c, "table cell (total)"))
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


def known_real() -> set[tuple[str, str]]:
    """(document, check) of the corpus findings judged real on the PDF (tests/data/audit_verdicts.csv)."""
    with VERDICTS.open(encoding="utf-8") as f:
        return {(r["document"], r["check"]) for r in csv.DictReader(f) if r["verdict"] == "real"}


def scoped_mutation(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """A figure the text states for a scope (一般公共预算, 财政拨款) that agrees with the table of that
    scope, changed in its sentence: the scoped comparison must fire."""
    tol = Tolerance.default()
    facts = with_groups(doc["facts"], doc["paragraphs"])
    before = {f.message for f in scoped_checks(facts, tol)}
    eff = facts.scope.where(facts.scope != "", facts.context)
    prose = facts.loc[(facts.source == "prose") & (eff != "") & ~facts.doubtful & ~facts.in_part]
    table = facts.loc[facts.source == "table"].assign(scope=eff)
    keys = ["measure", "item", "year", "basis", "scope", "entity"]
    both = prose.assign(scope=eff).reset_index().merge(table, on=keys, suffixes=("", "_t"))
    both = both.loc[((both.value - both.value_t).abs() < 0.006) & both.measure.str.startswith("expenditure.")]
    for _, row in both.iterrows():
        mutated = facts.copy()
        new = round(row.value * 1.1 + 7, 2)
        mutated.loc[row["index"], "value"] = new
        mutated.loc[row["index"], "evidence"] = _rewrite(str(row.evidence), row.value, new)
        after = {f.message for f in scoped_checks(mutated, tol)} - before
        return [Mutation(doc_id, "scoped figure in a sentence", f"{row.measure} {row.scope} {row.value}", bool(after))]
    return []


def corpus_mutations(frames: dict[str, pd.DataFrame]) -> list[Mutation]:
    results: list[Mutation] = []
    tol = Tolerance.default()
    units = list(frames["documents"].department.fillna(""))
    for doc_id in frames["documents"].doc_id:
        doc = one_doc(frames, doc_id)
        base = run_checks(doc, tol)
        real = {(doc_id, f.check) for f in base if f.severity == "error"} - known_real()
        assert not real, (doc_id, real)  # unmutated: no error but the real ones checked on the PDF
        for table, row, col, kind in cell_targets(doc):
            found = list(table_checks(doc["tables"], mutate_cell(doc, table, row, col)["table_cells"]))
            results.append(Mutation(doc_id, kind, f"t{table} r{row} c{col}", bool(loud(found, "table:"))))
        for check, value in fact_targets(doc, base):
            found = run_checks(mutate_fact(doc, value, check), tol)
            results.append(Mutation(doc_id, f"figure in a sentence ({check})", str(value), bool(loud(found, check))))
        results.extend(_text_mutations(doc_id, doc))
        results.extend(comparison_mutation(doc_id, doc))
        results.extend(toc_mutations(doc_id, doc))
        results.extend(empty_statement_mutation(doc_id, doc))
        results.extend(heading_mutations(doc_id, doc, units))
        results.extend(sangong_mutations(doc_id, doc))
        results.extend(scoped_mutation(doc_id, doc))
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


# --- comparative wording, the 目录, empty tables, headings, the "三公" table ----------------------

PAIRS = [("expenditure.basic", "expenditure.project"), ("expenditure.personnel", "expenditure.public")]


def comparison_mutation(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """No real sentence compares two figures with 大于/小于: one is built from two real figures of the
    document (基本支出 and 项目支出 of one year, as stated), checked clean, then its 大于 made 小于."""
    facts = doc["facts"].loc[(doc["facts"].source == "prose") & (doc["facts"].unit == "万元")]
    names = load("checks")["names"]
    for a_m, b_m in PAIRS:
        a = facts.loc[facts.measure == a_m]
        b = facts.loc[(facts.measure == b_m) & facts.year.isin(a.year)]
        if a.empty or b.empty:
            continue
        x, y = a.iloc[0], b.loc[b.year == a.iloc[0].year].iloc[0]
        if x.value == y.value:
            continue
        big, small = (x, y) if x.value > y.value else (y, x)
        sentence = f"{names[big.measure]}{big.value:.2f}万元，大于{names[small.measure]}{small.value:.2f}万元。"
        row = doc["paragraphs"].iloc[[0]].assign(text=sentence, location="p0 l0")
        clean = not list(comparison_checks(row))
        flipped = list(comparison_checks(row.assign(text=sentence.replace("大于", "小于"))))
        return [Mutation(doc_id, "大于→小于", sentence, clean and bool(flipped))]
    return []


def toc_mutations(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """A table the 目录 lists removed from the body; a 目录 entry given another number than its table's."""
    if list(toc_checks(doc)):
        return []
    out = []
    unit = str(doc["documents"].department.iloc[0] or "")
    entries = toc_entries(doc["paragraphs"], unit)
    tables = doc["tables"]
    cores = [_core(str(t), unit) for t in tables.title.fillna("")]
    for entry, name, number, _ in entries:
        hit = [i for i, c in zip(tables.index, cores, strict=True) if _same_table(name, c)]
        if len(hit) != 1:
            continue
        table_id = tables.table_id[hit[0]]
        body = doc["paragraphs"]
        body = body.loc[
            ~body.text.fillna("").map(lambda t, n=name: _same_table(n, _core(t, unit)) and len(t) <= 80)
            | (body.section.fillna("") == "目录")
        ]
        removed = {
            **doc,
            "tables": tables.drop(index=hit[0]),
            "table_cells": doc["table_cells"].loc[doc["table_cells"].table_id != table_id],
            "paragraphs": body,
        }
        out.append(Mutation(doc_id, "目录 table removed from the body", entry, bool(list(toc_checks(removed)))))
        caption = str(tables.caption[hit[0]]).split("\n")[0]
        if number is not None and re.search(r"公开\d+表|^附?表\d+", caption):
            ps = doc["paragraphs"]
            at = ps.index[(ps.section.fillna("") == "目录") & (ps.text.fillna("").map(normalize_entry) == entry)]
            if len(at):
                moved = re.sub(r"^[一二三四五六七八九十]+|^\d+", "十九" if not entry[:1].isdigit() else "19", entry)
                renumbered = ps.assign(text=ps.text.where(ps.index != at[0], moved))
                fired = bool(list(toc_checks({**doc, "paragraphs": renumbered})))
                out.append(Mutation(doc_id, "目录 entry renumbered", f"{entry} → {moved}", fired))
        break
    return out


def normalize_entry(text: str) -> str:
    return _LEADER.sub("", normalize(text)).strip()


def empty_statement_mutation(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """An empty table's statement (本表无数据, 本部门无…支出) removed, wherever the document makes it."""
    if list(empty_table_checks(doc)):
        return []
    statement = re.compile(_form()["empty_statement"])
    cells = doc["table_cells"]
    for _, table in doc["tables"].iterrows():
        t = cells.loc[cells.table_id == table.table_id]
        skip = set(load("checks")["tables"]["skip_kinds"])
        if not standard_table(str(table.title or ""), skip) or t.empty or not _is_empty(t):
            continue
        patterns = [statement.pattern, r"空表表示|如无数[字据]|无数据的表", *_none_patterns(str(table.title))]
        ps = doc["paragraphs"]
        says = ps.text.fillna("").map(lambda x, pats=tuple(patterns): any(re.search(p, x) for p in pats))
        if not says.any():
            continue
        mutated = {
            **doc,
            "paragraphs": ps.loc[~says],
            "tables": doc["tables"].assign(caption=""),
            "table_cells": cells.assign(text=cells.text.fillna("").map(lambda x: "" if statement.search(x) else x)),
        }
        fired = any(f.message and str(table.title) in f.message for f in empty_table_checks(mutated))
        return [Mutation(doc_id, "empty table's statement removed", str(table.title), fired)]
    return []


def heading_mutations(doc_id: str, doc: dict[str, pd.DataFrame], others: list[str]) -> list[Mutation]:
    """A heading's year made last year's; the unit named in a heading replaced by another real unit."""
    out = []
    documents, ps = doc["documents"], doc["paragraphs"]
    year = documents.fiscal_year.iloc[0]
    heads = headings(ps)
    if pd.notna(year) and not list(heading_year_checks(documents, ps)):
        own = heads.loc[heads.text.fillna("").str.contains(rf"{int(year)}\s*年\s*度?[^，。；]*?(?:预算|决算)")]
        if not own.empty and documents.doc_kind.iloc[0] in ("budget", "final_account"):
            i = own.index[0]
            text = re.sub(rf"{int(year)}(\s*年)", rf"{int(year) - 1}\1", own.text[i], count=1)
            fired = bool(list(heading_year_checks(documents, ps.assign(text=ps.text.where(ps.index != i, text)))))
            out.append(Mutation(doc_id, "year in a heading", text[:40], fired))
    body = ps.loc[ps.section.fillna("") != "目录"]
    own = [i for i, t in zip(body.index, body.text.fillna(""), strict=True) if list(_sentence_years(normalize(t)))]
    if pd.notna(year) and own and documents.doc_kind.iloc[0] in ("budget", "final_account"):
        i = own[0]
        m, _ = next(_sentence_years(normalize(ps.text[i])))
        text = normalize(ps.text[i])
        text = text[: m.start("year")] + str(int(m.group("year")) - 1) + text[m.end("year") :]
        fired = bool(list(heading_year_checks(documents, ps.assign(text=ps.text.where(ps.index != i, text)))))
        out.append(Mutation(doc_id, "year in a sentence", text[m.start() : m.end() + 10], fired))
    unit = str(documents.department.iloc[0] or "")
    other = next((o for o in others if o and o != unit and unit not in o and o not in unit), None)
    named = [
        i
        for i, text, cover in zip(heads.index, heads.text.fillna(""), heads.cover, strict=True)
        if unit in text and any(n == unit for n in _unit_names(normalize(text), cover))
    ]
    budget = documents.doc_kind.iloc[0] in ("budget", "final_account")
    if other and named and budget and len(unit) >= 4 and not list(unit_name_checks(documents, ps)):
        i = named[0]
        text = ps.text[i].replace(unit, other)
        found = list(unit_name_checks(documents, ps.assign(text=ps.text.where(ps.index != i, text))))
        out.append(Mutation(doc_id, "unit name in a heading", text[:40], bool(found)))
    return out


def sangong_mutations(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """A "三公" cell the text states left blank; and the text saying none where the table prints a figure."""
    facts = with_groups(doc["facts"], doc["paragraphs"])
    tol = Tolerance.default()
    if list(sangong_table_checks(facts, tol)):
        return []
    table = facts.loc[(facts.source == "table") & (facts.table_kind.fillna("") == "sangong") & (facts.value > 0)]
    prose = facts.loc[(facts.source == "prose") & ~facts.doubtful & (facts.context == facts.scope)]
    keys = ["measure", "year", "basis", "scope"]
    both = table.reset_index().merge(prose.reset_index(), on=keys, suffixes=("", "_p"))
    both = both.loc[(both.value - both.value_p).abs() < 0.006]
    if both.empty:
        return []
    row = both.iloc[0]
    blank = facts.copy()
    blank.loc[row["index"], "value"] = 0.0
    blank.loc[row["index"], "evidence"] = str(row.evidence).rsplit("｜", 1)[0] + "｜（空）"
    out = [Mutation(doc_id, "三公 cell blanked", row.measure, bool(list(sangong_table_checks(blank, tol))))]
    none = facts.copy()
    none.loc[row.index_p, "value"] = 0.0
    out.append(Mutation(doc_id, "三公 text says none", row.measure, bool(list(sangong_table_checks(none, tol)))))
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
    from tests.mutants import graded_mutations

    corpus = {n: read_frame(corpus_run[1], n) for n in NAMES}
    seeds = {n: read_frame(seeds_run[1], n) for n in NAMES}
    graded = [
        m
        for frames in (corpus, seeds)
        for doc_id in frames["documents"].doc_id
        for m in graded_mutations(doc_id, one_doc(frames, doc_id))
    ]
    return corpus_mutations(corpus) + seed_mutations(seeds) + graded


def test_every_mutation_is_found(mutations: list[Mutation]) -> None:
    found = sum(m.fired for m in mutations)
    kinds = pd.Series([m.kind.split(" (")[0] for m in mutations]).value_counts().to_dict()
    print(
        f"\nmutation score: {found}/{len(mutations)} found ({100 * found / max(1, len(mutations)):.0f}%); kinds: {kinds}"
    )
    missed = [m for m in mutations if not m.fired]
    assert not missed, missed
    assert len(mutations) >= 320
    assert len({m.doc_id for m in mutations if not m.doc_id[:1].isdigit()}) >= 8  # at least eight corpus PDFs
    assert {
        "table cell",
        "figure in a sentence",
        "year in a table title",
        "unit name → XX局",
        "required table removed",
        "增加↔减少",
        "seed sentence",
        "大于→小于",
        "目录 table removed from the body",
        "empty table's statement removed",
        "year in a heading",
        "year in a sentence",
        "unit name in a heading",
        "三公 cell blanked",
        "三公 text says none",
        "scoped figure in a sentence",
        "text against a table's cell",
        "share in a breakdown",
        "截至 year of a sentence",
        "doubled full stop",
    } <= set(kinds)
