"""Projects and summaries on real documents (issue 8): one-project 绩效目标表 whose name is cut or
stands only in the title, projects listed in numbered prose, three-sided summaries, people who are
not the department's staff, and numbers split by letter-spacing. Each test names the document, its
page and the figure, with exact values."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from budgetbook.document import Location, Paragraph, Table
from budgetbook.extract.prose import Context, extract_paragraph
from budgetbook.extract.run import Extraction, extract_document
from budgetbook.extract.tables import read_table, title_project
from budgetbook.readers import read_document
from budgetbook.text import normalize
from tests.conftest import SHARED, need_shared


@cache
def extracted(relative: str) -> Extraction:
    """One document of ../shared/corpus (pdf/… or wide/…), read and extracted once per session."""
    path = need_shared(SHARED / "corpus" / relative)
    return extract_document(read_document(path, relative, Path(relative).stem))


def projects(ex: Extraction, source: str) -> dict[str, float]:
    return {f.item: f.value for f in ex.facts if f.measure == "project" and f.source == source}


# ------------------------------------------------------------------ one-project 绩效目标表


def test_form_name_cut_by_a_line_break_is_the_titles() -> None:
    """福州市医疗保障局 p26: 项目名称 prints "2026 年医疗服务与保障能力提升补助资" and "金" on the next
    row; the title names the whole project (spaces squashed), and its 资金总额 is the amount."""
    ex = extracted("pdf/福州_2026年福州市医疗保障局部门预算.pdf")
    got = projects(ex, "table")
    assert got["2026年医疗服务与保障能力提升补助资金"] == 745.0
    assert "2026年医疗服务与保障能力提升补助资" not in got
    assert got["外伤医疗费用结算审核服务费"] == 118.0
    assert not [name for name in got if " " in name or "资金总额" in name]


def test_form_amount_beside_annual_total() -> None:
    """福州市信访局 p30, 信息化运行维护绩效目标表: 年度资金总额： 2,134.87 (of which 财政拨款 1,384.87)."""
    ex = extracted("pdf/福州_2026年福州市信访局部门预算.pdf")
    got = projects(ex, "table")
    assert got["信息化运行维护"] == 2134.87
    assert got["信访业务培训"] == 118.01
    assert not {"年度资金总额", "财政拨款", "上年结转", "其中：财政拨款"} & set(got)


def test_form_named_only_in_its_title() -> None:
    """A form without a 项目名称 row (the 福州 form as printed when the name row is dropped): the
    project is the title's, its amount the 资金总额; rows of the funds block are no projects."""
    rows = [
        ["主管部门", "福州市医疗保障局", "", "实施单位", "福州市医疗保障局"],
        ["专项资金情况（万元）", "资金总额：", "", "118.00", ""],
        ["", "财政拨款", "", "118.00", ""],
        ["", "其他资金", "", "0.00", ""],
        ["绩效目标", "保障外伤医疗费用结算审核工作顺利开展", "", "", ""],
    ]
    table = Table(rows, Location(1, 28), title="外伤医疗费用结算审核服务费项目绩效目标表", unit="万元")
    facts, _ = read_table(table, 13, 2026, "budget")
    assert [(f.measure, f.item, f.value, f.location) for f in facts] == [
        ("project", "外伤医疗费用结算审核服务费", 118.0, "p28 l1 t13 r1 c3")
    ]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("2026 年医疗服务与保障能力提升补助资金项目绩效目标表", "2026年医疗服务与保障能力提升补助资金"),
        ("城乡居民医保财政补助(市级)项目绩效目标表", "城乡居民医保财政补助（市级）"),
        ("信息化运行维护绩效目标表", "信息化运行维护"),
        ("2026年项目支出绩效目标表", ""),  # 长沙: a list of projects
        ("2026年部门整体支出绩效目标表", ""),
        ("长沙市信访局2026年项目支出绩效目标表", ""),
        ("其他一级项目绩效目标表", ""),
        ("2026年一般公共预算“三公”经费支出表", ""),
    ],
)
def test_title_names_one_project_or_none(title: str, name: str) -> None:
    assert title_project(title) == name


# ------------------------------------------------------------------ projects described one by one in prose


def key_projects(ex: Extraction) -> dict[str, tuple[float, int | None, str, str]]:
    return {
        f.item: (f.value, f.year, f.basis, f.location)
        for f in ex.facts
        if f.measure == "project" and f.source == "prose"
    }


def test_key_project_named_on_its_project_name_line() -> None:
    """北京市统计局 p7-8, （四）重点支出和重大投资项目情况说明: 项目名称：北京市第四次全国农业普查 …
    预算安排：7000万元。"""
    ex = extracted("pdf/北京_2026年北京市统计局部门预算.pdf")
    assert key_projects(ex) == {"北京市第四次全国农业普查": (7000.0, 2026, "budget", "p8 l7")}
    fact = next(f for f in ex.facts if f.item == "北京市第四次全国农业普查")
    assert fact.evidence == "预算安排：7000万元。"


def test_key_projects_numbered_one_heading_each() -> None:
    """北京市教育委员会 p11-13: "1.学前免费政策市级财政补助" … "（3）预算安排：2026年安排市级资金预算
    3亿元。", four projects; the fields （1）政策依据 （2）绩效目标 （4）实施方案 are none."""
    ex = extracted("wide/北京/2026年北京市教育委员会部门预算.pdf")
    assert key_projects(ex) == {
        "学前免费政策市级财政补助": (30000.0, 2026, "budget", "p11 l16"),
        "高校科研平台建设项目": (10000.0, 2026, "budget", "p12 l10"),
        "北京第六实验学校建设项目（良乡大学城实验学校建设项目）": (5000.0, 2026, "budget", "p13 l7"),
        "北方工业大学延庆新校区（一期）建设项目": (80000.0, 2026, "budget", "p13 l18"),
    }


def test_key_project_named_by_a_sentence() -> None:
    """北京市卫生健康委员会 p9-10: "市卫生健康委涉及1个重点支出项目，为农村地区社区卫生机构人员岗位补助
    项目。" … "3.预算安排：2026年年初预算安排18878.16万元。"."""
    ex = extracted("wide/北京/2026年北京市卫生健康委员会部门预算.pdf")
    assert key_projects(ex) == {"农村地区社区卫生机构人员岗位补助项目": (18878.16, 2026, "budget", "p10 l4")}


def test_key_project_opening_its_paragraph() -> None:
    """北京市交通委员会 p10: "四环主路维修专项工程：…本项目计划安排年初预算21384.60万元，…"."""
    ex = extracted("wide/北京/2026年北京市交通委员会部门预算.pdf")
    assert key_projects(ex) == {"四环主路维修专项工程": (21384.6, 2026, "budget", "p10 l9")}


# ------------------------------------------------------------------ three-sided summaries (synthetic)

# No 收支总表 of the corpus (pdf/ nor wide/) is laid out in three sides: these tables are synthetic,
# in the shape of the template (收入 | 支出 by function class | 支出 by economic class or use).
_THREE_SIDED_HEADERS = [
    [
        ["收入", "", "支出（按功能分类）", "", "支出（按经济分类）", ""],
        ["项目", "预算数", "项目", "预算数", "项目", "预算数"],
    ],
    [["收 入", "", "支 出", "", "", ""], ["项 目", "预算数", "按功能分类", "预算数", "按支出用途", "预算数"]],
]
_THREE_SIDED_ROWS = [
    ["一、一般公共预算拨款收入", "1,000.00", "一、一般公共服务支出", "800.00", "一、基本支出", "600.00"],
    ["二、政府性基金预算拨款收入", "", "二、社会保障和就业支出", "120.00", "工资福利支出", "500.00"],
    ["三、事业收入", "", "三、卫生健康支出", "30.00", "商品和服务支出", "100.00"],
    ["", "", "四、住房保障支出", "50.00", "二、项目支出", "400.00"],
    ["本年收入合计", "1,000.00", "本年支出合计", "1,000.00", "本年支出合计", "1,000.00"],
    ["总计", "1,000.00", "总计", "1,000.00", "总计", "1,000.00"],
]


@pytest.mark.parametrize("header", _THREE_SIDED_HEADERS)
def test_three_sided_summary_reads_the_function_classes(header: list[list[str]]) -> None:
    table = Table(header + _THREE_SIDED_ROWS, Location(1, 3), title="2026年部门收支总表", unit="万元")
    facts, cells = read_table(table, 1, 2026, "budget")
    got = {(f.measure, f.item, f.location.split()[-1]): f.value for f in facts}
    functions = {k: v for k, v in got.items() if k[0] == "expenditure.function"}
    assert functions == {
        ("expenditure.function", "一般公共服务支出", "c3"): 800.0,
        ("expenditure.function", "社会保障和就业支出", "c3"): 120.0,
        ("expenditure.function", "卫生健康支出", "c3"): 30.0,
        ("expenditure.function", "住房保障支出", "c3"): 50.0,
    }
    assert got[("expenditure.basic", "", "c5")] == 600.0
    assert got[("expenditure.project", "", "c5")] == 400.0
    assert got[("expenditure.economic", "工资福利支出", "c5")] == 500.0
    assert got[("revenue.general_budget", "", "c1")] == 1000.0
    assert got[("revenue.total", "", "c1")] == 1000.0
    assert [f.value for f in facts if f.measure == "expenditure.total"] == [1000.0, 1000.0]
    assert all(f.table_kind == "summary" and f.year == 2026 for f in facts)
    middle = [c for c in cells if c["col"] == 3]
    assert {c["measure"] for c in middle} == {"expenditure.function", "expenditure.current", "expenditure.total"}


# ------------------------------------------------------------------ people who are not the department's staff


def test_workers_of_closed_enterprises_are_not_staff() -> None:
    """长沙市国资委 (国企改革稳定专项资金 evaluation) p16: "关停企业困难补助专项资金发放已覆盖企业41家，
    留守人员387余人，在职人员1376人，…" counts the enterprises' people, not the department's; nor
    are the 67名职工 of 4家困难国有企业 (p14, p15) or the 134名留守人员 (p11)."""
    ex = extracted("pdf/长沙_2026年长沙市国有资产监督管理委员会部门预算.pdf")
    assert [(f.measure, f.value) for f in ex.facts if f.measure.startswith("staff.")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the 长沙 sentence as printed (p16 l13)
        (
            "2020年，关停企业困难补助专项资金发放已覆盖企业41家，留守人员387余人，在职人员1376人，"
            "就业困难、低保户1760余人、其他生活困难人员13352人；",
            [],
        ),
        # the department's own counts before or after the outsiders' stay staff
        (
            "本单位编制数20人，实有在职人员18人，离退休人员5人，另管理破产企业退休人员300人。",
            [("staff.authorized", 20.0), ("staff.active", 18.0), ("staff.retired", 5.0)],
        ),
        ("另管理破产企业退休人员300人，本单位在职人员18人。", [("staff.active", 18.0)]),
        # a duty naming outsiders is no enumeration of counts
        (
            "单位负责全市关闭破产企业职工管理工作，编制数20人，在职人员18人。",
            [("staff.authorized", 20.0), ("staff.active", 18.0)],
        ),
    ],
)
def test_staff_counts_of_a_sentence(text: str, expected: list) -> None:
    ctx = Context(2026, "budget", "", "l1")
    facts = extract_paragraph(normalize(text), ctx)
    assert [(f.measure, f.value) for f in facts if f.measure.startswith("staff.")] == expected


# ------------------------------------------------------------------ digits set apart by letter-spacing


def test_letter_spaced_page_numbers_are_page_numbers() -> None:
    """福州 budgets print page numbers letter-spaced ("2 0" at the foot of p22 of 福州市生态环境局):
    read as a paragraph, "2 0" stood between the heading "（三）公务用车购置及运行费" and its figure on
    p23, which lost its measure (only the 运行费 of the same sentence was read)."""
    path = "wide/福州/2026年福州市生态环境局部门预算.pdf"
    doc = read_document(need_shared(SHARED / "corpus" / path), path, "fz")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not [t for t in texts if re.fullmatch(r"[\d ]+", t)]
    ex = extracted(path)
    vehicle = [(f.value, f.location) for f in ex.facts if f.measure == "sangong.vehicle" and f.source == "prose"]
    assert vehicle == [(17.5, "p23 l1")]


def test_paragraph_continues_over_a_letter_spaced_page_number() -> None:
    """福州市民政局 p26-27: "（一）人员经费1342.29万元，主要包括：基本工资、津贴" | "2 4" | "补贴、奖金…"
    is one paragraph."""
    path = "wide/福州/2026年福州市民政局部门预算.pdf"
    doc = read_document(need_shared(SHARED / "corpus" / path), path, "fz")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("（一）人员经费1342.29万元，主要包括：基本工资、津贴补贴、奖金") for t in texts)
    assert "2 4" not in texts


def test_table_continues_over_letter_spaced_page_numbers() -> None:
    """福州市民政局 2026 年度一般公共预算基本支出经济分类情况表 runs over pp. 20-22; the page numbers
    "1 8", "1 9" at the feet of its pages cut it into pieces, and the piece on p21 lost its header.
    Read as page numbers, the table is one, and its 对个人和家庭的补助 row (p21) reads 219.31."""
    path = "wide/福州/2026年福州市民政局部门预算.pdf"
    ex = extracted(path)
    doc = read_document(need_shared(SHARED / "corpus" / path), path, "fz")
    basic = [t for t in doc.tables if "基本支出经济分类情况表" in t.title]
    assert [t.pages for t in basic] == [[20, 21, 22]]
    got = [
        (f.value, f.location.split()[0])
        for f in ex.facts
        if f.measure == "expenditure.economic" and f.item == "对个人和家庭的补助" and "基本支出" in f.evidence
    ]
    assert got == [(219.31, "p21")]
