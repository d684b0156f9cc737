"""What a department report and the comparison show, built from the tidy frames.

Every function returns either a `ReaderTable` (Chinese headers, kinds of columns for the
presentation layer) or a `Chart` (one year, one basis, its title saying both, or the
sentence that stands instead of a chart that would mislead).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from budgetbook.extract.facts import REVENUE_PARTS
from budgetbook.extract.vocab import load
from budgetbook.report.names import safe_names
from budgetbook.report.present import COUNT, MONEY, PERCENT, SCORE, VALUE, YEAR, ReaderTable, is_missing, plain
from budgetbook.storage import read_frames

FRAMES = (
    "documents",
    "facts",
    "indicators",
    "checks",
    "completeness",
    "audit_ledger",
    "tables",
    "paragraphs",
    "problems",
)
KEY_MEASURES = [
    "revenue.total",
    "expenditure.total",
    "expenditure.basic",
    "expenditure.project",
    "expenditure.personnel",
    "expenditure.public",
    "sangong.total",
    "operating_costs",
    "procurement.total",
    "meeting_fee",
    "training_fee",
    "staff.authorized",
    "staff.active",
    "assets.vehicles",
    "performance.projects",
    "performance.score",
    "budget.execution_rate",
    "revenue.change",
    "revenue.change_pct",
    "expenditure.change",
    "expenditure.change_pct",
]
SOURCES = list(REVENUE_PARTS)
SANGONG = ["sangong.overseas", "sangong.vehicle_purchase", "sangong.vehicle_operation", "sangong.reception"]
KIND_NAMES = {"budget": "预算", "final_account": "决算", "self_evaluation": "绩效自评", "other": "其他"}
KIND_TITLES = {"budget": "部门预算", "final_account": "部门决算", "self_evaluation": "部门整体支出绩效自评报告"}
BASIS_NAMES = {"budget": "预算", "adjusted": "调整预算", "actual": "决算"}
BASIS_ORDER = {"budget": 0, "actual": 1, "adjusted": 2}
OWN_BASIS = {"budget": "budget", "final_account": "actual", "self_evaluation": "actual"}
SOURCE_NAMES = {"prose": "正文", "table": "表格"}
SEVERITY_NAMES = {"error": "错误", "warning": "提示", "info": "通过"}
STATUS_NAMES = {"present": "已公开", "none": "说明为无", "absent": "未见"}
LEVEL_NAMES = {"中央": "中央", "省": "省级", "市": "市级", "县": "县级", "乡": "乡级"}
TITLE_WORDS = ("预算", "决算", "报告", "说明", "公开", "自评")
_CODE = re.compile(r"(?<![A-Za-z])([a-z_]+(?:\.[a-z_]+)+|project)(?:\[([^\]]*)\])?")
_LOCATION = re.compile(r"(?:p(?P<page>\d+)\s+)?l(?P<line>\d+)(?:\s+t(?P<table>\d+)\s+r(?P<row>\d+)\s+c(?P<col>\d+))?")


def load_frames(clean: Path | str) -> dict[str, pd.DataFrame]:
    """The frames `budgetbook extract` wrote to `clean`."""
    return read_frames(Path(clean), FRAMES)  # all from the same generation


def measure_name(measure: str) -> str:
    """The Chinese name of a measure code (`expenditure.personnel` → 人员经费)."""
    names = load("measures")["names"]
    if measure.endswith(".share"):
        return names.get(measure.removesuffix(".share"), measure) + "占比"
    return names.get(measure, measure)


def basis_name(basis: object) -> str:
    return BASIS_NAMES.get(str(basis), "") if not is_missing(basis) else ""


def departments(frames: dict[str, pd.DataFrame]) -> list[str]:
    """The departments of the disclosures (documents that are not disclosures are left out)."""
    docs = frames.get("documents")
    if docs is None or docs.empty:
        return []
    docs = docs.loc[(docs.doc_kind != "other") & docs.department.fillna("").ne("")]
    return sorted(docs.department.unique())


def report_folders(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each department's report folder name under reports/ (safe and distinct)."""
    return safe_names(departments(frames))


# ---------------------------------------------------------------- documents and provenance


def display_title(doc: pd.Series) -> str:
    """The document's title: its own when it reads like one, else 部门 + 年度 + kind (never a first paragraph)."""
    title = plain(doc.get("title"))
    looks_like_title = (
        title
        and len(title) <= 60
        and any(w in title for w in TITLE_WORDS)
        and not re.search(r"[，。；：:]|包括|如下", title)
    )
    if looks_like_title:
        return title
    year = "" if is_missing(doc.get("fiscal_year")) else f"{int(doc.get('fiscal_year'))}年"
    department = plain(doc.get("department"))
    return f"{department}{year}{KIND_TITLES.get(str(doc.get('doc_kind')), '公开文件')}"


def readable_location(location: object) -> str:
    """`p9 l12 t2 r3 c4` → 第9页 表2 第4行 第5列; `l45` → 第45行 (rows and columns counted from 1)."""
    text = "" if is_missing(location) else str(location)
    m = _LOCATION.search(text)
    if not m:
        return text
    parts = [f"第{m['page']}页"] if m["page"] else []
    if m["table"]:
        if not m["page"]:
            parts.append(f"第{m['line']}行起")
        parts += [f"表{m['table']}", f"第{int(m['row']) + 1}行", f"第{int(m['col']) + 1}列"]
    else:
        parts.append(f"第{m['line']}行")
    return " ".join(parts)


def location_page(location: object) -> int | None:
    m = _LOCATION.search("" if is_missing(location) else str(location))
    return int(m["page"]) if m and m["page"] else None


def source_link(source_file: object, location: object, raw_dir: Path | str | None, from_dir: Path | str | None) -> str:
    """A link to the source file, relative to the page in `from_dir`, at its page where PDF viewers support it."""
    if is_missing(source_file) or raw_dir is None:
        return ""
    target = Path(raw_dir) / str(source_file)
    href = os.path.relpath(target, from_dir) if from_dir is not None else target.resolve().as_uri()
    href = quote(Path(href).as_posix(), safe="/:")  # a '#' or '%' in a file name stays part of the name
    page = location_page(location)
    return f"{href}#page={page}" if page and target.suffix.lower() == ".pdf" else href


def department_documents(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    docs = frames["documents"].loc[lambda d: d.department == department].sort_values(["fiscal_year", "doc_kind"])
    table = pd.DataFrame(
        {
            "部门": docs.department,
            "年度": docs.fiscal_year,
            "文件类型": docs.doc_kind.map(KIND_NAMES).fillna("其他"),
            "标题": [display_title(r) for _, r in docs.iterrows()],
            "地区": docs.region,
            "省份": docs.province,
            "级次": docs.level.map(LEVEL_NAMES),
            "源文件": docs.source_file,
            "页数": docs.pages,
            "文件编号": docs.doc_id,
        }
    )
    return ReaderTable(table, {"年度": YEAR, "页数": COUNT})


def department_facts(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    """The department's facts with the kind, year and file of the document each comes from."""
    docs = frames["documents"].loc[
        lambda d: d.department == department, ["doc_id", "doc_kind", "fiscal_year", "source_file", "department"]
    ]
    facts = frames["facts"].merge(docs, on="doc_id")
    return facts.assign(scope=facts.scope.fillna(""), item=facts.item.fillna(""))


def key_figures(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    """One row per key measure, year and basis (department-wide), with the first source stating it."""
    facts = department_facts(frames, department)
    facts = facts.loc[facts.measure.isin(KEY_MEASURES) & facts.scope.eq("") & facts.item.eq("")]
    if facts.empty:
        return pd.DataFrame(
            columns=[
                "measure",
                "year",
                "basis",
                "value",
                "unit",
                "values",
                "doc_id",
                "source_file",
                "location",
                "evidence",
                "指标",
                "口径",
                "说明",
            ]
        )
    order = {m: i for i, m in enumerate(KEY_MEASURES)}
    ordered = facts.assign(_order=facts.measure.map(order), _prose=facts.source.ne("prose")).sort_values(
        ["_order", "year", "basis", "_prose"]
    )
    others = ordered.groupby(["measure", "year", "basis"], sort=False, dropna=False).apply(
        _other_values, include_groups=False
    )
    first = (
        ordered.groupby(["measure", "year", "basis"], sort=False, dropna=False)
        .agg(
            value=("value", "first"),
            unit=("unit", "first"),
            values=("value", "nunique"),
            doc_id=("doc_id", "first"),
            source_file=("source_file", "first"),
            location=("location", "first"),
            evidence=("evidence", "first"),
        )
        .reset_index()
    )
    return first.assign(
        指标=first.measure.map(measure_name),
        口径=first.basis.map(basis_name),
        说明=[others.get((m, y, b), "") for m, y, b in zip(first.measure, first.year, first.basis, strict=True)],
    )


def _other_values(group: pd.DataFrame) -> str:
    """The other values stated for the figure, each with where: 文中另有36.00（第58行）."""
    shown, doc = group.value.iloc[0], group.doc_id.iloc[0]
    rest = group.loc[group.value.ne(shown)].drop_duplicates("value")
    stated = [
        f"{row.value:,.2f}（{'' if row.doc_id == doc else f'{row.source_file} '}{readable_location(row.location)}）"
        for row in rest.itertuples()
    ]
    return f"文中另有{'；'.join(stated)}，见校验" if stated else ""


def key_figures_table(
    frames: dict[str, pd.DataFrame],
    department: str,
    raw_dir: Path | str | None = None,
    from_dir: Path | str | None = None,
) -> ReaderTable:
    """Key figures for Excel: value with its unit's format, readable location and a link to the source."""
    fig = key_figures(frames, department)
    table = pd.DataFrame(
        {
            "部门": department,
            "年度": fig.year,
            "指标": fig.指标,
            "口径": fig.口径,
            "数值": fig.value,
            "单位": fig.unit,
            "说明": fig.说明,
            "原文": fig.evidence.map(plain),
            "位置": fig.location.map(readable_location),
            "源文件": fig.source_file,
            "打开源文件": [
                source_link(f, loc, raw_dir, from_dir) for f, loc in zip(fig.source_file, fig.location, strict=True)
            ],
        }
    )
    return ReaderTable(table, {"年度": YEAR, "数值": VALUE}, links={"源文件": "打开源文件"})


def provenance_html(
    frames: dict[str, pd.DataFrame],
    department: str,
    raw_dir: Path | str | None = None,
    from_dir: Path | str | None = None,
) -> str:
    """Key figures as an HTML table whose values link to their source entry (file, page, quoted text) below it."""
    from budgetbook.report.escape import html_text
    from budgetbook.report.present import STYLE, cell_text, note_html

    fig = key_figures(frames, department)
    if fig.empty:
        return note_html("文件未载明关键数据。")
    kinds = ReaderTable(pd.DataFrame(), {"v": VALUE}, unit_column="unit")
    rows, sources = [], []
    for n, r in enumerate(fig.itertuples(index=False), start=1):
        anchor = f"src-{n}"
        value = html_text(cell_text(r.value, kinds.kind("v", pd.Series({"unit": r.unit}))))
        rows.append(
            f"<tr><td>{html_text(r.指标)}</td><td>{html_text(cell_text(r.year, YEAR))}</td><td>{html_text(r.口径)}</td>"
            f"<td class='num'><a href='#{anchor}' title='{html_text(plain(r.evidence))}'>{value}</a></td>"
            f"<td>{html_text(r.unit)}</td><td>{html_text(r.说明)}</td></tr>"
        )
        href = source_link(r.source_file, r.location, raw_dir, from_dir)
        name = html_text(plain(r.source_file) or r.doc_id)
        file_ref = f"<a href='{html_text(href)}'>{name}</a>" if href else name
        sources.append(
            f"<li id='{anchor}'>{file_ref} {html_text(readable_location(r.location))}："
            f"“{html_text(plain(r.evidence))}”</li>"
        )
    head = "<tr><th>指标</th><th>年度</th><th>口径</th><th>数值</th><th>单位</th><th>说明</th></tr>"
    return (
        f"{STYLE}<table class='bb'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        "<h4>来源原文（点击数值跳转到这里，点击文件名打开原文件）</h4>"
        f"<ol style='font-size:90%'>{''.join(sources)}</ol>"
    )


# ---------------------------------------------------------------- charts


@dataclass
class Chart:
    """What a chart draws (one year, one basis) or the sentence that stands instead."""

    series: pd.Series
    title: str
    unit: str = "万元"
    note: str = ""  # when set, shown instead of a chart


def pick(facts: pd.DataFrame, measures: list[str] | str) -> tuple[pd.DataFrame, int | None, str]:
    """Department-wide facts of `measures` for one year and one basis.

    The latest year; in it, the basis the documents are about (a budget's 预算, a final
    account's 决算: not the budget column a final account prints beside its actuals).
    """
    measures = [measures] if isinstance(measures, str) else measures
    got = facts.loc[facts.measure.isin(measures) & facts.scope.eq("")]
    got = got.loc[got.year.notna() & got.basis.isin(list(BASIS_ORDER))]
    if got.empty:
        return got, None, ""
    year = int(got.year.max())
    got = got.loc[got.year == year]
    own = got.loc[got.basis.eq(got.doc_kind.map(OWN_BASIS))] if "doc_kind" in got else got.iloc[0:0]
    bases = own.basis.unique() if not own.empty else got.basis.unique()
    basis = min(bases, key=lambda b: b != "actual" if not own.empty else BASIS_ORDER[b])
    return got.loc[got.basis == basis], year, basis


def chart_title(topic: str, year: int | None, basis: str) -> str:
    return f"{year}年{basis_name(basis)} · {topic}" if year else topic


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1.0, abs(b) * 0.005)


def _whole_note(topic: str, parts: pd.Series, total: float | None, year: int | None, basis: str) -> str:
    """Why a breakdown is not drawn (parts missing or not the whole), or '' when it may be."""
    when = f"{year}年{basis_name(basis)}" if year else ""
    if parts.empty:
        return f"文件未载明{when}{topic}。"
    if total is None:
        return f"{when}{topic}：文件未载明合计，无法确认所列部分是否完整，未绘图。"
    if not _close(float(parts.sum()), total):
        return (
            f"{when}{topic}：所列部分合计{parts.sum():,.2f}万元，与合计{total:,.2f}万元相差"
            f"{parts.sum() - total:,.2f}万元，部分缺失或口径不同，未绘构成图。"
        )
    return ""


def _value(facts: pd.DataFrame, measure: str) -> float | None:
    got = facts.loc[(facts.measure == measure) & facts.item.eq("")]
    return float(got.value.iloc[0]) if not got.empty else None


def revenue_by_source(frames: dict[str, pd.DataFrame], department: str) -> Chart:
    facts, year, basis = pick(department_facts(frames, department), [*SOURCES, "revenue.total"])
    parts = facts.loc[facts.measure.isin(SOURCES) & facts.item.eq("")].drop_duplicates("measure")
    series = parts.set_index("measure").value.rename(index=measure_name)
    note = _whole_note("收入来源", series, _value(facts, "revenue.total"), year, basis)
    return Chart(series.loc[series != 0], chart_title("收入来源", year, basis), note=note)


def expenditure_by_function(frames: dict[str, pd.DataFrame], department: str) -> Chart:
    facts, year, basis = pick(department_facts(frames, department), ["expenditure.function", "expenditure.total"])
    parts = facts.loc[facts.measure.eq("expenditure.function") & facts.item.ne("")].drop_duplicates("item")
    series = parts.set_index("item").value
    note = _whole_note("支出功能分类（类）", series, _value(facts, "expenditure.total"), year, basis)
    return Chart(series.loc[series != 0], chart_title("支出功能分类（类）", year, basis), note=note)


def pair(frames: dict[str, pd.DataFrame], department: str, measures: list[str], whole: str, topic: str) -> Chart:
    """Two parts of a whole (基本/项目 of 支出合计, 人员/公用 of 基本支出): drawn when both are there and add up."""
    facts, year, basis = pick(department_facts(frames, department), [*measures, whole])
    parts = facts.loc[facts.measure.isin(measures) & facts.item.eq("")].drop_duplicates("measure")
    series = parts.set_index("measure").value.reindex(measures).rename(index=measure_name)
    missing = series.loc[series.isna()]
    if not series.isna().all() and len(missing):
        when = f"{year}年{basis_name(basis)}"
        stated, absent = "、".join(series.dropna().index), "、".join(missing.index)
        note = f"{when}{topic}：文件只载明{stated}，未载明{absent}，不计算占比。"
        return Chart(series.dropna(), chart_title(topic, year, basis), note=note)
    total = _value(facts, whole)
    note = _whole_note(topic, series.dropna(), total if total is not None else series.sum(), year, basis)
    return Chart(series.dropna(), chart_title(topic, year, basis), note=note)


def sangong_chart(frames: dict[str, pd.DataFrame], department: str) -> Chart:
    facts, year, basis = pick(department_facts(frames, department), [*SANGONG, "sangong.total"])
    parts = facts.loc[facts.measure.isin(SANGONG) & facts.item.eq("")].drop_duplicates("measure")
    series = parts.set_index("measure").value.rename(index=measure_name)
    title = chart_title("“三公”经费构成", year, basis)
    total = _value(facts, "sangong.total")
    if year is None:
        return Chart(series, title, note="文件未载明“三公”经费。")
    if (series.abs().sum() == 0 if len(series) else total == 0) and (total in (None, 0)):
        return Chart(series, title, note=f"{year}年{basis_name(basis)}“三公”经费为0（各项均为0），无图可绘。")
    note = _whole_note("“三公”经费构成", series.loc[series != 0] if len(series) else series, total, year, basis)
    return Chart(series.loc[series != 0], title, note=note)


def sangong_by_year(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    """ "三公" total and components (columns) by year and basis (rows), all documents."""
    facts = department_facts(frames, department)
    facts = facts.loc[facts.measure.isin([*SANGONG, "sangong.total"]) & facts.scope.eq("") & facts.item.eq("")]
    facts = facts.loc[facts.year.notna() & facts.basis.isin(list(BASIS_ORDER))]
    columns = [measure_name(m) for m in ["sangong.total", *SANGONG]]
    if facts.empty:
        return ReaderTable(pd.DataFrame(columns=["部门", "年度", "口径", *columns]), empty="文件未载明“三公”经费。")
    table = (
        facts.drop_duplicates(["year", "basis", "measure"])
        .pivot(index=["year", "basis"], columns="measure", values="value")
        .rename(columns=measure_name)
        .reindex(columns=columns)
        .reset_index()
    )
    table = table.assign(部门=department, 年度=table.year, 口径=table.basis.map(basis_name))[
        ["部门", "年度", "口径", *columns]
    ]
    return ReaderTable(table.sort_values(["年度", "口径"]), {"年度": YEAR, **dict.fromkeys(columns, MONEY)})


def topic_figures(frames: dict[str, pd.DataFrame], department: str, prefixes: tuple[str, ...]) -> ReaderTable:
    """All figures of some measures (机关运行经费, 政府采购 …) with year, basis and source."""
    facts = department_facts(frames, department)
    facts = facts.loc[facts.measure.str.startswith(prefixes) & facts.scope.eq("") & ~facts.measure.str.endswith("_pct")]
    facts = facts.drop_duplicates(["measure", "year", "basis", "value"]).sort_values(["measure", "year"])
    table = pd.DataFrame(
        {
            "部门": department,
            "指标": facts.measure.map(measure_name),
            "年度": facts.year,
            "口径": facts.basis.map(basis_name),
            "数值": facts.value,
            "单位": facts.unit,
            "原文": facts.evidence.map(plain),
            "位置": facts.location.map(readable_location),
        }
    )
    return ReaderTable(table, {"年度": YEAR, "数值": VALUE}, empty="文件未载明相关数据。")


def _project_vocabulary() -> dict:
    return load("report")["projects"]


def project_name(item: str) -> str:
    """A project's name without its code or list number ([13073024X…]怀财字… → 怀财字…)."""
    prefix = re.compile(_project_vocabulary()["prefix"])
    name = plain(item)
    for _ in range(3):
        stripped = prefix.sub("", name)
        if stripped == name:
            break
        name = stripped
    return name.strip() or plain(item)


def project_key(name: str) -> str:
    """What two listings of one project share (综合事务支出 and 怀财字【2024】7号综合事务 → 综合事务)."""
    key = project_name(name)
    for pattern in _project_vocabulary()["same_project_ignores"]:
        key = re.sub(pattern, "", key)
    return key or project_name(name)


def is_project(name: str, classes: set[str]) -> bool:
    """False for function or economic classes, categories and totals listed among projects."""
    if not name or name in classes:
        return False
    return not any(re.search(p, name) for p in _project_vocabulary()["not_projects"])


def projects(frames: dict[str, pd.DataFrame], department: str) -> tuple[pd.DataFrame, int | None, str]:
    """The projects of one year and basis: no function classes or categories, each project once."""
    facts = department_facts(frames, department)
    got, year, basis = pick(facts, "project")
    classes = set(facts.loc[facts.measure.str.startswith(("expenditure.function", "expenditure.economic")), "item"])
    got = got.assign(项目=got.item.map(project_name))
    got = got.loc[[is_project(n, classes) and is_project(i, classes) for n, i in zip(got.项目, got.item, strict=True)]]
    got = got.assign(_key=got.项目.map(project_key), _coded=got.item.ne(got.项目), _table=got.source.eq("table"))
    got = got.sort_values(["value", "_coded", "_table"], ascending=False).drop_duplicates("_key")
    return got.drop(columns=["_key", "_coded", "_table"]), year, basis


def projects_table(frames: dict[str, pd.DataFrame], department: str, top: int | None = None) -> ReaderTable:
    got, _, _ = projects(frames, department)
    got = got if top is None else got.head(top)
    table = pd.DataFrame(
        {
            "部门": department,
            "年度": got.year,
            "口径": got.basis.map(basis_name),
            "项目": got.项目,
            "金额（万元）": got.value,
            "原文": got.evidence.map(plain),
            "位置": got.location.map(readable_location),
        }
    )
    return ReaderTable(table, {"年度": YEAR, "金额（万元）": MONEY}, empty="文件未列出项目。")


def projects_chart(frames: dict[str, pd.DataFrame], department: str, top: int = 15) -> Chart:
    got, year, basis = projects(frames, department)
    series = got.head(top).set_index("项目").value
    title = chart_title(f"项目支出（前{min(top, len(series))}项）" if len(got) > top else "项目支出", year, basis)
    return Chart(series, title, note="" if len(series) else "文件未列出项目。")


def budget_against_actual(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    """Totals by year: budget, adjusted budget and actual side by side, with the execution rate."""
    measures = ["revenue.total", "expenditure.total", "expenditure.basic", "expenditure.project", "sangong.total"]
    facts = department_facts(frames, department)
    facts = facts.loc[facts.measure.isin(measures) & facts.scope.eq("") & facts.item.eq("") & facts.year.notna()]
    cols = ["预算", "调整预算", "决算"]
    if facts.empty:
        return ReaderTable(
            pd.DataFrame(columns=["部门", "指标", "年度", *cols, "执行率"]), empty="文件未载明预算与决算数。"
        )
    table = (
        facts.drop_duplicates(["measure", "year", "basis"])
        .pivot_table(index=["measure", "year"], columns="basis", values="value", aggfunc="first")
        .rename(columns=BASIS_NAMES)
        .reindex(columns=cols)
        .reset_index()
    )
    rate = (table["决算"] / table["预算"] * 100).where(table["预算"] > 0).round(2)
    order = {m: i for i, m in enumerate(measures)}
    table = table.assign(
        部门=department, 指标=table.measure.map(measure_name), 年度=table.year, 执行率=rate, _o=table.measure.map(order)
    ).sort_values(["_o", "年度"])
    return ReaderTable(
        table[["部门", "指标", "年度", *cols, "执行率"]],
        {"年度": YEAR, **dict.fromkeys(cols, MONEY), "执行率": PERCENT},
    )


def department_indicators(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    docs = frames["documents"].loc[lambda d: d.department == department, ["doc_id", "fiscal_year"]]
    ind = frames["indicators"].merge(docs, on="doc_id")
    table = pd.DataFrame(
        {
            "部门": department,
            "年度": ind.fiscal_year,
            "项目": ind.project.map(plain),
            "一级指标": ind.level1,
            "二级指标": ind.level2,
            "三级指标": ind.level3,
            "指标描述": ind.description.map(plain),
            "目标值": ind.target,
            "实际值": ind.actual,
            "分值": pd.to_numeric(ind.weight, errors="coerce"),
            "得分": pd.to_numeric(ind.score, errors="coerce"),
            "位置": ind.location.map(readable_location),
        }
    )
    return ReaderTable(table, {"年度": YEAR, "分值": SCORE, "得分": SCORE}, empty="文件未列出绩效指标。")


def finding_sentence(message: object) -> str:
    """An audit message with measure codes named in Chinese (`expenditure.personnel=` → 人员经费为)."""

    def name(m: re.Match) -> str:
        label = measure_name(m[1])
        return f"{label}（{m[2]}）" if m[2] else label

    text = plain(message)
    text = _CODE.sub(name, text)
    text = re.sub(r"(?<=[\u4e00-\u9fff）”])=", "为", text)
    for code, label in SOURCE_NAMES.items():
        text = text.replace(f"（{code}）", f"（{label}）")
    return text


def department_completeness(frames: dict[str, pd.DataFrame], department: str) -> ReaderTable:
    if "completeness" not in frames:
        return ReaderTable(pd.DataFrame(), empty="未做完整性检查。")
    docs = frames["documents"][["doc_id", "fiscal_year", "doc_kind"]]
    comp = (
        frames["completeness"]
        .loc[lambda c: c.department == department]
        .drop(columns="doc_kind")
        .merge(docs, on="doc_id")
    )
    table = pd.DataFrame(
        {
            "部门": department,
            "年度": comp.fiscal_year,
            "文件类型": comp.doc_kind.map(KIND_NAMES),
            "公开事项": comp["item"],
            "情况": comp.status.map(STATUS_NAMES),
            "位置": comp["where"].map(readable_location),
            "完整性得分": comp.score,
        }
    )
    return ReaderTable(table, {"年度": YEAR, "完整性得分": PERCENT})


def all_facts(frames: dict[str, pd.DataFrame], department: str | None = None) -> ReaderTable:
    """Every figure, in Chinese: department, year, name, item, basis, value with its unit, source."""
    docs = frames["documents"][["doc_id", "department", "fiscal_year", "source_file"]]
    facts = frames["facts"].merge(docs, on="doc_id")
    if department is not None:
        facts = facts.loc[facts.department == department]
    table = pd.DataFrame(
        {
            "部门": facts.department,
            "年度": facts.year.fillna(facts.fiscal_year),
            "指标": facts.measure.map(measure_name),
            "细项": facts.item,
            "口径": facts.basis.map(basis_name),
            "数值": facts.value,
            "单位": facts.unit,
            "原文": facts.evidence.map(plain),
            "位置": facts.location.map(readable_location),
            "来源": facts.source.map(SOURCE_NAMES),
            "源文件": facts.source_file,
            "文件编号": facts.doc_id,
        }
    )
    return ReaderTable(table, {"年度": YEAR, "数值": VALUE})


# ---------------------------------------------------------------- comparison

COMPARE_MONEY = ["支出合计（万元）", "“三公”经费（万元）", "人均“三公”（万元）"]
COMPARE_PERCENT = ["基本支出占比", "项目支出占比", "人员经费占基本支出", "支出增减率"]


def comparison(frames: dict[str, pd.DataFrame], folders: dict[str, str] | None = None) -> ReaderTable:
    """Departments side by side: budgets with budgets of the same year, final accounts with final accounts.

    Only department-wide figures (no line items, no scoped figures); per-staff figures only where
    the department states its staff (在职人数); each row links to the department's report.
    """
    folders = folders if folders is not None else report_folders(frames)
    rows = []
    for dept in departments(frames):
        facts = department_facts(frames, dept)
        facts = facts.loc[facts.scope.eq("") & facts.item.eq("") & facts.year.notna()]
        for kind, basis in (("budget", "budget"), ("final_account", "actual")):
            own = facts.loc[(facts.doc_kind == kind) & (facts.basis == basis)]
            totals = own.loc[own.measure == "expenditure.total"]
            if totals.empty:
                continue
            year = int(totals.year.max())
            rows.append(_comparison_row(dept, year, basis, own.loc[own.year == year], facts, folders))
    columns = [
        "部门",
        "年度",
        "口径",
        *COMPARE_MONEY[:1],
        *COMPARE_PERCENT[:3],
        COMPARE_MONEY[1],
        "在职人数",
        COMPARE_MONEY[2],
        COMPARE_PERCENT[3],
        "规模排名",
        "人均“三公”排名",
        "确定问题",
        "核对覆盖",
        "报告",
    ]
    table = pd.DataFrame(rows, columns=[c for c in columns if c not in AUDIT_COLUMNS])
    table = _with_audit(table, frames).reindex(columns=columns)
    if not table.empty:
        group = table.groupby(["年度", "口径"])
        table["规模排名"] = group["支出合计（万元）"].rank(ascending=False, method="min")
        table["人均“三公”排名"] = group["人均“三公”（万元）"].rank(ascending=False, method="min")
        table = table.sort_values(["口径", "年度", "支出合计（万元）"], ascending=[False, False, False])
    kinds = {"年度": YEAR, "在职人数": COUNT, "规模排名": COUNT, "人均“三公”排名": COUNT, "确定问题": COUNT}
    kinds.update(dict.fromkeys(COMPARE_MONEY, MONEY) | dict.fromkeys(COMPARE_PERCENT, PERCENT))
    kinds["核对覆盖"] = PERCENT
    return ReaderTable(table, kinds, links={"部门": "报告"}, empty="没有可比较的部门（未读到预算或决算文件）。")


AUDIT_COLUMNS = ("确定问题", "核对覆盖")
_KIND_OF_BASIS = {"预算": "budget", "决算": "final_account"}


def _with_audit(table: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The comparison's rows with the audit of their documents: the 确定 findings (only these count as the
    document's errors) and the share of the applicable obligations that could be checked."""
    if table.empty:
        return table.assign(**dict.fromkeys(AUDIT_COLUMNS, pd.NA))
    docs = frames["documents"][["doc_id", "department", "fiscal_year", "doc_kind"]]
    checks = frames.get("checks", pd.DataFrame(columns=["doc_id", "passed", "severity"]))
    failed = checks.loc[~checks.passed.fillna(False)]
    grade = failed["grade"] if "grade" in failed else failed.severity.map({"error": "确定"})
    sure = failed.loc[grade == "确定"].groupby("doc_id").size()
    ledger = frames.get("audit_ledger", pd.DataFrame(columns=["doc_id", "status"]))
    applicable = ledger.loc[ledger.status != "不适用"].groupby("doc_id").size()
    checked = ledger.loc[ledger.status.isin(["通过", "未通过"])].groupby("doc_id").size()
    by_key = (
        docs.assign(
            sure=docs.doc_id.map(sure).fillna(0),
            applicable=docs.doc_id.map(applicable).fillna(0),
            checked=docs.doc_id.map(checked).fillna(0),
        )
        .groupby(["department", "fiscal_year", "doc_kind"])[["sure", "applicable", "checked"]]
        .sum()
    )

    def audit(row: pd.Series) -> pd.Series:
        key = (row["部门"], row["年度"], _KIND_OF_BASIS.get(row["口径"], ""))
        if key not in by_key.index:
            return pd.Series({"确定问题": pd.NA, "核对覆盖": pd.NA})
        got = by_key.loc[key]
        share = 100 * got.checked / got.applicable if got.applicable else pd.NA
        return pd.Series({"确定问题": int(got.sure), "核对覆盖": share})

    return pd.concat([table, table.apply(audit, axis=1)], axis=1)


def _comparison_row(dept: str, year: int, basis: str, own: pd.DataFrame, facts: pd.DataFrame, folders: dict) -> dict:
    def value(measure: str) -> float | None:
        got = own.loc[own.measure == measure]
        return float(got.value.iloc[0]) if not got.empty else None

    total, basic, project = value("expenditure.total"), value("expenditure.basic"), value("expenditure.project")
    personnel, sangong = value("expenditure.personnel"), value("sangong.total")
    staff_facts = facts.loc[facts.measure == "staff.active"]
    same_year = staff_facts.loc[staff_facts.year == year]
    staff_facts = same_year if not same_year.empty else staff_facts.sort_values("year")
    staff = float(staff_facts.value.iloc[-1]) if not staff_facts.empty else None
    return {
        "部门": dept,
        "年度": year,
        "口径": basis_name(basis),
        "支出合计（万元）": total,
        "基本支出占比": _share(basic, total),
        "项目支出占比": _share(project, total),
        "人员经费占基本支出": _share(personnel, basic),
        "“三公”经费（万元）": sangong,
        "在职人数": staff,
        "人均“三公”（万元）": round(sangong / staff, 4) if sangong is not None and staff else None,
        "支出增减率": value("expenditure.change_pct"),
        "报告": quote(f"{folders.get(dept, dept)}/02-department-report.html"),
    }


def _share(part: float | None, whole: float | None) -> float | None:
    return round(part / whole * 100, 2) if part is not None and whole else None


def comparison_groups(table: ReaderTable) -> list[tuple[int, str, pd.DataFrame]]:
    """The comparison split by year and basis, latest first: only these are ranked together."""
    frame = table.frame
    if frame.empty:
        return []
    keys = frame[["年度", "口径"]].drop_duplicates().sort_values(["口径", "年度"], ascending=[False, False])
    return [(int(y), b, frame.loc[(frame.年度 == y) & (frame.口径 == b)]) for y, b in keys.itertuples(index=False)]


def comparison_chart(group: pd.DataFrame, year: int, basis: str, column: str, topic: str) -> Chart:
    series = group.set_index("部门")[column].dropna()
    title = f"{year}年{basis} · {topic}"
    unit = "%" if column in COMPARE_PERCENT else "万元"
    missing = len(group) - len(series)
    note = "" if len(series) else f"{year}年{basis}：没有部门载明{topic}所需的数据。"
    if missing and len(series):
        title += f"（{missing}个部门未载明，未列入）"
    return Chart(series, title, unit=unit, note=note)


def wide_figures(frames: dict[str, pd.DataFrame]) -> ReaderTable:
    """One row per department, year and basis; one column per key figure (for Excel)."""
    docs = frames["documents"][["doc_id", "department"]]
    facts = frames["facts"].merge(docs, on="doc_id")
    facts = facts.loc[
        facts.measure.isin(KEY_MEASURES)
        & facts.scope.fillna("").eq("")
        & facts.item.fillna("").eq("")
        & facts.department.isin(departments(frames))
        & facts.year.notna()
    ]
    if facts.empty:
        return ReaderTable(pd.DataFrame(columns=["部门", "年度", "口径"]))
    table = (
        facts.drop_duplicates(["department", "year", "basis", "measure"])
        .pivot(index=["department", "year", "basis"], columns="measure", values="value")
        .reindex(columns=[m for m in KEY_MEASURES if m in set(facts.measure)])
    )
    units = facts.drop_duplicates("measure").set_index("measure").unit
    kinds = {"年度": YEAR}
    renamed = {}
    for m in table.columns:
        unit = units.get(m, "")
        label = f"{measure_name(m)}（{unit}）" if unit else measure_name(m)
        renamed[m] = label
        kinds[label] = {"万元": MONEY, "%": PERCENT, "分": SCORE}.get(unit, COUNT)
    table = table.rename(columns=renamed).reset_index()
    table = table.assign(部门=table.department, 年度=table.year, 口径=table.basis.map(basis_name))
    return ReaderTable(table[["部门", "年度", "口径", *renamed.values()]], kinds)


def extraction_summary(frames: dict[str, pd.DataFrame]) -> ReaderTable:
    """Documents read, figures per document and problems: what 01-extract-documents shows."""
    docs = frames["documents"]
    counts = frames["facts"].groupby("doc_id").size().rename("数据条数")
    problems = frames["problems"].groupby("doc_id").message.agg("；".join).rename("问题")
    out = docs.set_index("doc_id").join(counts).join(problems).reset_index()
    table = pd.DataFrame(
        {
            "部门": out.department,
            "年度": out.fiscal_year,
            "文件类型": out.doc_kind.map(KIND_NAMES),
            "标题": [display_title(r) for _, r in out.iterrows()],
            "源文件": out.source_file,
            "页数": out.pages,
            "表格数": out.tables,
            "数据条数": out.数据条数.fillna(0),
            "问题": out.问题,
        }
    )
    return ReaderTable(table, {"年度": YEAR, "页数": COUNT, "表格数": COUNT, "数据条数": COUNT}, empty="没有读到文件。")


def problems_table(frames: dict[str, pd.DataFrame]) -> ReaderTable:
    p = frames["problems"]
    table = pd.DataFrame(
        {
            "源文件": p.source_file,
            "阶段": p.stage.map({"read": "读取", "extract": "提取"}),
            "级别": p.severity.map(SEVERITY_NAMES),
            "说明": p.message.map(plain),
        }
    )
    return ReaderTable(table, empty="所有文件均已读取，没有问题。")
