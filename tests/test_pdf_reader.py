"""The PDF reader on the real corpus: named cells of named tables, checked against the PDFs."""

from __future__ import annotations

import pandas as pd
import pytest

from budgetbook.storage import read_frame
from budgetbook.text import squash

from .conftest import CORPUS


def frames(corpus_run) -> dict[str, pd.DataFrame]:
    _, out = corpus_run
    return {n: read_frame(out, n) for n in ("documents", "tables", "table_cells", "paragraphs", "problems")}


def table(corpus_run, doc_prefix: str, title_part: str) -> tuple[pd.Series, pd.DataFrame]:
    f = frames(corpus_run)
    hits = f["tables"].loc[lambda t: t.doc_id.str.startswith(doc_prefix) & t.title.str.contains(title_part)]
    assert len(hits) >= 1, f"no table '{title_part}' in {doc_prefix}"
    meta = hits.iloc[0]
    cells = f["table_cells"].loc[lambda c: (c.doc_id == meta.doc_id) & (c.table_id == meta.table_id)]
    return meta, cells


def row(cells: pd.DataFrame, label: str) -> tuple[list[str], set[int]]:
    """The cells of the first row whose text begins with `label` (spaces ignored), and its pages."""
    for _, r in cells.sort_values(["row", "col"]).groupby("row"):
        texts = list(r.text)
        if squash("".join(texts)).startswith(squash(label)):
            return texts, set(r.page)
    raise AssertionError(f"no row {label!r}")


def test_every_corpus_pdf_is_read_without_a_problem(corpus_run) -> None:
    result, _ = corpus_run
    pdfs = sorted(p.stem for p in CORPUS.glob("*.pdf"))
    assert [p for p in result.problems if p.stage == "read"] == []
    assert sorted(d.doc_id for d in result.documents) == pdfs
    assert all(d.format == "pdf" and d.pages for d in result.documents)


@pytest.mark.parametrize(
    ("doc", "title", "label", "expected", "unit"),
    [
        # 上海: the document itself leaves the 收入总计 amount blank (a finding, not a reader bug)
        (
            "上海_2026年上海市审计局",
            "财务收支预算总表",
            "收入总计",
            ["收入总计", "", "支出总计", "195,774,300", "153,268,740", "21,802,560", "20,703,000"],
            "元",
        ),
        (
            "长沙_2026年长沙市信访局",
            "部门收支总体情况表",
            "收入总计",
            ["收 入 总 计", "1,935.36", "支 出 总 计", "1,935.36"],
            "万元",
        ),
        (
            "福州_2026年福州市信访局",
            "部门收支总表",
            "本年收入合计",
            ["本年收入合计", "48,362.82", "本年支出合计", "50,616.94"],
            "万元",
        ),
        (
            "杭州_2026年杭州市气象局",
            "收支预算总表",
            "收入总计",
            ["收 入 总 计", "5,876.67", "支 出 总 计", "5,876.67"],
            "万元",
        ),
        (
            "上海普陀_2024年中共",
            "收入支出决算总表",
            "一、一般公共预算财政拨款收入",
            ["一、一般公共预算财政拨款收入", "307.82", "一、一般公共服务支出", "264.87"],
            "万元",
        ),
        (
            "苏州_2026年苏州市审计局",
            "收入总表",
            "合计",
            ["合计", "", "4,651.67", "4,651.67", "4,651.67"],
            "万元",
        ),
    ],
)
def test_named_cells(corpus_run, doc, title, label, expected, unit) -> None:
    meta, cells = table(corpus_run, doc, title)
    texts, _ = row(cells, label)
    assert texts[: len(expected)] == expected
    assert meta.unit == unit


@pytest.mark.parametrize(
    ("doc", "title", "label", "expected", "pages", "page_of_row"),
    [
        (
            "上海_2026年上海市审计局",
            "收入预算总表",
            "合计",
            ["合计", "", "", "", "195,774,300", "195,774,300"],
            "8,9",
            9,
        ),
        (
            "苏州_2026年苏州市审计局",
            "财政拨款收支总表",
            "收入总计",
            ["收入总计", "4,651.67", "支出总计", "4,651.67"],
            "12,13",
            13,
        ),
        (
            "福州_2026年福州市信访局",
            "一般公共预算基本支出表",
            "30302",
            ["30302", "退休费", "269.19", "269.19", ""],
            "12,13",
            13,
        ),
        (
            "长沙_2026年长沙市信访局",
            "项目支出绩效目标表",
            "合计",
            ["合计", "", "417.41"],
            "22,23,24,25,26,27,28,29",
            22,
        ),
    ],
)
def test_tables_continued_on_later_pages_are_one_table(
    corpus_run, doc, title, label, expected, pages, page_of_row
) -> None:
    meta, cells = table(corpus_run, doc, title)
    texts, row_pages = row(cells, label)
    assert texts[: len(expected)] == expected
    assert meta.pages == pages
    assert row_pages == {page_of_row}


@pytest.mark.parametrize(
    ("doc", "title", "header"),
    [
        ("上海_2026年上海市审计局", "一般公共预算支出功能分类预算表", "功能分类科目编码"),  # repeated on p14
        ("长沙_2026年长沙市信访局", "项目支出绩效目标表", "单位编码"),
    ],  # repeated on every page
)
def test_repeated_headers_are_dropped(corpus_run, doc, title, header) -> None:
    _, cells = table(corpus_run, doc, title)
    first_cells = cells.sort_values("col").groupby("row").text.first().map(squash)
    assert (first_cells == header).sum() == 1


def test_one_title_over_several_one_page_tables_stays_several_tables(corpus_run) -> None:
    tables = frames(corpus_run)["tables"]
    same = tables.loc[
        lambda t: t.doc_id.str.startswith("福州_2026年福州市医疗") & (t.title == "综合工作经费项目绩效目标表")
    ]
    assert list(same.pages) == ["30", "37", "38", "39"]


def test_form_cut_at_the_foot_of_a_page_is_joined(corpus_run) -> None:
    meta, cells = table(corpus_run, "福州_2026年福州市医疗", "医疗服务与保障能力提升补助资金项目绩效目标表")
    assert meta.pages == "26,27"
    texts, _ = row(cells, "主管部门")
    assert texts == ["主管部门", "福州市医疗保障局", "", "实施单位", "福州市医疗保障局"]


def test_title_rows_drawn_inside_the_frame_move_to_the_caption(corpus_run) -> None:
    meta, cells = table(corpus_run, "上海_2026年上海市财政局", "财政拨款收支预算总表")
    assert meta.unit == "元"
    assert "编制单位" in meta.caption
    assert not cells.text.str.contains("编制单位").any()


def test_shaded_words_are_not_tables(corpus_run) -> None:
    counts = frames(corpus_run)["tables"].groupby("doc_id").size()
    assert counts["长沙_2026年长沙市信访局部门预算"] == 10  # pdfplumber alone finds 133


def test_page_numbers_and_running_headers_are_removed(corpus_run) -> None:
    paragraphs = frames(corpus_run)["paragraphs"]
    assert not paragraphs.text.str.fullmatch(r"-?\d{1,3}-?").any()
    suzhou = paragraphs.loc[lambda p: p.doc_id.str.startswith("苏州_2026年苏州市审计局")]
    assert not suzhou.text.str.fullmatch("苏州市审计局2026年度部门预算公开").any()


def test_lines_broken_by_layout_are_one_paragraph(corpus_run) -> None:
    paragraphs = frames(corpus_run)["paragraphs"]
    beijing = paragraphs.loc[lambda p: p.doc_id.str.startswith("北京_2026年北京市审计局")]
    hit = beijing.loc[beijing.text.str.startswith("2026年度收入预算32852.05万元")]
    assert len(hit) == 1
    assert hit.iloc[0].text == (
        "2026年度收入预算32852.05万元，比2025年年初预算数30385.62万元增加2466.43万元，增长8.12%。"
        "主要原因是新招录人员等原因导致基本经费增加。"
    )
    assert (hit.iloc[0].page, hit.iloc[0].section) == (
        6,
        "第一部分2026年度部门预算情况说明 / 二、收入预算情况说明",
    )


def test_table_of_contents_is_not_the_outline(corpus_run) -> None:
    paragraphs = frames(corpus_run)["paragraphs"]
    shanghai = paragraphs.loc[lambda p: p.doc_id.str.startswith("上海_2026年上海市审计局")]
    body = shanghai.loc[shanghai.text.str.startswith("2026年“三公”经费预算数为237.92万元")].iloc[0]
    assert body.section == "一、2026年“三公”经费预算情况说明"


def test_digits_on_a_lower_baseline_stay_in_their_sentence(corpus_run) -> None:
    """普陀 sets figures a few points below the Chinese text; they must not become lines of their own."""
    paragraphs = frames(corpus_run)["paragraphs"]
    putuo = paragraphs.loc[lambda p: p.doc_id.str.startswith("上海普陀_2024年上海市普陀区财政局")]
    hit = putuo.loc[putuo.text.str.startswith("一般公共预算财政拨款基本支出2336.91万元")]
    assert len(hit) == 1
    assert "退休费、个人农业生产补贴；公用经费184.65万元" in hit.iloc[0].text
