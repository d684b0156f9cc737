import re
import subprocess
import sys

import pytest

from budgetbook.document import Document, Paragraph, Table
from budgetbook.readers import ReadError
from budgetbook.readers.text import decode, parse_lines, read_text

from .conftest import SHARED, need_shared

# Real lines from the 2023 self-evaluation seed (tabs and U+3000 as exported by Word).
SELF_EVAL = [
    "附件1-1 ",
    "部门整体支出绩效评价基础数据表",
    "填报单位：怀化市人民政府办公室      ",
    "\t财政供养人员情况",
    "\t编制数",
    "",
    "\t\u3000141.72",
    "\t106\u3000",
    "",
    "\t3、市级专项资金",
    "（一个专项一行）",
    "\t",
    "",
    "\t全年履职目标完成及时率",
    "\u3000",
    "\t2023年12月31日前",
    "",
    "",
    "说明：“项目支出”需要填报基本支出以外的所有项目支出情况。",
]


def test_tab_table_rows_cells_and_continuations() -> None:
    blocks = parse_lines(SELF_EVAL)
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.rows == [
        ["财政供养人员情况", "编制数"],
        ["141.72", "106"],
        ["3、市级专项资金（一个专项一行）", ""],  # a line after a cell continues it
        ["全年履职目标完成及时率", "2023年12月31日前"],  # a U+3000 line is not a row end
    ]
    assert table.title == "部门整体支出绩效评价基础数据表"
    assert table.caption[0] == "附件1-1"
    assert [r.line for r in table.row_locations] == [4, 7, 10, 14]
    assert isinstance(blocks[-1], Paragraph) and blocks[-1].text.startswith("说明")


def test_caption_lines_leave_the_prose_and_give_the_unit() -> None:
    blocks = parse_lines(["收支预算总表", "单位：万元", "\t项目", "\t预算数", "", "\t合计", "\t100", ""])
    (table,) = blocks
    assert isinstance(table, Table) and table.unit == "万元" and table.title == "收支预算总表"


def test_a_lone_header_line_under_the_unit_line_is_the_tables_first_row() -> None:
    """`2026年预算数` spanning every column comes out of a space-aligned copy as a line of its own."""
    lines = [
        "部门公开表9",
        "财政拨款预算“三公”经费支出表",
        "单位：万元",
        "2026年预算数",
        "合计           因公出国（境）费   公务用车购置及运行费                     公务接待费",
        "                                  小计                   公务用车运行费",
        "112.61         68.50              38.60                  38.60            5.51",
    ]
    (table,) = parse_lines(lines)
    assert isinstance(table, Table) and table.title == "财政拨款预算“三公”经费支出表" and table.unit == "万元"
    assert table.rows[0] == ["2026年预算数", "", "", "", ""]
    assert table.rows[-1] == ["112.61", "68.50", "38.60", "38.60", "5.51"]
    assert [loc.line for loc in table.row_locations] == [4, 5, 6, 7]


def test_an_unlabelled_coded_issuer_line_is_caption_not_title() -> None:
    """`434怀来县人民政府办公室单位` (the unit's code and name) sits between the title and the unit line."""
    lines = [
        "单位政府采购预算",
        "434001某某县人民政府办公室",
        "单位：万元",
        "\t项目",
        "\t金额",
        "",
        "\t合计",
        "\t24.5",
        "",
    ]
    *_, table = parse_lines(lines)
    assert isinstance(table, Table) and table.title == "单位政府采购预算" and table.unit == "万元"
    assert table.caption == ["434001某某县人民政府办公室", "单位：万元"]


def test_pipe_table_from_a_web_copy() -> None:
    blocks = parse_lines(
        ["“三公”经费预算表（单位：万元）", "| 项目 | 预算数 |", "|---|---:|", "| 公务接待费 | 9 |", "后文。"]
    )
    table = blocks[0]
    assert isinstance(table, Table)
    assert table.rows == [["项目", "预算数"], ["公务接待费", "9"]]
    assert table.unit == "万元"
    assert isinstance(blocks[1], Paragraph)


TEXT = "2024年年初本部门收入预算3055.44万元，其中，一般公共预算拨款3055.44万元。\n部门決算說明\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
    ],
)
def test_decode_detects_the_encoding(encoding: str, expected: str) -> None:
    text, found = decode((TEXT * 20).encode(encoding))
    assert found == expected
    assert text.lstrip("\ufeff").startswith("2024年年初本部门收入预算")


def test_decode_big5_traditional_text() -> None:
    big5 = "二零二四年部門預算收入三千萬元，其中一般公共預算撥款三千萬元。部門決算說明。\n" * 10
    text, found = decode(big5.encode("big5"))
    assert found == "big5" and text == big5


def test_decode_short_gbk_text() -> None:
    text, found = decode("部门预算说明".encode("gbk"))
    assert (text, found) == ("部门预算说明", "gb18030")


def test_undecodable_bytes_are_a_read_error() -> None:
    with pytest.raises(ReadError, match="unknown encoding"):
        decode("收入预算".encode() + b"\x80\x80\xff" * 10)


def test_read_text_records_encoding() -> None:
    doc = Document("d", "d.txt", "text", "")
    read_text(TEXT.encode("gbk"), doc)
    assert doc.encoding == "gb18030" and doc.blocks[0].text.startswith("2024年")


def test_seed_tables_match_the_gold_rows(seeds_run) -> None:
    """The acceptance check: score.py on the seeds' table_cells prints table rows 181/181."""
    score = need_shared(SHARED / "tools" / "score.py")
    _, out = seeds_run
    result = subprocess.run(
        [sys.executable, str(score), str(out), "--prefix", "seeds"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert re.search(r"table rows 181/181", result.stdout.splitlines()[-1]), result.stdout
