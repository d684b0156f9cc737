"""Facts from the template sentences of disclosure prose.

A paragraph is cut into sentences (。；). Every figure with a unit (3055.44万元, 3.8%, 15辆)
is named by the text since the previous figure — its label — and the vocabulary phrase in
the label nearest to the figure decides the measure (`data/measures.toml`). A change word
(增加/减少/下降…) in the label makes the figure the change of the sentence's base measure
(收入 → revenue.change, a percent → revenue.change_pct; decreases negative). A figure
introduced by 比/较 + a year is that base measure's earlier value. After 项目支出, figures
whose label names no measure are projects. 无…/未安排… states a zero; 持平 a zero change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import takewhile
from typing import NamedTuple

import cn2an

from budgetbook.extract.facts import (
    COUNT_UNITS,
    MONEY_UNITS,
    REVENUE_PARTS,
    Fact,
    count_unit,
    precision_of,
    to_wan,
)
from budgetbook.extract.identity import is_org_name
from budgetbook.extract.vocab import any_word, load
from budgetbook.outline import heading_rank
from budgetbook.text import simplify

# (?=…): the characters a figure can start with, tested first (a lookbehind first is tried at every position)
_FIGURE = re.compile(
    r"(?=[-\d一二三四五六七八九十两])(?:(?<![\d.])(?P<num>-?\d+(?:\.\d+)?)(?P<unit>万元|亿元|千元|元|万(?![人次件户平亩多余个名台辆套册份张])|%|个|辆|台|人|名|家|项|分)"
    r"|(?P<cn>[一二三四五六七八九十两]{1,4})(?P<cnunit>个|辆|人|名|家|项))"
)
# "三公经费预算数为0，与上年持平": a zero needs no unit (money; a count states its unit)
_BARE_ZERO = re.compile(r"(?<=[为是])0(?:\.0+)?(?=[，,。；;、]|与|$)")
_SENTENCE_END = re.compile(r"[。；;！？]")
_CLAUSE_END = re.compile(r"[，,、。；;：:]")
_HAS_QUOTE = re.compile('[“”"‘’「」『』]')
_YEAR = re.compile(r"(?<![比较与同])(\d{4})年(?!\d{1,2}月)")
_ANY_YEAR = re.compile(r"(\d{4})年")
_COMPARISON = re.compile(r"(?:比|较|与|同比|对比)(?:上年|上一年|去年|\d{4}年)")
_COMPARED = re.compile(r"(?:比|较|与|同比|对比)(?:上年|上一年|去年|\d{4}年)[^，。；,;：:]{0,10}$")
_SHARE = re.compile(r"占|比重|比例")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。]")
_ALTERNATIVE = re.compile(r"[（(](?:增加|增长|上升|提高|减少|下降|降低)[)）]")
_BARE_YEAR = re.compile(r"^[，、；]?(?:其中)?(?:\d{4}年度?)(?:年初)?(?:预算数|决算数|预算|决算|执行数)?(?:为|是)?$")
_SUBITEM = re.compile(r"[（(](?:类|款|项)[）)]")
_CLASS_LEVEL = re.compile(r"(?<=[\u4e00-\u9fff])[（(]类[)）](?=支出)")  # 城乡社区（类）支出: the class itself
_TOTALS = {"revenue.total", "expenditure.total"}
_SCOPED = ("revenue.", "expenditure.", "project")  # "三公", 机关运行经费… are defined on fiscal funds anyway
_SOURCES = set(REVENUE_PARTS)
_ZERO = re.compile(r"(?:无|未安排|未编列|没有|未发生|未开支|不存在|不编制|未编制|不安排)")
_PROJECT_TAIL = re.compile(r"(?:共计|合计|共|计|为|安排|预算数?|金额|实际支出数?|执行数)+$")
_BASIS = [
    ("adjusted", ("调整预算", "全年预算", "调整后")),
    ("budget", ("年初预算",)),
    ("actual", ("决算", "执行数", "实际支出", "实际完成", "执行")),
    ("budget", ("预算数", "预算批复", "预算指标")),
]
DEFAULT_BASIS = {"budget": "budget", "final_account": "actual", "self_evaluation": "actual"}
MAX_PROJECT_NAME = 40
MAX_PART_NAME = 10  # characters of a part a count after 其中 names (行政编制, 事业编制)
AFTER = 12  # characters after a count where its name may stand (共7个项目纳入绩效目标管理)


@dataclass(frozen=True)
class Term:
    measures: tuple[str, ...]
    phrase: str
    unit: str
    topic: str = ""
    item: bool = False
    zero: bool = False
    change: str = ""
    not_before: tuple[str, ...] = ()
    change_only: bool = False
    qualifier: bool = False
    not_after: tuple[str, ...] = ()
    prose_only: bool = False
    basis: str = ""
    table_only: bool = False
    units: tuple[str, ...] = ()  # counts: the printed units the measure is counted in


class Figure(NamedTuple):  # a tuple: a sentence's figures are made by the hundred thousand
    start: int
    end: int
    value: float
    unit: str  # 万元, %, 个, 辆, 人, 分
    kind: str  # money, percent, count, score
    precision: float = 0.0
    printed: str = ""  # the unit as printed (名, 家, 台…)


@dataclass
class Context:
    """What a paragraph's figures need to know about their document and place."""

    fiscal_year: int | None
    doc_kind: str
    section: str = ""
    location: str = ""
    base: Term | None = None  # the last measure a change statement can refer to
    projects: bool = False  # inside an enumeration of projects
    last: Figure | None = None  # the last amount, for 全部为…
    heading: str = ""  # the paragraph's own numbered heading, for figures whose sentence names none
    current: Figure | None = None  # the figure being read (its precision goes with its facts)
    first: Figure | None = None  # the paragraph's first amount (an unnamed total shares refer to)
    first_named: bool = False  # whether that first amount named a measure
    scope: str = ""  # scope of the figure being read (see [scope] in measures.toml)
    unnamed: Figure | None = None  # the previous figure of the sentence, if it named no measure
    previous: Term | None = None  # the term the previous figure of the sentence was named by
    after_count: bool = False  # the previous figure of the sentence is a count (its noun follows it)
    subitem: bool = False  # the paragraph is about a （类）（款）（项） sub-item
    lead_scope: str = ""  # scope announced by the paragraph before ("财政拨款支出主要内容如下：")
    lead_heading: str = ""  # a heading printed as a paragraph of its own just before ("（二）公务接待费")
    in_list: bool = False  # the paragraph is an item of a list of projects announced before ("具体包括：")
    comparison: tuple[str, str] | None = None  # the basis and `of` of the sentence's last named comparison
    facts: list[Fact] = field(default_factory=list)


@cache
def terms() -> tuple[Term, ...]:
    """Every phrase of the vocabulary as a Term, longest phrases first."""
    out = []
    for entry in load("measures")["term"]:
        for phrase in entry["phrases"]:
            out.append(
                Term(
                    measures=tuple(entry["measure"]),
                    phrase=phrase,
                    unit=entry["unit"],
                    topic=entry.get("topic", ""),
                    item=entry.get("item") == "phrase",
                    zero=entry.get("zero", False),
                    change=entry.get("change", ""),
                    not_before=tuple(entry.get("not_before", ())),
                    change_only=entry.get("change_only", False),
                    qualifier=entry.get("qualifier", False),
                    not_after=tuple(entry.get("not_after", ())),
                    prose_only=entry.get("prose_only", False),
                    basis=entry.get("basis", ""),
                    table_only=entry.get("table_only", False),
                    units=tuple(entry.get("units", ())),
                )
            )
    return tuple(sorted(out, key=lambda t: len(t.phrase), reverse=True))


def figures(text: str) -> list[Figure]:
    """The figures of a sentence with their units, money in 万元."""
    out = [
        _figure_of(m.start(), m.end(), value, unit, precision_of(printed, unit))
        for m, value, unit, printed in _read(text)
    ]
    if "0" not in text:  # no bare zero (为0，) can stand in it
        return out
    taken = {f.start for f in out}
    zeros = [Figure(m.start(), m.end(), 0.0, "万元", "money", 0.0) for m in _BARE_ZERO.finditer(text)]
    return sorted(out + [z for z in zeros if z.start not in taken], key=lambda f: f.start)


def _read(text: str) -> Iterator[tuple[re.Match[str], float, str, str]]:
    """Each number with a unit in `text` that reads: (match, value, unit, the number as printed)."""
    for m in _FIGURE.finditer(text):
        num, unit, cn, cn_unit = m.group("num", "unit", "cn", "cnunit")
        if num is not None:
            yield m, float(num), unit, num
        elif (value := _cn_number(cn)) is not None:
            yield m, value, cn_unit, "0"


def _figure_of(start: int, end: int, value: float, unit: str, precision: float) -> Figure:
    """A figure printed with `unit`: money in 万元, a rate, a score or a count."""
    if unit in MONEY_UNITS:
        return Figure(start, end, to_wan(value, unit), "万元", "money", precision)
    if unit == "%":
        return Figure(start, end, value, "%", "percent", precision)
    if unit == "分":
        return Figure(start, end, value, "分", "score", precision)
    return Figure(start, end, value, COUNT_UNITS[unit], "count", precision, unit)


def _has_figure(text: str) -> bool:
    """Whether `text` states a figure (`figures` is not empty), without making them."""
    return next(_read(text), None) is not None or _BARE_ZERO.search(text) is not None


@lru_cache(maxsize=1 << 10)
def _cn_number(text: str) -> float | None:
    """A number written in words (两, 十二), None if it does not read as one."""
    try:
        return float(cn2an.cn2an(text, "smart"))
    except ValueError:
        return None


def last_keyword(text: str, table: dict[str, list[str]]) -> str:
    """The key of `table` whose word occurs last in `text` ('' if none does)."""
    best, best_pos = "", -1
    for key, words in table.items():
        for word in words:
            pos = text.rfind(word)
            if pos > best_pos:
                best, best_pos = key, pos
    return best


def topic_at(text: str) -> str:
    """The topic in force at the end of `text`: the last topic keyword in it."""
    return last_keyword(text, load("measures")["topics"]) if any_word("measures", "topics").search(text) else ""


@cache
def _terms_by_opening(kind: str, topic: str, values: bool) -> dict[str, tuple[tuple[int, Term], ...]]:
    """The terms `match_term` may use for a figure of `kind` under `topic`, by the first two characters
    of their phrase, each with its place in `terms()`."""
    out: dict[str, list[tuple[int, Term]]] = {}
    for order, term in enumerate(terms()):
        if (
            term.unit == kind
            and (not term.topic or term.topic == topic)
            and not (values and term.change_only)
            and not term.table_only
        ):
            out.setdefault(term.phrase[:2], []).append((order, term))
    return {pair: tuple(found) for pair, found in out.items()}


def _candidates(label: str, kind: str, topic: str, values: bool) -> list[Term]:
    """The usable terms whose phrase opens with two characters found together in `label`, in the order
    of `terms()`."""
    by_pair = _terms_by_opening(kind, topic, values)
    pairs = {label[i : i + 2] for i in range(len(label) - 1)}.union(label)  # a phrase of one character too
    found = [hit for pair in pairs & by_pair.keys() for hit in by_pair[pair]]
    return [term for _, term in sorted(found, key=lambda hit: hit[0])]


def match_term(label: str, kind: str, topic: str, *, values: bool = True) -> tuple[Term, int] | None:
    """The vocabulary phrase in `label` that ends nearest its end, with its end position.

    On a tie the longer phrase wins, then the topic's own term (三公: 公务接待费 is
    sangong.reception, elsewhere an economic item). With `values`, change-only phrases are
    skipped, and a funding-source qualifier defers to a measure named before it.
    """
    hits: list[tuple[int, int, bool, Term]] = []
    for term in _candidates(label, kind, topic, values):
        pos = label.rfind(term.phrase)
        if pos < 0:
            continue
        end = pos + len(term.phrase)
        if any(label[end:].startswith(b) for b in term.not_before) or label[:pos].endswith(term.not_after or ("\0",)):
            continue
        hits.append((end, len(term.phrase), bool(term.topic), term))
    if not hits:
        return None
    end, _, _, best = max(hits, key=lambda h: h[:3])
    # A compound that starts earlier and overlaps the nearest phrase is the head noun:
    # 政府采购支出|预算总额 is procurement (not 支出预算), 一般公共服务支出|预算 a function class.
    start = end - len(best.phrase)
    overlapping = [h for h in hits if h[0] - h[1] < start < h[0] <= end and h[0] > start]
    if overlapping:
        end, _, _, best = min(overlapping, key=lambda h: (h[0] - h[1], -h[1]))
    if values and best.qualifier:
        start = end - len(best.phrase)
        earlier = [
            h for h in hits if not h[3].qualifier and h[0] <= start and not _CLAUSE_BREAK.search(label[h[0] : start])
        ]
        if earlier:
            end, _, _, best = max(earlier, key=lambda h: h[:3])
    return best, end


@cache
def _any_change_word() -> re.Pattern:
    """Any change word of the vocabulary: most clauses have none, and need no search word by word."""
    words = load("measures")["change"]
    return re.compile("|".join(re.escape(w) for key in ("up", "down", "flat") for w in words[key]))


def change_word(label: str) -> tuple[int, int] | None:
    """(sign, position) of the last change word in `label`: +1 up, -1 down, 0 flat."""
    if not _any_change_word().search(label):  # most labels hold none
        return None
    words = load("measures")["change"]
    label = _ALTERNATIVE.sub(lambda m: "#" * len(m.group(0)), label)  # 下降（增长）5%: the sign chosen
    found = [(label.rfind(w), sign) for sign, key in ((1, "up"), (-1, "down"), (0, "flat")) for w in words[key]]
    pos, sign = max(found)
    return (sign, pos) if pos >= 0 else None


@lru_cache(maxsize=1 << 12)  # asked for every table cell with its header
def basis_of(text: str, doc_kind: str) -> str:
    """The basis a label or column header names (调整预算, 决算…), else the document kind's."""
    text = simplify(text)  # table headers arrive as printed
    for basis, words in _BASIS:
        if any(w in text for w in words):
            return basis
    return DEFAULT_BASIS.get(doc_kind, "")


def year_of(label: str, before: str, ctx: Context) -> int | None:
    """The year a figure refers to: one named in its label, else the sentence's, else the document's."""
    for text in (label, before):
        years = _YEAR.findall(text)
        if years:
            return int(years[-1] if text is label else years[0])
    return ctx.fiscal_year


CONTEXT_WINDOW = 2000  # characters of a paragraph before a sentence that its figures' topic and year are read from


def unquoted(text: str) -> str:
    """`text` without quotation marks (“三公”经费 is 三公经费)."""
    return _HAS_QUOTE.sub("", text)  # quicker than str.translate on a paragraph's context


def extract_paragraph(text: str, ctx: Context) -> list[Fact]:
    """All facts a paragraph states."""
    ctx.base, ctx.projects, ctx.facts, ctx.last, ctx.current, ctx.first = None, ctx.in_list, [], None, None, None
    ctx.first_named = False
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    own = unquoted(first) if heading_rank(text) is not None and not figures(first) else ""
    ctx.heading = own or ctx.lead_heading
    ctx.subitem = bool(_SUBITEM.search(_CLASS_LEVEL.sub("", first)))
    _lists(text, ctx)
    start = 0
    for m in _SENTENCE_END.finditer(text + "。"):
        sentence = text[start : m.end()].strip()
        if sentence:  # what came before, as far back as a paragraph of a disclosure goes: cost stays linear
            _sentence(sentence, text[max(0, start - CONTEXT_WINDOW) : start], ctx)
        start = m.end()
    return ctx.facts


def _sentence(sentence: str, before: str, ctx: Context) -> None:
    plain = _CLASS_LEVEL.sub("", unquoted(sentence))
    context_topic = topic_at(unquoted(ctx.section) + "|" + unquoted(before))
    prev_end = 0
    ctx.unnamed, ctx.previous, ctx.after_count, ctx.comparison = None, None, False, None
    for fig in figures(plain):
        label = plain[prev_end : fig.start]
        topic = topic_at(plain[: fig.start]) or context_topic
        _figure(fig, label, plain[: fig.start], sentence, topic, plain[fig.end : fig.end + AFTER], ctx)
        prev_end = fig.end
    ctx.current = None  # zeros and 全部为 state no printed figure of their own
    _zeros(plain, sentence, context_topic, ctx)


def _emit(
    ctx: Context,
    measure: str,
    value: float,
    unit: str,
    evidence: str,
    *,
    item: str = "",
    year: int | None = None,
    basis: str = "",
    of: str = "",
) -> None:
    precision = ctx.current.precision if ctx.current is not None else 0.0
    scope = ctx.scope if measure.startswith(_SCOPED) and measure not in _SOURCES else ""
    ctx.facts.append(
        Fact(measure, value, unit, item, year, basis, evidence, ctx.location, "prose", precision, of, scope)
    )


def _figure(fig: Figure, label: str, before: str, evidence: str, topic: str, after: str, ctx: Context) -> None:
    ctx.scope = scope_of(before) or ctx.lead_scope  # 一般公共预算拨款支出X万元，其中：一般公共服务支出Y万元
    named_before = ctx.facts[-1] if ctx.facts else None
    _read_figure(fig, label, before, evidence, topic, after, ctx)
    stated = (ctx.facts[-1] if ctx.facts else None) is not named_before
    ctx.after_count = fig.kind == "count"
    if fig.kind == "money":
        ctx.unnamed = None if stated else fig
        if ctx.first is fig:
            ctx.first_named = stated


@cache
def _topic_totals() -> dict[str, str]:
    return load("measures")["topic_totals"]


def _term_of(measure: str) -> Term:
    """The main term of a measure (the first phrase listed for it)."""
    return next(t for t in reversed(terms()) if t.measures == (measure,) and not t.topic and not t.change_only)


def _same_as_base(fig: Figure, ctx: Context) -> bool:
    """An unnamed amount equal to the base's (财政拨款收入19577万元 of 收入预算19577万元) is the base."""
    if ctx.base is None:
        return False
    stated = [f.value for f in ctx.facts if f.measure in ctx.base.measures]
    return bool(stated) and abs(stated[-1] - fig.value) <= fig.precision


def scope_of(text: str) -> str:
    """The scope last announced in `text` (the sentence before the figure)."""
    return last_keyword(text, load("measures")["scope"]) if any_word("measures", "scope").search(text) else ""


def _read_figure(fig: Figure, label: str, before: str, evidence: str, topic: str, after: str, ctx: Context) -> None:
    ctx.current = fig
    if fig.kind == "money":
        ctx.last = fig
        ctx.first = ctx.first or fig
    if after.startswith(tuple(load("measures")["instructions"]["after"])):
        return  # 预算执行率未达到90%的需说明原因: a blank form's instruction
    if _restated(fig, label, evidence, ctx):
        return
    if fig.kind == "percent" and _share(fig, label, evidence, topic, ctx):
        return
    # the basis the figure's own clause names (…决算大于预算数的情况：…预算数为0), else the label's
    basis = basis_of(_CLAUSE_BREAK.split(label)[-1], "") or basis_of(label, ctx.doc_kind)
    year = year_of(label, before, ctx)
    found = (
        count_term(fig, label, after, topic, ctx.after_count, before)
        if fig.kind == "count"
        else match_term(label, fig.kind, topic)
    )
    if found and ctx.subitem and (found[0].qualifier and set(found[0].measures) & _TOTALS):
        found = None  # 住房公积金（项）…支出决算为29.42万元: the sub-item's amount, not the total
    if found and ctx.subitem and any(m.startswith("revenue.") for m in found[0].measures):
        found = None  # 其他政府性基金安排的支出（项）预算为10493万元: a name of the sub-item, not revenue
    local = topic_at(before)  # the topic named in this sentence (not a stale section heading)
    if found and "budget.execution_rate" in found[0].measures and local:
        found = None  # 三公经费…完成预算的0%: the topic's own execution, not the department's
    if found and found[0].qualifier and set(found[0].measures) & _TOTALS and local in _topic_totals():
        found = (_term_of(_topic_totals()[local]), found[1])  # 三公…支出决算为0.00万元
    change = change_word(label) if fig.kind in ("money", "percent") else None
    if change and any(w in before for w in load("measures")["reason"]["words"]):
        return  # 主要原因是基本支出增加335.94万元: a part's change given as a reason, never a level
    if change and (found is None or change[1] >= found[1] - len(found[0].phrase)):
        named = match_term(label[: change[1]], "money", topic, values=False)
        if named and not named[0].change:
            return  # 因公出国（境）费减少0万元: a change of a part without a change measure
        if named and named[0].change_only and line_item(label[: named[1] - len(named[0].phrase)]):
            return  # 行政运行支出增加10万元: a line item's change, not the department's
        if not named and ctx.subitem:
            return
        if not named and ctx.unnamed is not None and not _same_as_base(ctx.unnamed, ctx):
            return  # 财政拨款收入2114万元（of 2144），比上年增加19万元: the change of a part without a measure
        if not named and ctx.previous is not None and not ctx.previous.change:
            return  # 事业收入30万元，比上年增加30万元: the change of a part without a change measure
        if named and ctx.subitem and (named[0].change_only or named[0].qualifier):
            return  # 行政运行（项）…比上年增加: the sub-item's change, not the department's
        base = named[0] if named else ctx.base
        parts = [] if named else _listed_parts(before, label)
        if parts:
            base = _sum_owner(parts, evidence, ctx)  # 其中：A、B、C，较上年增加Z: not C's change
        if base and base.change and not _SHARE.search(label[change[1] :]):
            ctx.base = base  # "…增加88.87万元，增加率为8.8%": the rate is of the same base
            suffix = "change_pct" if fig.kind == "percent" else "change"
            value = fig.value if change[0] >= 0 else -abs(fig.value)
            basis, of = _comparison_of(label, basis, ctx)
            for changed in base.change.split("|"):  # 收、支预算总计各增加…: both
                _emit(ctx, f"{changed}.{suffix}", value, fig.unit, evidence, year=ctx.fiscal_year, basis=basis, of=of)
        return
    if fig.kind == "money" and not change and _compared(fig, label, found, evidence, ctx):
        return
    if found is None and ctx.heading and not ctx.facts and not change and not change_word(ctx.heading):
        found = match_term(ctx.heading, fig.kind, topic)  # （一）因公出国（境）费。2026年预算数173.52万元
        found = found if found and not found[0].change_only else None
    restate = load("measures")["restate"]
    if fig.kind == "money" and ctx.base and label.endswith(tuple(restate["endings"])):
        for measure in ctx.base.measures:  # 压减公用经费后安排36万元
            _emit(ctx, measure, fig.value, fig.unit, evidence, year=year, basis=basis)
        return
    used = _USED_FOR.search(label) if found is not None and "expenditure.project" in found[0].measures else None
    if used and fig.kind == "money":  # 项目资金实际用于放心肉智能监管平台服务数据项目支出32.04万元: that project's
        _emit(ctx, "project", fig.value, fig.unit, evidence, item=used.group("name"), year=year, basis=basis)
        return
    if found is not None and ctx.projects and not found[0].item:
        name = project_name(label, tail=False)
        if len(name) > len(found[0].phrase) and name.endswith(found[0].phrase):
            found = None  # 临时人员经费 in a list of projects is a project, not 人员经费
        elif "expenditure.project" in found[0].measures and "项目" not in found[0].phrase:
            found = None  # 专项业务经费 in a list of projects is one of them, not their total
    if found is not None:
        term = found[0]
        item = term.phrase if term.item else rated_project(label, term)
        if fig.kind == "count" and not item and _whole_stated(term, before, evidence, ctx):
            item = _part_named(label, term)  # 人员编制145人，其中行政编制59人: 行政编制 is a part, not the whole
            if not item:
                return
        basis = term.basis or basis
        for measure in term.measures:
            unit = count_unit(measure, fig.unit) if fig.kind == "count" else fig.unit
            _emit(ctx, measure, fig.value, unit, evidence, item=item, year=year, basis=basis)
        ctx.previous = term
        if term.change:
            ctx.base = term
        if "expenditure.project" in term.measures:
            ctx.projects = True
        return
    if fig.kind == "money" and ctx.projects:
        name = project_key(project_name(label))
        if name and not is_category(name) and not _stated_project(name, fig.value, ctx):
            listed = next((f for f in reversed(ctx.facts) if f.measure == "expenditure.project"), None)
            if listed is not None and not basis_of(label, ""):
                basis = listed.basis  # 项目年初预算…，其中：部门预算项目3683.76万元: the list's basis
            _emit(ctx, "project", fig.value, fig.unit, evidence, item=name, year=year, basis=basis)


_PART_BREAK = re.compile(r"[，,；;：:。、]")


def _whole_stated(term: Term, before: str, evidence: str, ctx: Context) -> bool:
    """Has this sentence stated the count of `term`'s measure before a 其中 that this figure follows?"""
    if "其中" not in before:
        return False
    return any(f.evidence == evidence and f.measure in term.measures and not f.item for f in ctx.facts)


def _part_named(label: str, term: Term) -> str:
    """The part a count after 其中 names (…，其中行政编制 → 行政编制; 、事业编制 → 事业编制), "" if none."""
    part = re.sub(r"^其中", "", _PART_BREAK.split(label)[-1].strip()).strip()
    return part if part.endswith(term.phrase) and len(part) <= MAX_PART_NAME else ""


def _comparison_of(label: str, basis: str, ctx: Context) -> tuple[str, str]:
    """The basis of a change and what it is compared with: '' for the year before (比上年), else the
    year and basis named (比2022年决算数减少… → "2022 actual"). A change whose label names no
    comparison (…减少15万元，下降4.8%) is against the one the sentence named last."""
    compared = list(_COMPARISON.finditer(label))
    if not compared:
        return ctx.comparison or (basis, "")
    years = _ANY_YEAR.findall(compared[-1].group(0))
    of = ""
    if years and ctx.fiscal_year and int(years[-1]) != ctx.fiscal_year - 1:
        of = f"{years[-1]} {basis}"
    ctx.comparison = (basis, of)
    return ctx.comparison


_ENUMERATION = re.compile(r"其中[：:](?P<parts>[^，,。；;：:]*、[^，,。；;：:]*)$")


def _listed_parts(before: str, label: str) -> list[Figure]:
    """其中：A X万元、B Y万元、C Z万元，较上年增加…: the parts joined by 、 that a change follows (two at
    least), else none."""
    m = _ENUMERATION.search(before[: len(before) - len(label)])
    parts = figures(m.group("parts")) if m else []
    return parts if len(parts) >= 2 else []


def _sum_owner(parts: list[Figure], evidence: str, ctx: Context) -> Term | None:
    """The measure whose amount the listed parts add up to (the whole before 其中), else None:
    the change of a list is the sum's, never its last part's."""
    total = sum(f.value for f in parts)
    slack = sum(f.precision for f in parts) + 1e-6
    this_sentence = list(takewhile(lambda f: f.evidence == evidence, reversed(ctx.facts)))
    for fact in this_sentence:
        if fact.unit == "万元" and abs(fact.value - total) <= slack and not fact.item:
            term = next((t for t in terms() if t.measures == (fact.measure,) and t.change), None)
            if term is not None:
                return term
    return None


def _stated_project(name: str, value: float, ctx: Context) -> bool:
    """The same project with the same amount already read (named twice, with and without its code)."""
    return any(f.measure == "project" and f.item == name and f.value == value for f in ctx.facts)


_NOUN_END = re.compile(r"[，,、；;。：:和及与或\d]")


def count_term(
    fig: Figure, label: str, after: str, topic: str, after_count: bool, sentence: str = ""
) -> tuple[Term, int] | None:
    """The term naming a count: the noun right after it (共32个内设机构、12个直属事业单位), else the
    label before it (编制数113人), else a noun further on in its own phrase (设20个内设机构,
    下属0个单位公务用车保有量). A phrase right after the previous count is that count's noun
    (9个内设机构和5个城区大队), a count printed in a unit the measure is not counted in is not
    it (共计8家 is no headcount), and people who are not the department's are not its staff, named
    in its own clause or in the enumeration of counts it closes ("关停企业…覆盖企业41家，留守人员
    387余人，在职人员1376人")."""
    noun = _NOUN_END.split(after, maxsplit=1)[0]
    following = match_term(noun, "count", topic)
    found, context, prefix = None, "", sentence  # prefix: the sentence up to the term
    if following and following[1] == len(following[0].phrase):
        found, context = following, ""
    else:
        before = match_term(label, "count", topic)
        start = before[1] - len(before[0].phrase) if before else 0
        if before and not (after_count and start == 0):
            found, context = before, _CLAUSE_BREAK.split(label[:start])[-1]
            prefix = sentence[: len(sentence) - len(label)] + label[:start]
        elif following:
            found, context = following, noun[: following[1] - len(following[0].phrase)]
    if found is None:
        return None
    term = found[0]
    if term.units and fig.printed not in term.units:
        return None
    outsiders = [
        w
        for key, words in load("measures")["not_of_department"].items()
        if any(m.split(".")[0] == key for m in term.measures)
        for w in words
    ]
    if any(w in context for w in outsiders):
        return None  # 管理关闭破产企业离退休人员3200人
    if any(w in enumeration(prefix) for w in outsiders):
        return None
    return found


_COUNTED = re.compile(r"\d+(?:\.\d+)?余?[人名家个户]")


def enumeration(before: str) -> str:
    """The clauses before a count's own clause that count something too (the enumeration it
    closes: "覆盖企业41家，留守人员387余人，在职人员"), unless its own clause names the department."""
    clauses = _CLAUSE_BREAK.split(before)
    own, earlier = clauses[-1], clauses[:-1]
    if any(w in own for w in load("measures")["own_people"]["words"]):
        return ""
    counted = list(takewhile(lambda c: bool(_COUNTED.search(c)), reversed(earlier)))
    return "，".join(reversed(counted))


_YEARS = re.compile(r"\d{4}年度?|\d+")


def line_item(before: str) -> bool:
    """Whether the words before a bare 支出/收入 in its clause name a line item (行政运行支出),
    not the department's whole (本部门2026年支出, 北京市审计局支出, 财政拨款支出)."""
    clause = _YEARS.sub("", _CLAUSE_BREAK.split(before)[-1]).strip()
    for word in sorted(load("measures")["change"]["whole"], key=len, reverse=True):
        clause = clause.replace(word, "")
    return bool(re.search(r"[\u4e00-\u9fff]", clause)) and not is_org_name(clause, load("identity"))


def _compared(fig: Figure, label: str, found: tuple[Term, int] | None, evidence: str, ctx: Context) -> bool:
    """比2025年年初预算数30385.62万元 / 基本支出比上年800万元增加…: the earlier value of the measure
    named before the comparison (else of the sentence's previous figure, else of its base), never
    the current one."""
    compared = _COMPARED.search(label)
    if not compared or any(w in compared.group(0) for w in load("measures")["comparison"]["not_in_tail"]):
        return False
    term = found[0] if found and found[1] <= compared.start() else ctx.previous or ctx.base
    if term is None:
        return True
    year, basis = _comparison_year(compared.group(0), ctx), basis_of(compared.group(0), ctx.doc_kind)
    for measure in term.measures:
        _emit(ctx, measure, fig.value, fig.unit, evidence, year=year, basis=basis)
    ctx.previous = term
    if term.change:
        ctx.base = term
    return True


def _restated(fig: Figure, label: str, evidence: str, ctx: Context) -> bool:
    """Figures that restate the measure just named: its percentage in brackets (减少20万元（6.25%）),
    its value on another basis (完成全年预算1250万元) or another year (2023年预算数为450万元)."""
    last = ctx.facts[-1] if ctx.facts else None
    if fig.kind == "percent" and label.strip() in ("（", "(") and last and last.measure.endswith(".change"):
        value = -abs(fig.value) if last.value < 0 else fig.value
        _emit(ctx, f"{last.measure}_pct", value, "%", evidence, year=last.year, basis=last.basis)
        return True
    if fig.kind != "money" or ctx.previous is None or change_word(label):
        return False
    if label.endswith(tuple(load("measures")["against"]["endings"])):
        year = int(_YEAR.findall(label)[-1]) if _YEAR.search(label) else last.year if last else ctx.fiscal_year
        for measure in ctx.previous.measures:  # the year of the figure it restates (决算为X，完成全年预算Y)
            _emit(ctx, measure, fig.value, fig.unit, evidence, year=year, basis=basis_of(label, ""))
        return True
    if _BARE_YEAR.match(label):
        for measure in ctx.previous.measures:
            _emit(
                ctx,
                measure,
                fig.value,
                fig.unit,
                evidence,
                year=year_of(label, "", ctx),
                basis=basis_of(label, ctx.doc_kind),
            )
        return True
    return False


def _share(fig: Figure, label: str, evidence: str, topic: str, ctx: Context) -> bool:
    """一般公共服务支出439.56万元，占40.15%: the share of the figure before, of the total named or in force."""
    share = re.search(r"占(?P<of>[^，。；]*?)(?:的)?(?:比重|比例)?(?:为|是)?$", label)
    if not share or not ctx.facts or change_word(label[share.end() :]):
        return False
    part = ctx.facts[-1]
    named = match_term(share.group("of"), "money", topic, values=False)
    # the base: named after 占, else an unnamed amount the paragraph opens with ("一般公共预算拨款
    # 支出为3055.44万元，其中：…占84.74%" → "=3055.44"), else the part's whole
    opening = ctx.first if ctx.first is not None and not ctx.first_named else None
    whole = load("measures")["share_bases"].get(part.measure, "")
    of = named[0].measures[-1] if named else (f"={opening.value:g}" if opening else whole)
    if of and of != part.measure and part.unit == "万元":
        _emit(
            ctx,
            f"{part.measure}.share",
            fig.value,
            "%",
            evidence,
            item=part.item,
            year=part.year,
            basis=part.basis,
            of=of,
        )
    return True


def _comparison_year(label: str, ctx: Context) -> int | None:
    years = _ANY_YEAR.findall(label)
    if years:
        return int(years[-1])
    return ctx.fiscal_year - 1 if ctx.fiscal_year else None


@cache
def _project_lead() -> re.Pattern[str]:
    """Connectors and list numbers before a project's name (，具体包括：1. / ；（2） / ③)."""
    words = load("measures")["projects"]
    alternatives = "|".join([*(re.escape(w) for w in sorted(words["lead"], key=len, reverse=True)), *words["markers"]])
    return re.compile(rf"^(?:[，、：:；;。\s]|{alternatives})+")


@cache
def _project_code() -> re.Pattern[str]:
    return re.compile(load("measures")["projects"]["code"])


def project_key(name: str) -> str:
    """A project's name without the code printed before it: one project, one name."""
    return _project_code().sub("", name).strip() or name


def is_project_category(name: str) -> bool:
    """其他经转类, 特定目标类项目, 其他经转类专项经费: a category of projects, not a project."""
    categories = load("tables")["project_categories"]
    bare = re.sub(categories["suffix"], "", name) or name
    return any(
        word in categories["names"] or (word.endswith(tuple(categories["endings"])) and len(word) <= 8)
        for word in (name, bare)
    )


def is_category(name: str) -> bool:
    """A category of projects, or a kind of spending (上缴上级支出) or an amount (到位资金) of the list."""
    words = load("measures")["projects"]
    return name in words["not_projects"] or name in words["not_names"] or is_project_category(name)


_USED_FOR = re.compile(r"用于(?P<name>[^，。；、：:“”\"]{2,40}?项目)支出$")
_RATED = re.compile(r"(?:项目|经费|专项|专项资金)$")


def rated_project(label: str, term: Term) -> str:
    """The project a rate is of (食品安全检测能力建设项目预算执行率为77.77%), or '' for the department's."""
    if "budget.execution_rate" not in term.measures or term.phrase not in label:
        return ""
    owner = project_name(label[: label.rfind(term.phrase)].rstrip("的"), tail=False)
    return owner if _RATED.search(owner) and owner not in ("项目", "专项") else ""


def project_name(label: str, tail: bool = True) -> str:
    """A project's name from the label before its amount: connectors, list numbers (and trailing words) removed."""
    name = _project_lead().sub("", label.strip()).strip("，、：:；。（）() ")
    name = _PROJECT_TAIL.sub("", name).strip("，、：: ") if tail else name
    if not 2 <= len(name) <= MAX_PROJECT_NAME or re.search(r"[，。；：]|其中|合计|总计", name):
        return ""
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", name):
        return ""  # "**" of a column-number row is no name
    return name


def _lists(text: str, ctx: Context) -> None:
    """内设机构包括：A、B、C。 — the count of the listed units."""
    for measure, phrases in load("measures")["lists"].items():
        for phrase in phrases:
            if phrase not in text:  # most paragraphs list nothing: no pattern to build or search
                continue
            m = re.search(re.escape(phrase) + r"[：:]?(?P<list>[^。；]+)", text)
            if m:
                items = [i for i in re.split(r"[、，,]", _strip_brackets(m.group("list"))) if i.strip()]
                unit = "个"
                _emit(ctx, measure, float(len(items)), unit, text[m.start() : m.end()], year=ctx.fiscal_year)
                break


def _strip_brackets(text: str) -> str:
    """Drop bracketed asides (人事教育处（离退休干部处）) so their 、 do not split items."""
    while True:
        stripped = re.sub(r"[（(][^（）()]*[）)]", "", text)
        if stripped == text:
            return text
        text = stripped


def _restated_whole(clause: str) -> str | None:
    """The first 全部为 / 均为 word (measures.toml [restate] all_of) in `clause`, if any."""
    if not any_word("measures", "restate", "all_of").search(clause):
        return None
    return next(w for w in load("measures")["restate"]["all_of"] if w in clause)


def _change_stated(evidence: str, ctx: Context) -> bool:
    """Whether the sentence `evidence` (not the paragraph) already stated a change."""
    this_sentence = takewhile(lambda f: f.evidence == evidence, reversed(ctx.facts))
    return any(f.measure.endswith((".change", ".change_pct")) for f in this_sentence)


def _zeros(plain: str, evidence: str, context_topic: str, ctx: Context) -> None:
    """无会议费预算 / 当年度无三公经费支出: a zero; 与上年持平: a zero change of the base. `context_topic`:
    the topic in force before the sentence (a topic word in the sentence before a clause overrides it)."""
    pos = 0
    for clause in _CLAUSE_END.split(plain):
        start, pos = pos, pos + len(clause) + 1
        zero = _ZERO.search(clause)
        whole = _restated_whole(clause) if ctx.last is not None else None
        change = change_word(clause)
        if not (zero or whole or change) or _has_figure(clause):  # most clauses state none of the three
            continue
        topic = topic_at(plain[:start]) or context_topic
        if zero:
            tail = clause[zero.end() :]
            found = match_term(tail, "money", topic) or match_term(tail, "count", topic)
            if found and found[0].zero and tail.startswith(found[0].phrase[:2]):
                for measure in found[0].measures:
                    _emit(
                        ctx,
                        measure,
                        0.0,
                        "万元" if found[0].unit == "money" else count_unit(measure),
                        evidence,
                        year=year_of("", plain, ctx),
                        basis=basis_of(clause, ctx.doc_kind),
                    )
        if whole:  # 全部为一般公共预算拨款: the same amount
            found = match_term(clause[clause.index(whole) :], "money", topic)
            for measure in found[0].measures if found else ():
                _emit(
                    ctx,
                    measure,
                    ctx.last.value,
                    "万元",
                    evidence,
                    year=year_of("", plain, ctx),
                    basis=basis_of(clause, ctx.doc_kind),
                )
        if change and change[0] == 0 and not _change_stated(evidence, ctx):  # "增长0.8%，与上年基本持平": none
            found = match_term(clause, "money", topic, values=False)
            if not found and ctx.previous is not None and not ctx.previous.change:
                continue  # 其中：因公出国（境）经费0万元，较上年无变化: the part's, which has no change measure
            base = found[0] if found and found[0].change else ctx.base
            for changed in base.change.split("|") if base and base.change else ():
                _emit(
                    ctx,
                    f"{changed}.change",
                    0.0,
                    "万元",
                    evidence,
                    year=ctx.fiscal_year,
                    basis=basis_of(clause, ctx.doc_kind),
                )
