"""The tables a department report and the comparison show, built from the tidy frames."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from budgetbook.extract.facts import REVENUE_PARTS
from budgetbook.extract.vocab import load
from budgetbook.storage import read_frames

FRAMES = ("documents", "facts", "indicators", "checks", "completeness", "tables", "paragraphs", "problems")
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
BASIS_NAMES = {"budget": "预算", "adjusted": "调整预算", "actual": "决算/执行", "": ""}


def load_frames(clean: Path | str) -> dict[str, pd.DataFrame]:
    """The frames `budgetbook extract` wrote to `clean`."""
    return read_frames(Path(clean), FRAMES)  # all from the same generation


def measure_name(measure: str) -> str:
    names = load("measures")["names"]
    if measure.endswith(".share"):
        return names.get(measure.removesuffix(".share"), measure) + "占比"
    return names.get(measure, measure)


def departments(frames: dict[str, pd.DataFrame]) -> list[str]:
    """The departments of the disclosures (documents that are not disclosures are left out)."""
    docs = frames["documents"]
    docs = docs.loc[(docs.doc_kind != "other") & docs.department.fillna("").ne("")]
    return sorted(docs.department.unique())


def department_documents(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    docs = frames["documents"].loc[lambda d: d.department == department]
    return (
        docs.assign(文件类型=docs.doc_kind.map(KIND_NAMES))
        .rename(
            columns={
                "doc_id": "文件编号",
                "source_file": "源文件",
                "fiscal_year": "年度",
                "region": "地区",
                "province": "省份",
                "level": "级次",
                "title": "标题",
                "pages": "页数",
                "format": "格式",
            }
        )[["文件编号", "年度", "文件类型", "地区", "省份", "级次", "标题", "源文件", "格式", "页数"]]
        .sort_values("年度")
    )


def department_facts(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    """The department's facts with the kind and year of the document each comes from."""
    docs = frames["documents"].loc[lambda d: d.department == department, ["doc_id", "doc_kind", "fiscal_year"]]
    return frames["facts"].merge(docs, on="doc_id")


def key_figures(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    """One row per key measure, year and basis (department-wide scope), with its source."""
    facts = department_facts(frames, department)
    facts = facts.loc[facts.measure.isin(KEY_MEASURES) & facts.scope.fillna("").eq("")]
    order = {m: i for i, m in enumerate(KEY_MEASURES)}
    first = (
        facts.assign(_order=facts.measure.map(order), _prose=facts.source.ne("prose"))
        .sort_values(["_order", "year", "basis", "_prose"])
        .groupby(["measure", "year", "basis"], sort=False, dropna=False)
        .agg(
            value=("value", "first"),
            unit=("unit", "first"),
            values=("value", "nunique"),
            doc_id=("doc_id", "first"),
            location=("location", "first"),
            evidence=("evidence", "first"),
        )
        .reset_index()
    )
    return first.assign(
        指标=first.measure.map(measure_name),
        口径=first.basis.map(BASIS_NAMES).fillna(""),
        说明=first["values"].map(lambda n: "" if n == 1 else f"文中有{n}个不同数值，见校验"),
    )


def provenance_html(figures: pd.DataFrame) -> str:
    """Key figures as an HTML table whose values link to their source text (listed below it)."""
    rows, sources = [], []
    for n, r in enumerate(figures.itertuples(index=False), start=1):
        anchor = f"src-{n}"
        value = f"{r.value:,.2f}" if r.unit == "万元" else f"{r.value:g}"
        rows.append(
            f"<tr><td>{html.escape(r.指标)}</td><td>{'' if pd.isna(r.year) else int(r.year)}</td>"
            f"<td>{html.escape(r.口径)}</td><td style='text-align:right'><a href='#{anchor}' "
            f"title='{html.escape(str(r.evidence))}'>{value}</a></td><td>{html.escape(r.unit)}</td>"
            f"<td>{html.escape(r.说明)}</td></tr>"
        )
        sources.append(
            f"<li id='{anchor}'><b>[{n}]</b> {html.escape(str(r.doc_id))} {html.escape(str(r.location))}："
            f"{html.escape(str(r.evidence))}</li>"
        )
    head = "<tr><th>指标</th><th>年度</th><th>口径</th><th>数值</th><th>单位</th><th>说明</th></tr>"
    return (
        f"<table>{head}{''.join(rows)}</table><h4>来源原文（点击数值跳转）</h4>"
        f"<ol style='font-size:90%'>{''.join(sources)}</ol>"
    )


def latest(facts: pd.DataFrame, measures: list[str] | str, basis: str = "budget") -> pd.DataFrame:
    """Facts of `measures` for the latest year that has them in `basis` (else any basis)."""
    measures = [measures] if isinstance(measures, str) else measures
    pick = facts.loc[facts.measure.isin(measures) & facts.scope.fillna("").eq("")]
    if pick.empty:
        return pick
    preferred = pick.loc[pick.basis == basis]
    pick = preferred if not preferred.empty else pick
    year = pick.year.max()
    return pick.loc[pick.year == year]


def revenue_by_source(frames: dict[str, pd.DataFrame], department: str) -> pd.Series:
    facts = latest(department_facts(frames, department), SOURCES)
    series = facts.drop_duplicates("measure").set_index("measure").value
    return series.loc[series > 0].rename(index=measure_name)


def expenditure_by_function(frames: dict[str, pd.DataFrame], department: str) -> pd.Series:
    facts = latest(department_facts(frames, department), "expenditure.function")
    return facts.drop_duplicates("item").set_index("item").value.sort_values(ascending=False)


def pair(frames: dict[str, pd.DataFrame], department: str, measures: list[str]) -> pd.Series:
    """Two parts of a whole (基本/项目, 人员/公用) for the latest year."""
    facts = latest(department_facts(frames, department), measures)
    return facts.drop_duplicates("measure").set_index("measure").value.rename(index=measure_name)


def sangong_by_year(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    """ "三公" components (columns) by year and basis (rows), all documents."""
    facts = department_facts(frames, department)
    facts = facts.loc[facts.measure.isin([*SANGONG, "sangong.total"]) & facts.scope.fillna("").eq("")]
    if facts.empty:
        return pd.DataFrame()
    table = (
        facts.assign(年度=facts.year.astype("Int64").astype(str) + facts.basis.map(BASIS_NAMES).fillna(""))
        .drop_duplicates(["年度", "measure"])
        .pivot(index="年度", columns="measure", values="value")
    )
    return table.rename(columns=measure_name)


def topic_figures(frames: dict[str, pd.DataFrame], department: str, prefixes: tuple[str, ...]) -> pd.DataFrame:
    """All figures of some measures (机关运行经费, 政府采购 …) with year, basis and source."""
    facts = department_facts(frames, department)
    facts = facts.loc[facts.measure.str.startswith(prefixes) & facts.scope.fillna("").eq("")]
    return (
        facts.drop_duplicates(["measure", "year", "basis", "value"])
        .assign(指标=lambda f: f.measure.map(measure_name), 口径=lambda f: f.basis.map(BASIS_NAMES))[
            ["指标", "year", "口径", "value", "unit", "evidence", "location"]
        ]
        .rename(columns={"year": "年度", "value": "数值", "unit": "单位", "evidence": "原文", "location": "位置"})
    )


def projects_ranked(frames: dict[str, pd.DataFrame], department: str, top: int = 20) -> pd.DataFrame:
    facts = latest(department_facts(frames, department), "project")
    if facts.empty:
        return pd.DataFrame(columns=["项目", "金额（万元）", "年度", "原文"])
    best = facts.sort_values("value", ascending=False).drop_duplicates("item").head(top)
    return best.rename(columns={"item": "项目", "value": "金额（万元）", "year": "年度", "evidence": "原文"})[
        ["项目", "金额（万元）", "年度", "原文"]
    ]


def budget_against_actual(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    """Totals by year: budget, adjusted budget and actual side by side, with the execution rate."""
    facts = department_facts(frames, department)
    facts = facts.loc[
        facts.measure.isin(
            ["revenue.total", "expenditure.total", "expenditure.basic", "expenditure.project", "sangong.total"]
        )
        & facts.scope.fillna("").eq("")
    ]
    if facts.empty:
        return pd.DataFrame()
    table = facts.drop_duplicates(["measure", "year", "basis"]).pivot_table(
        index=["measure", "year"], columns="basis", values="value", aggfunc="first"
    )
    if {"budget", "actual"} <= set(table.columns):
        table["执行率%"] = (table["actual"] / table["budget"] * 100).round(2)
    table = table.rename(columns=BASIS_NAMES).reset_index()
    return table.assign(measure=table.measure.map(measure_name)).rename(columns={"measure": "指标", "year": "年度"})


def department_indicators(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    ids = frames["documents"].loc[lambda d: d.department == department, "doc_id"]
    ind = frames["indicators"].loc[lambda i: i.doc_id.isin(ids)]
    return ind.rename(
        columns={
            "doc_id": "文件编号",
            "project": "项目",
            "level1": "一级指标",
            "level2": "二级指标",
            "level3": "三级指标",
            "description": "指标描述",
            "target": "目标值",
            "actual": "实际值",
            "weight": "分值",
            "score": "得分",
        }
    ).drop(columns=["location"])


def department_findings(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    if "checks" not in frames:
        return pd.DataFrame()
    checks = frames["checks"].loc[lambda c: c.department == department]
    order = {"error": 0, "warning": 1, "info": 2}
    return (
        checks.assign(_o=checks.severity.map(order))
        .sort_values(["_o", "check"])
        .rename(
            columns={
                "doc_id": "文件编号",
                "check": "校验",
                "severity": "级别",
                "message": "说明",
                "evidence": "原文",
                "location": "位置",
            }
        )[["级别", "校验", "说明", "文件编号", "原文", "位置"]]
    )


def department_completeness(frames: dict[str, pd.DataFrame], department: str) -> pd.DataFrame:
    if "completeness" not in frames:
        return pd.DataFrame()
    names = {"present": "已公开", "none": "说明为无", "absent": "未见"}
    comp = frames["completeness"].loc[lambda c: c.department == department]
    return comp.assign(status=comp.status.map(names)).rename(
        columns={"doc_id": "文件编号", "item": "公开事项", "status": "情况", "where": "位置", "score": "完整性得分"}
    )[["文件编号", "公开事项", "情况", "位置", "完整性得分"]]


def comparison(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """All departments side by side on their latest budget: size, structure, "三公" per head, change."""
    rows = []
    for dept in departments(frames):
        facts = department_facts(frames, dept)

        def value(measure: str, f: pd.DataFrame = facts) -> float | None:
            got = latest(f, measure)
            return float(got.value.iloc[0]) if not got.empty else None

        total, basic, project = value("expenditure.total"), value("expenditure.basic"), value("expenditure.project")
        personnel, sangong, staff = value("expenditure.personnel"), value("sangong.total"), value("staff.active")
        year = latest(facts, "expenditure.total").year
        rows.append(
            {
                "部门": dept,
                "年度": int(year.iloc[0]) if len(year) else None,
                "支出合计（万元）": total,
                "基本支出占比%": _share(basic, total),
                "项目支出占比%": _share(project, total),
                "人员经费占基本支出%": _share(personnel, basic),
                "“三公”经费（万元）": sangong,
                "在职人数": staff,
                "人均“三公”（万元）": round(sangong / staff, 4) if sangong is not None and staff else None,
                "支出增减率%": value("expenditure.change_pct"),
            }
        )
    table = pd.DataFrame(rows)
    if not table.empty:
        table["规模排名"] = table["支出合计（万元）"].rank(ascending=False, method="min").astype("Int64")
        table["人均“三公”排名"] = table["人均“三公”（万元）"].rank(ascending=False, method="min").astype("Int64")
    return table


def _share(part: float | None, whole: float | None) -> float | None:
    return round(part / whole * 100, 2) if part is not None and whole else None


def extraction_summary(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Documents read, figures per document and problems: what 01-extract-documents shows."""
    docs = frames["documents"]
    counts = frames["facts"].groupby("doc_id").size().rename("数据条数")
    problems = frames["problems"].groupby("doc_id").message.agg("；".join).rename("问题")
    out = docs.set_index("doc_id").join(counts).join(problems).reset_index()
    return out.assign(文件类型=out.doc_kind.map(KIND_NAMES))[
        ["doc_id", "department", "fiscal_year", "文件类型", "format", "pages", "tables", "数据条数", "问题"]
    ]
