from __future__ import annotations

from budgetbook.document import Location, Table
from budgetbook.extract.indicators import clean_project, indicator_rows
from budgetbook.storage import read_frame

from .conftest import INDICATOR_HEADER


def test_self_evaluation_rows_are_filled_down() -> None:
    rows = [
        [*INDICATOR_HEADER],
        ["", "产出指标（50分)", "数量指标", "提供有价值的参阅资料", "≥100篇", "284", "10", "10", ""],
        ["", "", "", "高效处理各类来文", "≥4000件", "5164", "10", "10", ""],
        ["", "", "可持续影响指标", "", "", "", "", "", ""],
        ["总分", "100", "99", ""],
    ]
    table = Table(
        rows=rows, location=Location(1), title="整体支出绩效自评表", row_locations=[Location(i) for i in range(5)]
    )
    got = indicator_rows(table)
    assert [r["level3"] for r in got] == ["提供有价值的参阅资料", "高效处理各类来文"]
    assert got[1] | {"location": ""} == {
        "project": "",
        "level1": "产出指标",
        "level2": "数量指标",
        "level3": "高效处理各类来文",
        "description": "",
        "target": "≥4000件",
        "actual": "5164",
        "weight": "10",
        "score": "10",
        "location": "",
    }


def test_form_rows_take_the_project_name() -> None:
    rows = [
        ["项目名称", "[13073024X000010000582]怀财字【2024】7号民兵预备役"],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
        ["产出指标", "数量指标", "训练次数", "民兵训练次数", "≥1次", "2024年工作计划"],
    ]
    table = Table(rows=rows, location=Location(1), title="民兵预备役绩效目标表", row_locations=[Location(1)] * 3)
    (row,) = indicator_rows(table)
    assert (row["project"], row["description"], row["target"]) == ("民兵预备役", "民兵训练次数", "≥1次")
    assert clean_project("[13073024X000004000462]怀财字【2024】7号 疫情防控经费") == "疫情防控经费"


def test_corpus_lists_and_cut_names(corpus_run) -> None:
    _, out = corpus_run
    ind = read_frame(out, "indicators")
    changsha = ind.loc[ind.doc_id.str.startswith("长沙_2026年长沙市信访局")]
    assert "基层及其他信访业务工作经费专项" in set(changsha.project)
    fuzhou = ind.loc[ind.doc_id.str.startswith("福州_2026年福州市医疗保障局")]
    assert "2026年医疗服务与保障能力提升补助资金" in set(fuzhou.project)  # the form's name cell is cut at a page break
