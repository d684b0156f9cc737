"""One test for each thing a new user met in the reports, on the seeds and the PDF corpus."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

import pandas as pd
import pytest

from budgetbook.report import charts, data, findings, present
from budgetbook.report.escape import excel_text, html_text, markdown_text

from .conftest import CORPUS


@pytest.fixture(scope="module")
def seeds(seeds_run) -> dict[str, pd.DataFrame]:
    return data.load_frames(seeds_run[1])


@pytest.fixture(scope="module")
def corpus(corpus_run) -> dict[str, pd.DataFrame]:
    return data.load_frames(corpus_run[1])


# --- 2. tables formatted for people


def test_cells_read_as_people_write_them() -> None:
    assert present.cell_text(1.2796, present.MONEY) == "1.28"
    assert present.cell_text(3055.44, present.MONEY) == "3,055.44"
    assert present.cell_text(73.0, present.COUNT) == "73"
    assert present.cell_text(2026.0, present.YEAR) == "2026"
    assert present.cell_text(-3.8, present.PERCENT) == "-3.80%"
    assert [present.cell_text(v) for v in (None, float("nan"), pd.NA, "nan", "None")] == ["—"] * 5


def test_key_figures_of_a_seed_department_are_formatted_by_unit(seeds) -> None:
    html = data.provenance_html(seeds, "怀化市人民政府办公室")
    assert ">3,055.44</a>" in html  # 2024 收入合计 in 万元, thousands separator and two decimals
    assert ">93</a>" in html  # 在职人数 a whole number
    assert "2024.0" not in html and "NaN" not in html and "index" not in html


def test_document_title_is_the_documents_own_title_not_its_first_paragraph(seeds, corpus) -> None:
    docs = data.department_documents(seeds, "怀化市人民政府办公室").frame
    assert list(docs["标题"]) == [
        "2023年度怀化市人民政府办公室部门整体支出绩效自评报告",
        "怀化市人民政府办公室2024年部门预算",
    ]
    beijing = data.department_documents(corpus, "北京市人民政府办公厅").frame  # extracted title: …主要职责包括：
    assert list(beijing["标题"]) == ["北京市人民政府办公厅2026年部门预算"]
    assert list(data.department_documents(corpus, "杭州市司法局").frame["标题"]) == ["杭州市司法局2026年度部门预算"]


def test_audit_findings_are_sentences_with_figures_named_in_chinese(seeds) -> None:
    sure = findings.department_findings(seeds, "怀化市人民政府办公室").frame
    assert len(sure) >= 2 and set(sure["等级"]) == {"确定"}
    review = findings.department_suspects(seeds, "怀化市人民政府办公室").frame
    assert "104.98" in " ".join(review["说明"])  # printed twice to the cent, 104.99 in its table: to review
    text = " ".join(sure["说明"])
    assert not re.search(r"[a-z_]+\.[a-z_]+|stated_twice|prose|table|…", text)
    assert "人员经费的经济分类构成：人员经费1,394.37万元" in text


# --- 3. charts that cannot mislead


def test_every_chart_names_its_year_and_basis(corpus) -> None:
    chart = data.revenue_by_source(corpus, "北京市人民政府办公厅")
    assert chart.title == "2026年预算 · 收入来源" and not chart.note
    assert chart.series.to_dict() == {"一般公共预算拨款": 14864.4, "上年结转结余": 30.39}
    final = data.sangong_chart(corpus, "上海市普陀区财政局")  # a final account: its 决算, not its 预算 column
    assert final.title.startswith("2024年决算")


def test_projects_leave_out_classes_and_count_a_project_once(seeds) -> None:
    got, year, basis = data.projects(seeds, "怀来县人民政府办公室")
    names = list(got["项目"])
    # listed once with its code ([13073024X…]怀财字【2024】7号综合事务) and once as 综合事务支出
    assert sorted(names) == sorted(
        [
            "怀财字【2024】7号综合事务",
            "怀财字【2024】7号电子政务办公平台建设后资金",
            "怀财字【2024】7号疫情防控经费",  # the form prints a space inside the name
            "怀财字【2024】7号法律服务",
            "怀财字【2024】7号民兵预备役",
        ]
    )
    huaihua = list(data.projects(seeds, "怀化市人民政府办公室")[0]["项目"])
    assert "行政运行支出" not in huaihua and "市长热线专项经费" in huaihua  # a function item is not a project
    assert (year, basis) == (2024, "budget")


def test_a_breakdown_is_drawn_only_when_its_parts_are_the_whole(seeds, corpus) -> None:
    partial = data.pair(
        seeds,
        "怀化市政务服务中心",
        ["expenditure.personnel", "expenditure.public"],
        "expenditure.basic",
        "人员经费与公用经费",
    )
    assert "未载明人员经费" in partial.note and charts.split(partial) is None  # no 100% from one part
    # its classes (92.25 of 1,094.80) are stated as 一般公共预算/财政拨款 figures, not the department's whole
    short = data.expenditure_by_function(seeds, "怀化市政务服务中心")
    assert ("相差" in short.note or "未载明" in short.note) and charts.bars(short) is None
    whole = data.pair(
        corpus,
        "北京市人民政府办公厅",
        ["expenditure.basic", "expenditure.project"],
        "expenditure.total",
        "基本支出与项目支出",
    )
    assert whole.note == "" and charts.split(whole) is not None


def test_no_data_or_only_zeros_gives_a_sentence_not_an_empty_axis(corpus) -> None:
    zero = data.sangong_chart(corpus, "中共上海市普陀区委社会工作部")
    assert zero.note == "2024年决算“三公”经费为0（各项均为0），无图可绘。"
    shown = charts.image(zero)
    assert "bb-note" in shown.data and "<img" not in shown.data
    none = charts.image(data.projects_chart(corpus, "北京市审计局"))
    assert "文件未列出项目" in none.data


def test_long_names_wrap_and_are_never_cut() -> None:
    name = "消化困难企业历年欠缴社保费挂账及政府兜底企业的社保欠费分年支付"
    assert charts.wrap_label(name).replace("\n", "") == name and "\n" in charts.wrap_label(name)


# --- 4. a comparison that works for many departments


def test_comparison_ranks_budgets_with_budgets_of_the_same_year(corpus) -> None:
    table = data.comparison(corpus)
    groups = data.comparison_groups(table)
    assert [(y, b, len(g)) for y, b, g in groups] == [(2026, "预算", 19), (2024, "决算", 2)]
    final = groups[1][2].set_index("部门")
    assert final.loc["上海市普陀区财政局", "支出合计（万元）"] == pytest.approx(2995.39)
    assert set(final["规模排名"]) == {1, 2}  # ranked among final accounts only
    # each row links to its department's report
    assert table.frame["报告"].str.endswith("/02-department-report.html").all()
    html = present.to_html(table)
    assert f'<a href="{quote("北京市审计局")}/02-department-report.html">北京市审计局</a>' in html


def test_comparison_uses_department_wide_figures_and_stated_staff_only(seeds) -> None:
    row = data.comparison(seeds).frame.set_index("部门").loc["怀化市人民政府办公室"]
    assert row["支出合计（万元）"] == pytest.approx(3055.44)
    assert row["在职人数"] == 93 and row["人均“三公”（万元）"] == pytest.approx(round(119 / 93, 4))
    assert row["支出增减率"] == pytest.approx(-3.8)  # the department's change, not a line item's


def test_comparison_charts_are_sorted_horizontal_bars_per_year_and_basis(corpus) -> None:
    for year, basis, group in data.comparison_groups(data.comparison(corpus)):
        chart = data.comparison_chart(group, year, basis, "支出合计（万元）", "支出合计")
        assert chart.title.startswith(f"{year}年{basis}")
        fig = charts.bars(chart)
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        values = group.set_index("部门")["支出合计（万元）"].sort_values()
        assert [label.replace("\n", "") for label in labels] == list(values.index)


# --- 5. provenance a click away


def test_locations_read_as_pages_tables_rows_and_columns() -> None:
    assert data.readable_location("p9 l12 t2 r2 c3") == "第9页 表2 第3行 第4列"
    assert data.readable_location("l452 t2 r2 c4") == "第452行起 表2 第3行 第5列"
    assert data.readable_location("p21 l4") == "第21页 第4行"


def test_every_key_figure_links_to_its_source_file_at_its_page(corpus, tmp_path: Path) -> None:
    folder = tmp_path / "reports" / "上海市普陀区财政局"
    table = data.key_figures_table(corpus, "上海市普陀区财政局", CORPUS, folder)
    links = table.frame["打开源文件"]
    assert len(links) >= 10 and links.str.contains(r"\.pdf#page=\d+$").all()
    for link in links:
        assert (folder / unquote(link.split("#")[0])).resolve().exists()
    html = data.provenance_html(corpus, "上海市普陀区财政局", CORPUS, folder)
    assert "#page=21" in html and "第21页" in html and "收入支出总计2995.39万元" in html


# --- escaping


def test_escaping_helpers_keep_document_text_inert() -> None:
    title = "<script>alert(1)</script>办公室2024年部门预算"
    assert "<script>" not in html_text(title) and "&lt;script&gt;" in html_text(title)
    md = markdown_text("![x](http://e/x.png) [a](javascript:1) <b>")
    assert "![" not in md and "](" not in md and "<b>" not in md
    assert excel_text("a\x00b\x1fc\td") == "abc\td"


def test_a_hostile_department_name_is_shown_escaped_in_every_table(seeds) -> None:
    frames = {k: v.copy() for k, v in seeds.items()}
    bad = "<script>alert(1)</script>办公室"
    for name in ("documents", "checks", "completeness"):
        frames[name] = frames[name].assign(department=frames[name].department.replace("株洲市人民政府办公室", bad))
    html = present.to_html(data.department_documents(frames, bad)) + data.provenance_html(frames, bad)
    html += present.to_html(data.comparison(frames))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;办公室" in html


def test_key_figure_stated_with_another_value_names_the_other_value_and_where(seeds) -> None:
    figures = data.key_figures(seeds, "怀化市政务服务中心").set_index(["measure", "year", "basis"])
    assert figures.loc[("operating_costs", 2024, "budget"), "说明"] == "文中另有36.00（第58行），见校验"
    same = data.key_figures(seeds, "株洲市人民政府办公室")
    assert same["说明"].eq("").all()  # every figure stated once, or always with the same value
