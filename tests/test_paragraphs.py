from kaoping.normalize.paragraphs import join_wrapped_paragraphs
from kaoping.schema.raw import RawParagraph


def _p(i: int, text: str, box: tuple[float, float, float, float], page: int = 1) -> RawParagraph:
    return RawParagraph(index=i, text=text, page=page, bbox=box)


def test_lines_that_reach_the_margin_join_the_next_line() -> None:
    paras = [
        _p(0, "第一段第一行一直写到", (50, 100, 780, 112)),
        _p(1, "右边距。", (50, 120, 100, 132)),            # line spacing → same paragraph
        _p(2, "第二段。", (50, 150, 100, 162)),            # paragraph spacing → new paragraph
        _p(3, "（一）第三段写到右边距", (50, 180, 781, 192)),
        _p(4, "（二）新的条目。", (50, 200, 150, 212)),     # an item marker always opens a paragraph
        _p(5, "跨页的段落写到右边距", (50, 500, 779, 512)),
        _p(6, "在下一页继续。", (50, 40, 140, 52), page=2),
    ]
    assert join_wrapped_paragraphs(paras) == [
        "第一段第一行一直写到右边距。", "第二段。", "（一）第三段写到右边距", "（二）新的条目。",
        "跨页的段落写到右边距在下一页继续。"]


def test_paragraphs_without_boxes_pass_through_folded() -> None:
    paras = [RawParagraph(index=0, text="2022 年度 方案"), RawParagraph(index=1, text="第二行")]
    assert join_wrapped_paragraphs(paras) == ["2022年度方案", "第二行"]
