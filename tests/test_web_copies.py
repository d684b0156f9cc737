"""Readers of web copies: saved pages, flattened tables, hard-wrapped lines, traditional script."""

from __future__ import annotations

from budgetbook.document import Document, Paragraph, Table
from budgetbook.extract.identity import identify, is_chrome, name_in_title
from budgetbook.extract.vocab import load
from budgetbook.readers import sniff_format
from budgetbook.readers.html import read_html
from budgetbook.readers.text import parse_lines, unwrap
from budgetbook.text import normalize

PAGE = """<html><head><meta charset="utf-8"><title>门户网站</title><script>var a = "决算";</script></head>
<body><div class="breadcrumb">首页 &gt; 政务公开 &gt; 决算</div>
<table><tr><td>索引号：</td><td>001/2019-1</td><td>发布机构：</td><td>某某市财政局</td></tr></table>
<div class="info">来源：某某市财政局 发布日期：2019-03-01</div>
<h2>怀化市人民政府办公室2024年部门预算</h2>
<p>一、收入预算。2024年本部门收入预算3055.44万元。</p>
<p><b>部门收支总表</b></p><p>单位：万元</p>
<table><tr><td rowspan="2">项目</td><td colspan="2">预算数</td></tr>
<tr><td>本年</td><td>上年</td></tr>
<tr><td>一般公共预算</td><td>3,055.44</td><td>3,176.60</td></tr></table>
<div class="footer">版权所有</div></body></html>"""


def read_page(html: str) -> Document:
    doc = Document("p", "p.doc", "html", "")
    read_html(html.encode(), doc)
    return doc


def test_a_saved_page_is_sniffed_whatever_its_name() -> None:
    assert sniff_format(PAGE.encode(), ".doc") == "html"
    assert sniff_format(b"\xef\xbb\xbf" + PAGE.encode(), ".pdf") == "html"


def test_a_page_gives_its_article_and_tables_with_spans_resolved() -> None:
    doc = read_page(PAGE)
    texts = [b.raw for b in doc.blocks if isinstance(b, Paragraph)]
    assert "怀化市人民政府办公室2024年部门预算" in texts and not any("首页" in t or "版权" in t for t in texts)
    table = [b for b in doc.blocks if isinstance(b, Table)][-1]
    assert table.rows == [["项目", "预算数", ""], ["", "本年", "上年"], ["一般公共预算", "3,055.44", "3,176.60"]]
    assert (table.title, table.unit) == ("部门收支总表", "万元")


def test_chrome_is_never_identity() -> None:
    identity = identify(read_page(PAGE))
    assert (identity.department, identity.fiscal_year, identity.doc_kind) == ("怀化市人民政府办公室", 2024, "budget")
    assert is_chrome("首页 > 政务公开 > 财政预决算") and is_chrome("发布机构：某某市财政局")
    assert not is_chrome("2024年本部门收入预算3055.44万元。")


def test_names_from_table_titles_and_qualifiers() -> None:
    vocab = load("identity")
    assert name_in_title("怀来县人民政府办公室单位固定资产占用情况表", vocab) == "怀来县人民政府办公室"
    assert name_in_title("部门收支总表", vocab) == ""
    from budgetbook.extract.identity import clean_name

    assert clean_name("北京市民政局（简称市民政局）", vocab) == "北京市民政局"
    assert clean_name("某某县教育局（汇总）", vocab) == "某某县教育局"


PROSE = [
    "（一）收入预算。2024年年初本部门收入预算3055.44万元，其中，一般公共预算拨款3055.44万元，政府性基金预算拨款0万元，"
    "纳入财政专户管理的非税收入拨款0万元，国有资本经营预算拨款0万元，上年结转结余0万元。",
    "（二）支出预算。2024年本部门支出预算数3055.44万元，其中，一般公共服务支出2589万元，社会保障和就业支出263.8万元。",
]


def test_hard_wrapped_lines_are_rejoined_even_inside_a_number() -> None:
    lines = [p[i : i + 25] for p in PROSE * 2 for i in range(0, len(p), 25)]
    assert lines[0].endswith("305")  # a number cut in two
    joined, numbers = unwrap(lines)
    assert joined == PROSE * 2 and numbers[:2] == [1, 1 + len(range(0, len(PROSE[0]), 25))]


def test_unwrapped_text_is_left_alone() -> None:
    assert unwrap(PROSE * 5) == (PROSE * 5, list(range(1, 11)))


def test_pipe_rows_without_the_leading_bar() -> None:
    (table,) = [
        b
        for b in parse_lines(["部门收支总表", "项 目 | 预算数 |", "合 计 | 3,055.44 |", " | 12 |"])
        if isinstance(b, Table)
    ]
    assert table.rows == [["项 目", "预算数"], ["合 计", "3,055.44"], ["", "12"]]


def test_columns_aligned_by_spaces() -> None:
    lines = [
        "科目名称            合计        基本支出    项目支出",
        "一般公共服务支出    2589.00     2000.00     589.00",
        "住房保障支出        133.84      133.84",
    ]
    (table,) = parse_lines(lines)
    assert table.rows[2] == ["住房保障支出", "133.84", "133.84", ""]


def test_one_cell_per_line_with_stray_bars() -> None:
    lines = [
        "部门收支总表",
        "项目",
        "本年",
        "上年",
        "|",
        "合计",
        "100.00",
        "90.00",
        "一般公共服务支出",
        "60.00",
        "",
        "|",
        "住房保障支出",
        "40.00",
        "30.00",
        "",
        "后文说明如下。",
    ]
    blocks = parse_lines(lines)
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.rows == [
        ["项目", "本年", "上年"],
        ["合计", "100.00", "90.00"],
        ["一般公共服务支出", "60.00", ""],
        ["住房保障支出", "40.00", "30.00"],
    ]
    assert isinstance(blocks[-1], Paragraph)


def test_a_whole_table_on_one_line() -> None:
    (table,) = parse_lines(["项目 本年 上年 合计 工资福利支出 100 90 60 -"])
    assert table.rows == [["项目", "本年", "上年"], ["合计", "100", "90"], ["工资福利支出", "60", ""]]


def test_traditional_script_and_pinyin_glosses_are_normalised() -> None:
    assert normalize("2024年經(jīng)費支出預算3,055.44萬(wàn)元") == "2024年经费支出预算3055.44万元"
    assert normalize("因公出國(境)費") == "因公出国（境）费"


def test_one_cell_per_line_form_with_a_long_goal_stays_one_form() -> None:
    """The 福州 信访局 form (corpus) one cell per line: its 年度总体目标 is a long sentence, and the
    indicator grid after it still belongs to the form (and so to 信息化运行维护)."""
    lines = [
        "信息化运行维护绩效目标表",
        "项目名称",
        "信息化运行维护",
        "实施单位",
        "国家信访局本级",
        "年度总体目标",
        "1.加强对信访信息系统应用工作的指导和部署，根据行政区划、组织机构及信访业务最新调整对数据交换标准进行修订，"
        "对业务及统计功能进行升级改造，进行系统优化升级，推动信访信息系统应用工作不断深入。",
        "",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "|",
        "产出指标",
        "数量指标",
        "数据中心设备维护量",
        "≥330台（套）",
        "",
        "质量指标",
        "设备完好率",
        "≥96%",
    ]
    (table,) = parse_lines(lines)
    assert table.rows[0][:4] == ["项目名称", "信息化运行维护", "实施单位", "国家信访局本级"]
    assert table.rows[-1] == ["", "质量指标", "设备完好率", "≥96%"]


def test_a_whole_table_on_one_line_with_thousands_separators() -> None:
    """A table in the shape of the 杭州 司法局 tables (corpus), amounts with thousands separators as they
    print them: the separators are no clause breaks."""
    line = "功能分类科目名称 总计 基本支出 项目支出 合计 一般公共服务支出 公共安全支出 99,230.46 70,724.29 28,506.17 12,868.19 - 12,868.19 76,468.81 65,254.02 11,214.79"
    (table,) = parse_lines([line])
    assert table.rows[1] == ["合计", "99,230.46", "70,724.29", "28,506.17"]
    assert table.rows[2] == ["一般公共服务支出", "12,868.19", "", "12,868.19"]
