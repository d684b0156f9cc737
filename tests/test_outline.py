from budgetbook.document import Location, Paragraph
from budgetbook.outline import assign_sections, heading_label, heading_rank


def para(text: str, line: int) -> Paragraph:
    return Paragraph(raw=text, location=Location(line=line))


def test_heading_ranks_follow_the_numbering_styles() -> None:
    assert heading_rank("第一部分 部门概况") == 0
    assert heading_rank("一、部门基本概况") == 1
    assert heading_rank("（一）部门职责") == 2
    assert heading_rank("(二)机构设置") == 2
    assert heading_rank("1、协助市政府领导同志审核公文。") == 3
    assert heading_rank("2.2024年，本部门培训费预算18万元") == 3
    assert heading_rank("（1）人员经费支出1394.37万元") == 4
    assert heading_rank("①公务接待费") == 5


def test_sentences_that_start_with_numbers_are_not_headings() -> None:
    assert heading_rank("2024年本部门收入预算3055.44万元。") is None
    assert heading_rank("3.8%的增长") is None
    assert heading_rank("一般公共预算拨款收入") is None
    assert heading_rank("三公经费") is None
    assert heading_rank("（一个专项一行）") is None


def test_heading_label_stops_at_the_first_clause() -> None:
    assert heading_label("（一）收入预算。包括一般公共预算") == "（一）收入预算"
    assert heading_label("1.截至2023年12月31日，本部门共有车辆15辆") == "1.截至2023年12月31日"


def test_section_paths_nest_and_pop() -> None:
    blocks = assign_sections(
        [
            para("一、部门基本概况", 1),
            para("（一）部门职责", 2),
            para("1、审核公文。", 3),
            para("（二）机构设置情况", 4),
            para("内设科室22个。", 5),
            para("二、部门收支总体情况", 6),
            para("收入预算3055.44万元。", 7),
        ]
    )
    assert blocks[2].section == ("一、部门基本概况", "（一）部门职责", "1、审核公文")
    assert blocks[4].section == ("一、部门基本概况", "（二）机构设置情况")
    assert blocks[6].section == ("二、部门收支总体情况",)


def test_table_of_contents_opens_no_section() -> None:
    blocks = assign_sections(
        [
            para("目 录", 1),
            para("第一部分 部门概况", 2),
            para("一、收支总表", 3),
            para("二、收入总表......5", 4),
            para("第一部分 部门概况", 5),  # the body repeats the first entry: contents over
            para("一、主要职能", 6),
            para("负责全市审计工作。", 7),
        ]
    )
    assert [b.section for b in blocks[:4]] == [("目录",)] * 4
    assert blocks[6].section == ("第一部分部门概况", "一、主要职能")  # labels are normalised
