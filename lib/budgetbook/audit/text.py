"""Wording and form: what a careful reader sees without adding anything up.

- comparative wording against the two figures it compares (A大于B where A is smaller);
- placeholders left in (XX局, XXX, ××);
- the year of the headings and table titles against the document's year;
- 机关运行经费 larger than 公用经费 or 基本支出 of the same year (implausible).

Words are data (`data/checks.toml` [wording]).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pandas as pd

from budgetbook.audit.model import Finding, _page, column_values, fmt, in_wan
from budgetbook.extract.vocab import load
from budgetbook.outline import TOC, heading_rank
from budgetbook.text import normalize, squash

_FIG = r"(\d+(?:\.\d+)?)\s*(万元|亿元|元|%)"
_NEW_SUBJECT = re.compile(r"[，,][^，,]*[\u4e00-\u9fff]{2,}$")  # a clause naming its own subject before the word


Said = list[tuple[object, object, str, str]]  # each paragraph's doc_id, location, text and text normalized


def said_of(paragraphs: pd.DataFrame) -> Said:
    """Each paragraph's doc_id, location, text and normalized text: read once for every check of the text."""
    texts = column_values(paragraphs.doc_id, paragraphs.location, paragraphs.text.fillna(""))
    return [(d, loc, text, _same_if_equal(normalize(text), text)) for d, loc, text in texts]


def _same_if_equal(text: str, original: str) -> str:
    """`text`, or `original` where they are equal (a paragraph's text is normalized already: one copy held, not two)."""
    return original if text == original else text


def _words() -> dict:
    return load("checks")["wording"]


def comparison_checks(paragraphs: pd.DataFrame, said: Said | None = None) -> Iterator[Finding]:
    """X万元，大于/小于/高于/低于/等于/持平 …Y万元 in one clause: the word must fit the figures (`said`: the
    paragraphs' `said_of`, where the caller has it)."""
    w = _words()
    words = "|".join(map(re.escape, [*w["greater"], *w["less"], *w["equal"]]))
    pattern = re.compile(rf"{_FIG}[^，。；0-9]{{0,16}}?[，,]?[^。；0-9]{{0,12}}?({words})[^。；0-9]{{0,24}}?{_FIG}")
    worded = re.compile(words)  # a paragraph without a comparison word has no match: not scanned figure by figure
    for d, loc, _, t in said_of(paragraphs) if said is None else said:
        if not worded.search(t):
            continue
        for m in pattern.finditer(t):
            a_v, a_u, word, b_v, b_u = m.groups()
            before = t[max(0, m.start(3) - 2) : m.start(3)]
            if (a_u == "%") != (b_u == "%") or re.search(w["rule"], m.group(0)) or re.search("[不未最]", before):
                continue  # 不低于/最高不超过, 按照标准: a rule, not a comparison of the two figures
            if any(x in t[m.end(3) : m.start(4)] for x in [*w["up"], *w["down"]]):
                continue  # 与上年持平，比上年增加0万元: the second figure is a change, not a level compared
            a, b = in_wan(a_v, a_u), in_wan(b_v, b_u)
            wrong = (
                (word in w["greater"] and not a > b)
                or (word in w["less"] and not a < b)
                or (word in w["equal"] and a != b)
            )
            if not wrong:
                continue
            message = (
                f"比较用语与数字不符：第{_page(loc)}页正文「{m.group(0)}」称前者{word}后者，"
                f"而前者为{fmt(float(a_v))}{a_u}，后者为{fmt(float(b_v))}{b_u}"
            )
            # 90%，年离职率低于2%: after the comma another subject is compared with a bound — not sure
            severity = "warning" if _NEW_SUBJECT.search(t[m.end(2) : m.start(3)]) else "error"
            yield Finding(d, "wording", severity, False, b, a, message, m.group(0), f"{d} {loc}")


@cache
def _direction_pattern() -> re.Pattern:
    """The pattern of "A万元，比…B万元增加/减少", with the words of data/checks.toml [wording] (built once, not
    per paragraph)."""
    w = _words()
    words = "|".join(map(re.escape, [*w["up"], *w["down"]]))
    return re.compile(
        rf"{_FIG}[^。；%]{{0,6}}?[，,]?(?:比|较)((?:[^。；0-9]|\d{{4}}年){{0,24}}?){_FIG}[^。；0-9]{{0,4}}?({words})"
    )


def direction_pairs(text: str) -> list[tuple[re.Match, float, float, str]]:
    """Every "A万元，比…B万元增加/减少" of `text`: the match, A, B and the word."""
    return _pairs(normalize(text))


def _pairs(text: str) -> list[tuple[re.Match, float, float, str]]:
    """`direction_pairs` of a normalized `text`."""
    w = _words()
    ups, downs = w["up"], w["down"]
    out: list[tuple[re.Match, float, float, str]] = []
    if "比" not in text and "较" not in text:
        return out  # the pattern's 比/较 is not in it: not scanned figure by figure
    for m in _direction_pattern().finditer(text):
        a_v, a_u, middle, b_v, b_u, word = m.groups()
        if (a_u == "%") != (b_u == "%") or any(x in middle for x in [*ups, *downs]):
            continue  # 比上年减少26.92万元: the second figure is the change, not the earlier level
        out.append((m, in_wan(a_v, a_u), in_wan(b_v, b_u), word))
    return out


def direction_checks(paragraphs: pd.DataFrame, said: Said | None = None) -> Iterator[Finding]:
    """A万元，比…B万元增加/减少: 增加 needs A above B, 减少 below (`said`: the paragraphs' `said_of`, where the
    caller has it)."""
    ups, downs = _words()["up"], _words()["down"]
    for d, loc, _, t in said_of(paragraphs) if said is None else said:
        for m, a, b, word in _pairs(t):
            if (word in ups and a < b) or (word in downs and a > b):
                message = (
                    f"增减用语与数字不符：第{_page(loc)}页正文「{m.group(0)}」称{word}，"
                    f"而本期为{fmt(a)}万元，比较的数为{fmt(b)}万元"
                )
                yield Finding(d, "wording", "error", False, b, a, message, m.group(0), f"{d} {loc}")


def _at(loc: object) -> str:
    """第6页 for a PDF location, 第58行 for a line of a text document."""
    page, line = re.search(r"p(\d+)", str(loc)), re.search(r"(?:^|\s)l(\d+)", str(loc))
    return f"第{page.group(1)}页" if page else f"第{line.group(1)}行" if line else str(loc)


def placeholder_checks(paragraphs: pd.DataFrame, tables: pd.DataFrame, said: Said | None = None) -> Iterator[Finding]:
    """Template placeholders left in the text or a table title (XX局, XXX单位, ××), and the template's own
    instructions left in (仍保留该表格式，并在本表下方作下述说明, （如有）); `said`: the paragraphs'
    `said_of`, where the caller has it."""
    pattern = re.compile(_words()["placeholder"])
    instruction = re.compile(_words()["instruction"])
    titles = column_values(tables.doc_id, tables.location, tables.title.fillna(""))
    texts = [*(said_of(paragraphs) if said is None else said), *((d, loc, t, normalize(t)) for d, loc, t in titles)]
    seen: set[tuple[str, str]] = set()
    for d, loc, text, t in texts:
        m, what = pattern.search(t), "模板占位符未替换"
        if not m:
            m, what = instruction.search(t), "模板说明文字未删除"
        if not m or (d, m.group(0)) in seen:
            continue
        seen.add((d, m.group(0)))
        message = f"{what}：第{_page(loc)}页「{text.strip()[:60]}」中有「{m.group(0)}」"
        yield Finding(d, "placeholder", "warning", False, None, None, message, text.strip()[:200], f"{d} {loc}")


def year_checks(documents: pd.DataFrame, tables: pd.DataFrame) -> Iterator[Finding]:
    """A standard table titled with another year than the document's (2025年…预算表 in a 2026 budget)."""
    years = dict(zip(documents.doc_id, documents.fiscal_year, strict=True))
    kinds = dict(zip(documents.doc_id, documents.doc_kind, strict=True))
    for d, loc, title in zip(tables.doc_id, tables.location, tables.title.fillna(""), strict=True):
        year = years.get(d)
        if year is None or pd.isna(year) or kinds.get(d) != "budget":
            continue
        m = re.match(r"^(?:表\d+[：:]?)?\D{0,12}?(\d{4})\s*年(?:度)?[^年]*表", normalize(title))
        if not m or int(m.group(1)) == int(year) or not 2000 <= int(m.group(1)) <= 2100:
            continue
        message = f"年度不一致：第{_page(loc)}页表题《{title}》为{m.group(1)}年，而本文件是{int(year)}年预算"
        yield Finding(d, "year", "warning", False, float(year), float(m.group(1)), message, title, f"{d} {loc}")


def headings(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The paragraphs a reader takes for headings: numbered and short, the 目录's entries, the cover's lines
    (column `cover`)."""
    if paragraphs.empty:
        return paragraphs.assign(cover=pd.Series(dtype=bool))
    texts = paragraphs.text.fillna("").tolist()  # read once, not kept: a large document's text is large
    numbered = [len(t) <= 60 and "。" not in t and heading_rank(t) is not None for t in texts]
    short = [len(t) <= 40 for t in texts]
    del texts
    numbered = pd.Series(numbered, index=paragraphs.index, dtype=bool)
    block = pd.to_numeric(paragraphs.block, errors="coerce").astype(float)
    first = block.groupby(paragraphs.doc_id).transform("min")
    cover = ((block <= first + 3) & pd.Series(short, index=paragraphs.index, dtype=bool)).fillna(False).astype(bool)
    toc = (paragraphs.section == TOC).fillna(False).astype(bool)
    return paragraphs.assign(cover=cover).loc[numbered | cover | toc]


@cache
def _form(key: str) -> re.Pattern:
    """The pattern `key` of data/checks.toml [form], compiled once."""
    return re.compile(load("checks")["form"][key])


def _own_years(text: str) -> Iterator[tuple[re.Match, int]]:
    """Each year a heading names as its own (2025年部门预算), not a comparison (比2024年) or an outturn."""
    for m in re.finditer(r"(\d{4})\s*年\s*度?", text):
        before, after = text[max(0, m.start() - 6) : m.start()], text[m.end() : m.end() + 30]
        if _form("year_not_own").search(before) or _form("year_after_not_own").match(after):
            continue
        if re.match(r"[^，。；：]*?(?:预算|决算)", after):
            yield m, int(m.group(1))


def heading_year_checks(
    documents: pd.DataFrame, paragraphs: pd.DataFrame, heads: pd.DataFrame | None = None, said: Said | None = None
) -> Iterator[Finding]:
    """A heading that names another year than the document's as its own (2025年部门预算情况说明 in 2026),
    or a sentence that states the document's own totals under another year (2025年收入预算X万元 in 2026).
    `heads`, `said`: the paragraphs' `headings` and `said_of`, where the caller has them."""
    kinds = dict(zip(documents.doc_id, documents.doc_kind, strict=True))
    years = {  # the documents checked and their year, judged once per document (not per paragraph)
        d: int(y)
        for d, y in zip(documents.doc_id, documents.fiscal_year, strict=True)
        if y is not None and not pd.isna(y) and kinds.get(d) in ("budget", "final_account")
    }
    seen: set[str] = set()
    heads = headings(paragraphs) if heads is None else heads
    texts = [
        (d, loc, t, normalize(t), True)
        for d, loc, t in column_values(heads.doc_id, heads.location, heads.text.fillna(""))
    ]
    texts += [(d, loc, t, n, False) for d, loc, t, n in (said_of(paragraphs) if said is None else said)]
    for d, loc, text, normalized, heading in texts:
        year = years.get(d)
        if year is None or d in seen:
            continue
        found = _own_years(normalized) if heading else _sentence_years(normalized)
        for _m, y in found:
            if y == year or not 2000 <= y <= 2100:
                continue
            seen.add(d)  # one copied heading usually comes with others: report the first
            kind = _KINDS[kinds[d]]
            where = "标题" if heading else "正文"
            message = f"年度不一致：{_at(loc)}{where}「{text.strip()[:60]}」为{y}年，而本文件是{int(year)}年的{kind}"
            yield Finding(d, "year", "warning", False, float(year), float(y), message, text.strip()[:200], f"{d} {loc}")
            break


def _sentence_years(text: str) -> Iterator[tuple[re.Match, int]]:
    """The year of a sentence whose subject is the document's own total (2026年收入预算…, 2024年度财政拨款支出…),
    not a reason or a comparison (主要原因是2025年收入预算中包含…, 比2025年…)."""
    if not _YEAR.search(text):
        return  # no year at all: the pattern is not tried at every sentence
    for m in _form("own_total").finditer(text):
        if not _form("year_not_own").search(m.group("lead")) and not _form("not_own_lead").search(m.group("lead")):
            yield m, int(m.group("year"))


_YEAR = re.compile(r"\d{4}\s*年")  # what every [form] own_total match holds


_KINDS = {"budget": "预算", "final_account": "决算"}


_HEAD_NUMBER = r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])"


def _unit_names(text: str, cover: bool = False) -> Iterator[str]:
    """The units a heading names as the document's publisher (某局2026年部门预算, 2026年某局部门决算,
    第一部分 某局概况); on the cover also 预算单位：某局, 某局2026年单位预算 and a line that is only a name."""
    s = re.sub(_HEAD_NUMBER, "", squash(text))
    for pattern in _unit_patterns(cover):
        m = pattern.match(s)
        if m:
            yield m.group("name")


@cache
def _unit_patterns(cover: bool) -> tuple[re.Pattern, ...]:
    """The forms of a heading naming its publisher (`_unit_names`), compiled once."""
    org = load("checks")["form"]["org_suffix"]
    name = rf"(?P<name>[^\d，。；：:、（）()“”]{{2,30}}?{org})(?:（单位）)?"
    year = r"(?:\d{4}年度?)?"
    kinds = "(?:部门|单位)" if cover else "部门"
    patterns = [
        rf"^{year}{name}(?:部门)?{year}{kinds}(?:预算|决算)",
        rf"^{year}{name}{year}(?:部门)?(?:概况|基本情况)$",
    ]
    if cover:
        patterns += [rf"^(?:预算单位|编制单位|部门名称|单位名称|预算部门|部门)[：:]{name}$", rf"^{name}$"]
    return tuple(re.compile(p) for p in patterns)


def _same_unit(a: str, b: str) -> bool:
    a, b = (re.sub(r"^中国共产党|^中共", "", squash(x)).replace("人民政府", "") for x in (a, b))
    return bool(a) and bool(b) and (a in b or b in a)


def unit_name_checks(
    documents: pd.DataFrame, paragraphs: pd.DataFrame, heads: pd.DataFrame | None = None
) -> Iterator[Finding]:
    """A heading naming another unit than the document's as its publisher (a copied heading); `heads`: the
    paragraphs' `headings`, where the caller has them."""
    units = dict(zip(documents.doc_id, documents.department.fillna(""), strict=True))
    titles = dict(zip(documents.doc_id, documents.title.fillna(""), strict=True)) if "title" in documents else {}
    kinds = dict(zip(documents.doc_id, documents.doc_kind, strict=True))
    heads = headings(paragraphs) if heads is None else heads
    seen: set[tuple[str, str]] = set()
    for d, loc, text, cover in column_values(heads.doc_id, heads.location, heads.text.fillna(""), heads.cover):
        unit = str(units.get(d) or "")
        if len(unit) < 3 or kinds.get(d) not in ("budget", "final_account"):
            continue
        for name in _unit_names(normalize(text), cover):
            if name.startswith(("本", "部门", "单位")) or _same_unit(name, unit) or _same_unit(name, titles.get(d, "")):
                continue
            if (d, name) in seen:
                continue
            seen.add((d, name))
            message = f"单位名称不一致：{_at(loc)}标题「{text.strip()[:60]}」称「{name}」，而本文件是{unit}的公开文件"
            yield Finding(d, "unit_name", "warning", False, None, None, message, text.strip()[:200], f"{d} {loc}")


def plausibility_checks(facts: pd.DataFrame) -> Iterator[Finding]:
    """机关运行经费 above 公用经费 or 基本支出 of the same year (it is a part of them): implausible."""
    keys = ["doc_id", "year", "basis"]
    clean = facts.loc[(facts.scope.fillna("") == "") & (facts.source == "prose")]
    if "doubtful" in clean.columns:
        clean = clean.loc[~clean.doubtful & (clean.context == "")]
    op = clean.loc[clean.measure == "operating_costs"].drop_duplicates(keys)
    for bigger in load("checks")["wording"]["contains_operating_costs"]:
        other = clean.loc[clean.measure == bigger].drop_duplicates(keys)
        both = op.merge(other, on=keys, suffixes=("", "_b"))
        for _, r in both.loc[both.value > both.value_b + 0.01].iterrows():
            others = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)万元", normalize(str(r.evidence)))]
            if any(x != r.value and x <= r.value_b + 0.01 for x in others):
                continue  # 46.64万元，压减后安排36万元: the sentence restates the amount
            name = load("checks")["names"].get(bigger, bigger)
            message = (
                f"数字不合常理：机关运行经费{fmt(r.value)}万元（{_at(r.location)}）大于{name}"
                f"{fmt(r.value_b)}万元（{_at(r.location_b)}），而机关运行经费是{name}的一部分"
            )
            yield Finding(
                r.doc_id,
                "implausible",
                "warning",
                False,
                r.value_b,
                r.value,
                message,
                f"{r.evidence} ‖ {r.evidence_b}",
                f"{r.doc_id} {r.location} ‖ {r.doc_id} {r.location_b}",
            )


def balance_direction_checks(facts: pd.DataFrame) -> Iterator[Finding]:
    """收入 and 支出 of one year stated equal (a 收支总表 balances), and their changes against the year
    before stated in opposite directions (收入减少, 支出增加): both cannot hold if the year before balanced
    too — implausible, a person should look."""
    keys = ["doc_id", "year", "basis"]
    plain = facts.loc[(facts.scope.fillna("") == "") & (facts.item.fillna("") == "")]
    if "context" in plain.columns:
        plain = plain.loc[plain.context == ""]
    sure = plain.loc[~plain.doubtful] if "doubtful" in plain.columns else plain  # a change is read as doubtful

    def first(measure: str, source: str | None = None) -> pd.DataFrame:
        rows = (plain if measure.endswith(".change") else sure).loc[lambda f: f.measure == measure]
        rows = rows.loc[rows.source == source] if source else rows
        return rows.drop_duplicates(keys)[[*keys, "value", "evidence", "location"]]

    totals = first("revenue.total").merge(first("expenditure.total"), on=keys, suffixes=("_r", "_e"))
    totals = totals.loc[(totals.value_r - totals.value_e).abs() <= 0.01]
    changes = first("revenue.change", "prose").merge(
        first("expenditure.change", "prose"), on=keys, suffixes=("_r", "_e")
    )
    both = totals[keys].merge(changes, on=keys)
    for _, r in both.loc[(both.value_r * both.value_e) < 0].iterrows():
        message = (
            f"数字不合常理：收入与支出合计相等，而收入较上年增减{fmt(r.value_r)}万元（{_at(r.location_r)}），"
            f"支出较上年增减{fmt(r.value_e)}万元（{_at(r.location_e)}），方向相反"
        )
        yield Finding(
            r.doc_id,
            "implausible",
            "warning",
            False,
            r.value_r,
            r.value_e,
            message,
            f"{r.evidence_r} ‖ {r.evidence_e}",
            f"{r.doc_id} {r.location_r} ‖ {r.doc_id} {r.location_e}",
        )


def text_checks(frames: dict[str, pd.DataFrame]) -> Iterator[Finding]:
    paragraphs = frames.get("paragraphs", pd.DataFrame(columns=["doc_id", "location", "text"]))
    tables = frames.get("tables", pd.DataFrame(columns=["doc_id", "location", "title"]))
    said = said_of(paragraphs)  # each paragraph read and normalized once for the four checks that read it
    yield from comparison_checks(paragraphs, said)
    yield from direction_checks(paragraphs, said)
    yield from placeholder_checks(paragraphs, tables, said)
    if "fiscal_year" in frames["documents"].columns:
        yield from year_checks(frames["documents"], tables)
    laid_out = {"block", "section"} <= set(paragraphs.columns) and "doc_kind" in frames["documents"].columns
    heads = headings(paragraphs) if laid_out else None  # found once for both checks
    if laid_out and "fiscal_year" in frames["documents"].columns:
        yield from heading_year_checks(frames["documents"], paragraphs, heads, said)
    if laid_out and "department" in frames["documents"].columns:
        yield from unit_name_checks(frames["documents"], paragraphs, heads)
    yield from plausibility_checks(frames["facts"])
    yield from balance_direction_checks(frames["facts"])
