"""Evaluations and notices: a project's self-evaluation form, the evaluation reports the finance
bureau publishes (read from scans in the wide corpus) and a notice of funds.

The sentences and rows below are those of the three scans in ../shared/corpus/wide/长沙 as their
page images print them (checked against the images); the form follows the national template of
the 项目支出绩效自评表 (年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金 × 年初预算数 /
全年预算数 / 全年执行数 / 分值 / 执行率 / 得分) with the figures of seed 003's form.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetbook.document import Document, Location, Paragraph, Table
from budgetbook.extract.identity import identify
from budgetbook.extract.indicators import funds_facts
from budgetbook.extract.prose import Context, extract_paragraph
from budgetbook.extract.run import extract_document
from budgetbook.extract.tables import read_table
from budgetbook.readers import read_document
from budgetbook.readers.legacy import convert, soffice

from .conftest import INDICATOR_HEADER, SHARED, need_shared

FORM_ROWS = [
    ["项目名称", "政务服务运行保障", "", "", "", "", "", "", ""],
    ["主管部门", "怀化市人民政府办公室", "", "", "", "实施单位", "怀化市人民政府办公室", "", ""],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
    ["", "年度资金总额", "3176.6", "4539.55", "4539.55", "10", "100%", "10", ""],
    ["", "其中：当年财政拨款", "3176.6", "4347.22", "4347.22", "—", "—", "—", ""],
    ["", "上年结转资金", "", "192.33", "192.33", "—", "—", "—", ""],
    ["", "其他资金", "", "", "", "—", "—", "—", ""],
    [*INDICATOR_HEADER],
    ["", "产出指标", "数量指标", "提供有价值的参阅资料", "≥100篇", "284", "10", "10", ""],
    ["总分", "", "", "", "", "", "100", "99", ""],
]
FORM_FACTS = {
    ("project", "", "budget", 3176.6),
    ("project", "", "adjusted", 4539.55),
    ("project", "", "actual", 4539.55),
    ("budget.execution_rate", "", "actual", 100.0),
    ("project", "财政拨款", "budget", 3176.6),
    ("project", "财政拨款", "adjusted", 4347.22),
    ("project", "财政拨款", "actual", 4347.22),
    ("project", "上年结转", "adjusted", 192.33),
    ("project", "上年结转", "actual", 192.33),
    ("performance.score", "", "actual", 99.0),
}


def _form(title: str = "项目支出绩效自评表") -> Table:
    locations = [Location(i + 1, 1) for i in range(len(FORM_ROWS))]
    return Table(rows=FORM_ROWS, location=Location(1, 1), title=title, unit="万元", row_locations=locations)


def _keys(facts) -> set[tuple]:
    return {(f.measure, f.scope, f.basis, round(f.value, 4)) for f in facts}


def test_a_project_form_states_its_funds_on_each_basis() -> None:
    facts = funds_facts(_form(), 3, 2023)
    assert _keys(facts) == FORM_FACTS
    assert {f.item for f in facts} == {"政务服务运行保障"} and {f.year for f in facts} == {2023}
    budget = next(f for f in facts if f.basis == "budget" and not f.scope)
    assert (
        budget.location == "p1 l4 t3 r3 c2"
        and budget.evidence == "项目支出绩效自评表｜年度资金总额｜年初预算数｜3176.6"
    )
    # in 元, the amounts are converted; the rate and the score are not
    in_yuan = Table(rows=_form().rows, location=Location(1), title="项目支出绩效自评表", unit="元")
    assert {(f.measure, f.value) for f in funds_facts(in_yuan, 1, 2023) if not f.scope and f.basis == "budget"} == {
        ("project", 0.31766)
    }
    assert {f.value for f in funds_facts(in_yuan, 1, 2023) if f.measure != "project"} == {100.0, 99.0}


def test_a_department_wide_form_is_left_to_the_table_reader() -> None:
    """整体支出绩效自评表: its 年度资金总额 is the department's revenue (seed 003's gold), not a project's."""
    table = _form("整体支出绩效自评表")
    assert funds_facts(table, 1, 2023) == []
    facts, _ = read_table(table, 1, 2023, "self_evaluation")
    assert not [f for f in facts if f.measure == "project" and f.item == "政务服务运行保障" and f.basis != "actual"]


def test_a_project_form_printed_to_a_text_pdf_gives_the_same_figures(tmp_path: Path) -> None:
    """The same form as a Word table exported to PDF (the way departments publish it)."""
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is needed to print the form; .ci/run installs it")
    import docx

    word = docx.Document()
    word.add_paragraph("怀化市人民政府办公室2023年度项目支出绩效自评报告")
    word.add_paragraph("附件")
    word.add_paragraph("项目支出绩效自评表")
    word.add_paragraph("（2023年度）")
    word.add_paragraph("单位：万元")
    grid = word.add_table(rows=len(FORM_ROWS), cols=len(FORM_ROWS[0]))
    grid.style = "Table Grid"
    for r, row in enumerate(FORM_ROWS):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    source = tmp_path / "form.docx"
    word.save(source)
    path = tmp_path / "form.pdf"
    path.write_bytes(convert(source.read_bytes(), ".docx", "pdf"))
    doc = read_document(path, path.name, "form")
    extraction = extract_document(doc)
    assert extraction.identity.doc_kind == "self_evaluation" and extraction.identity.fiscal_year == 2023
    got = [f for f in extraction.facts if f.table_kind == "project_evaluation"]
    assert _keys(got) == FORM_FACTS and {f.item for f in got} == {"政务服务运行保障"}, [t.rows for t in doc.tables]


def _doc(lines: list[str]) -> Document:
    blocks = [Paragraph(raw=text, location=Location(i + 1, 1)) for i, text in enumerate(lines)]
    return Document("d", "d.pdf", "pdf", "", pages=1, blocks=blocks)


def test_the_units_years_and_kinds_of_evaluations_and_a_notice() -> None:
    traffic = identify(
        _doc(
            [
                "2023年度长沙市公安局交通警察支队",
                "专项资金绩效评价结果",
                "为加强财政支出管理，提高财政资金使用效益，长沙市财政局绩效评价工作组对长沙市公安局交通警察支队"
                "（以下简称市交警支队）2023年度专项资金实施了绩效评价。现将评价情况报告如下：",
            ]
        )
    )
    assert (traffic.department, traffic.region, traffic.fiscal_year, traffic.doc_kind) == (
        "长沙市公安局交通警察支队",
        "长沙市",
        2023,
        "self_evaluation",
    )
    notice = identify(
        _doc(
            [
                "长沙市财政局",
                "长财文指〔2025〕42号",
                "关于下达2025年文化和旅游项目资金",
                "的通知",
                "市文旅广电局：",
                "经研究，现下达你单位2025年文化和旅游项目资金万元，具体项目、金额详见附件。",
            ]
        )
    )
    assert (notice.department, notice.region, notice.fiscal_year, notice.doc_kind) == (
        "长沙市文旅广电局",
        "长沙市",
        2025,
        "other",
    )
    assert notice.evidence == "关于下达2025年文化和旅游项目资金的通知"


@pytest.mark.parametrize(
    ("year", "text", "expected"),
    [
        (
            2022,
            "2022年市财政安排市市场监管局项目年初预算12954.16万元，其中：部门预算项目3683.76万元，公共项目9270.40万元。"
            "调整后项目预算为13205.30万元，其中：部门预算项目4209.23万元，公共项目8996.07万元。",
            [
                ("expenditure.project", "", "budget", 12954.16),
                ("project", "部门预算项目", "budget", 3683.76),
                ("project", "公共项目", "budget", 9270.4),
                ("expenditure.project", "", "adjusted", 13205.3),
                ("project", "部门预算项目", "adjusted", 4209.23),
                ("project", "公共项目", "adjusted", 8996.07),
            ],
        ),
        (
            2022,
            "2022年项目实际支出12667.08万元，其中部门预算项目实际支出4197.93万元，公共项目实际支出8469.15万元。",
            [
                ("expenditure.project", "", "actual", 12667.08),
                ("project", "部门预算项目", "actual", 4197.93),
                ("project", "公共项目", "actual", 8469.15),
            ],
        ),
        (
            2023,
            "2023年度市交警支队专项资金预算指标安排数12542.74万元，到位资金12542.74万元，全部由市级财政划拨，"
            "资金到位率100.00%。截至2023年12月31日，实际支出数12542.74万元，预算执行率100.00%。",
            [
                ("expenditure.project", "", "budget", 12542.74),
                ("expenditure.project", "", "actual", 12542.74),
                ("budget.execution_rate", "", "actual", 100.0),
            ],
        ),
        (
            2022,
            "部分项目预算执行率不高。食品监督评价性检验检测项目的子项目第三方检测经费预算执行率为68.72%。"
            "食品安全检测能力建设项目预算执行率为77.77%。",
            [
                ("budget.execution_rate", "食品监督评价性检验检测项目的子项目第三方检测经费", "actual", 68.72),
                ("budget.execution_rate", "食品安全检测能力建设项目", "actual", 77.77),
            ],
        ),
        (
            2022,
            "基本支出挤占挪用项目资金；项目之间互相调剂使用资金，项目资金未按申报用途使用。“互联网+明厨亮灶”"
            "项目资金实际用于放心肉智能监管平台服务数据项目支出32.04万元。",
            [("project", "放心肉智能监管平台服务数据项目", "actual", 32.04)],  # that project's, not the total
        ),
    ],
)
def test_what_an_evaluation_says_of_the_projects_funds(year: int, text: str, expected: list[tuple]) -> None:
    facts = extract_paragraph(text, Context(year, "self_evaluation", "", "l1"))
    assert [(f.measure, f.item, f.basis, round(f.value, 4)) for f in facts] == expected
    assert {f.year for f in facts} == {year}


def test_a_notice_lists_the_projects_it_funds() -> None:
    rows = [
        ["项目单位", "项目内容", "支出功能科目", "政府预算经济科目", "部门预算支出经济科目", "金额"],
        [
            "市文旅广电局",
            "长沙文旅2025年户外3D大屏宣传项目",
            "2070113旅游宣传",
            "50205委托业务费",
            "30227委托业务费",
            "10.2714",
        ],
        ["市文旅广电局", "长沙文旅境外媒体宣传项目", "2070113旅游宣传", "50205委托业务费", "30227委托业务费", "7.9"],
        ["合计", "", "", "", "", "35.678"],
    ]
    table = Table(rows=rows, location=Location(1, 2), title="2025年文化和旅游项目资金安排表", unit="万元")
    facts, _ = read_table(table, 1, 2025, "other")
    assert [(f.measure, f.item, f.value) for f in facts] == [
        ("project", "长沙文旅2025年户外3D大屏宣传项目（市文旅广电局）", 10.2714),
        ("project", "长沙文旅境外媒体宣传项目（市文旅广电局）", 7.9),
    ]


def test_the_scans_are_in_the_wide_corpus() -> None:
    folder = need_shared(SHARED / "corpus" / "wide" / "长沙")
    assert len(list(folder.glob("*.pdf"))) >= 3
