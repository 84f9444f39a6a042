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


def test_a_paragraph_cut_inside_a_word_at_a_page_or_line_end_is_rejoined() -> None:
    paras = [RawParagraph(index=0, text="请各科室抓紧落实，做好工作进"), RawParagraph(index=1, text="度安排。"),
             RawParagraph(index=2, text="根据《2022年度某市直机关政府系列和部"),
             RawParagraph(index=3, text="分省部属单位考评方案》，制定本方案。")]
    assert join_wrapped_paragraphs(paras) == ["请各科室抓紧落实，做好工作进度安排。",
                                              "根据《2022年度某市直机关政府系列和部分省部属单位考评方案》，制定本方案。"]


def test_titles_signatures_dates_and_items_stay_apart() -> None:
    texts = ["2024年度某局绩效评估工作方案", "为做好工作，制定本方案。", "某局", "2024年3月1日", "一、组织机构",
             "领导小组由局长担任组长，成员由各科室负责人组成", "（一）制定方案", "附件：考评表"]
    paras = [RawParagraph(index=k, text=t) for k, t in enumerate(texts)]
    assert join_wrapped_paragraphs(paras) == texts


def test_a_boxed_paragraph_cut_at_a_page_end_short_of_the_margin_is_rejoined() -> None:
    paras = [
        _p(0, "各科室要按照要求，认真做好工作进", (50, 500, 600, 512)),  # short of the margin: no layout join
        _p(1, "度安排，按时报送。", (50, 40, 160, 52), page=2),
        _p(2, "第二段写到右边距为止", (50, 60, 780, 72), page=2),
    ]
    assert join_wrapped_paragraphs(paras) == ["各科室要按照要求，认真做好工作进度安排，按时报送。", "第二段写到右边距为止"]
