"""Issue 17/14 rules in isolation: words printed whole stay whole, invisible characters, the output swap's
recovery, Arrow tables with rows larger than the JSON reader's block."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kaoping.normalize.names import cells_to_vocabulary, split_names


def test_a_word_printed_among_separated_words_stays_whole() -> None:
    # 机关 and 支部 are printed alone elsewhere, but 机关支部 is printed as a word beside 党建科
    units = cells_to_vocabulary(["机关", "支部", "机关支部 党建科", "综合科"])
    assert "机关支部" in units
    assert split_names("机关支部", units) == ["机关支部"]
    assert split_names("机关支部党建科", units) == ["机关支部", "党建科"]


def test_two_names_run_together_are_never_a_name_however_often() -> None:
    # a narrow column prints 陈建新李昀 on ten rows, 陈建新 and 李昀 alone on fewer: for units that count would
    # make it a word (机关支部); a person's name is never two other people's names run together
    cells = ["陈瑞典 陈建新李昀 陈天铃"] * 10 + ["陈建新", "李昀 苏大庆", "陈天铃", "陈瑞典"]
    people = cells_to_vocabulary(cells, compounds=False)
    assert "陈建新李昀" not in people and {"陈建新", "李昀"} <= people
    assert split_names("陈建新李昀", people) == ["陈建新", "李昀"]
    assert "陈建新李昀" in cells_to_vocabulary(cells)  # the units' rule, unchanged


def test_names_run_together_and_broken_by_a_wrap_are_the_names() -> None:
    # a browser's narrow 责任人 column on US Letter: 苏颖慧 黄华明 陈建新 wrapped as 苏颖慧黄华 / 明陈建新 on the
    # ten rows of a merged cell, the names printed whole on fewer rows: a run of whole names with a name broken
    # at an end is no name (it made 苏颖慧黄华 and 明陈建新 two people), and the cell splits into the names
    cells = ["陈瑞典 苏颖慧黄华 明陈建新 陈天铃"] * 10 + ["苏颖慧", "黄华明", "陈建新", "陈天铃", "陈瑞典"]
    people = cells_to_vocabulary(cells, compounds=False)
    assert {"苏颖慧黄华", "明陈建新"}.isdisjoint(people) and {"苏颖慧", "黄华明", "陈建新"} <= people
    assert split_names(cells[0], people) == ["陈瑞典", "苏颖慧", "黄华明", "陈建新", "陈天铃"]
    three = cells_to_vocabulary(["王伟华"] * 3 + ["王伟", "华明", "李强"], compounds=False)
    assert "王伟华" in three  # a name of usual length that reads as a name plus a broken one stays a name


def test_a_name_a_page_break_cut_is_no_two_names() -> None:
    # a page break cut one row inside a name: 王建 at the foot of one page, 国李强 at the head of the next,
    # joined as one cell's two lines. Both pieces are two characters or more, so the cell read as two
    # separated entries, and each piece became a person; a name printed whole on other rows (王建国) runs
    # across the separator, so the separator is a cut, not 'next entry'
    cells = ["王建国", "王建国 张伟", "张伟", "王建\n国李强", "陈明"]
    people = cells_to_vocabulary(cells, compounds=False)
    assert {"王建", "国李强"}.isdisjoint(people) and {"王建国", "张伟"} <= people
    assert split_names(cells[3], people) == ["王建国", "李强"]
    # two names on two lines stay two entries: no name printed elsewhere runs across the line
    assert {"李强", "赵敏"} <= cells_to_vocabulary(["李强\n赵敏", "王建国"], compounds=False)


def test_parts_printed_alone_and_never_the_whole_are_split() -> None:
    units = cells_to_vocabulary(["机关", "支部", "综合科", "机关支部"])  # the whole only run together, once
    assert "机关支部" not in units
    assert split_names("机关支部", units) == ["机关", "支部"]


def test_fragments_of_a_wrapped_word_are_no_evidence() -> None:
    # a wrap (机关支\n部) and an export's stray spaces (党 建科) do not make their pieces words
    units = cells_to_vocabulary(["机关支\n部 党 建科 办公室", "党建科", "办公室 党建科"])
    assert not {"机关支", "部党", "建科"} & units
    assert split_names("机关支\n部 党 建科 办公室", units) == ["机关支部", "党建科", "办公室"]


def test_invisible_characters_make_no_second_person(write_notice) -> None:
    from kaoping.api import extract

    rows = ["业务工作目标（80分） 重点任务\t2-1-1\t依据\t推进某项改革。4分\t完成改革任务\t2\t6月底前\t张三\t综合科\t王五",
            "\t2-1-2\t\t\t开展评估工作\t2\t12月底前\t张\u200b三\t综合科\t王\u202e五\x00"]
    from support import PREAMBLE

    # a long preamble: a NUL in the first kilobyte would make the file binary, not a notice
    doc = extract(write_notice(rows, preamble=[*PREAMBLE, "说明" * 600, ""]))
    assert [i.leaders for i in doc.indicators] == [["张三"], ["张三"]]
    assert [i.owners for i in doc.indicators] == [["王五"], ["王五"]]
    assert [(p.name, p.role) for p in doc.people] == [("张三", "leader"), ("王五", "owner")]
    found = [i for i in doc.issues if i.kind == "invisible_chars"]
    assert len(found) == 2
    assert "U+200B ZERO WIDTH SPACE" in found[0].message and found[0].cells == ["张三"]
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in found[1].message and "U+0000" in found[1].message


def test_an_interrupted_swap_is_recovered_on_the_next_run(tmp_path: Path) -> None:
    from kaoping.writers.output import atomic_dir

    out = tmp_path / "out"
    # a kill between the two renames: the previous output set aside, no OUTDIR
    aside = tmp_path / ".out.old-abc123"
    (aside / "out").mkdir(parents=True)
    (aside / "out" / "notice.json").write_text('{"previous": true}', encoding="utf-8")
    (tmp_path / ".out.tmp-zzz").mkdir()  # a kill while writing
    (tmp_path / ".out.tmp-zzz" / "notice.json").write_text("{}", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_dir(out):
        raise RuntimeError("this run fails too")
    assert (out / "notice.json").read_text(encoding="utf-8") == '{"previous": true}'  # the previous output is back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_left_over_folder_holding_user_files_is_never_deleted(tmp_path: Path) -> None:
    from kaoping.writers.output import atomic_dir

    aside = tmp_path / ".out.old-abc123"
    aside.mkdir()
    (aside / "thesis.docx").write_text("mine", encoding="utf-8")
    with atomic_dir(tmp_path / "out") as tmp:
        (tmp / "notice.json").write_text("{}", encoding="utf-8")
    assert (aside / "thesis.docx").read_text(encoding="utf-8") == "mine"


def test_an_empty_sub_folder_of_the_output_is_the_users(tmp_path: Path) -> None:
    from kaoping.schema.errors import OutputError

    from kaoping.writers.output import atomic_dir

    out = tmp_path / "out"
    (out / "drafts").mkdir(parents=True)
    (out / "notice.json").write_text("{}", encoding="utf-8")
    with pytest.raises(OutputError, match="output folder holds 'drafts/'"), atomic_dir(out):
        pass
    assert (out / "drafts").is_dir()


def test_arrow_tables_do_not_depend_on_the_json_block_size() -> None:
    # a row far larger than Arrow's 1 MB JSON block, in a fresh process to see what gets imported
    code = (
        "import sys\n"
        "from kaoping.schema.arrow import records_to_table\n"
        "from kaoping.schema.models import Issue\n"
        "rows = [Issue(severity='warning', kind='k', message='\\t' * 3_000_000, cells=['x' * 2_000_000])] * 2\n"
        "t = records_to_table(rows, Issue)\n"
        "assert t.num_rows == 2 and len(t.column('message')[0].as_py()) == 3_000_000\n"
        "assert t.schema.field('severity').nullable is False\n"
        "print('pandas' in sys.modules, 'pyarrow.compute' in sys.modules)\n"
    )
    assert fresh_process(code) == ["False", "False"]


def test_names_a_narrow_column_ran_together_once_are_split() -> None:
    # 吴敏 and 何静 are printed apart on many rows; one wrapped cell ran them together beside 朱琳
    cells = ["吴敏", "何静", "郑浩 何静", "郑浩 吴敏", "吴敏 孙丽", "何静 林涛", "吴敏何静 朱琳", "朱琳"]
    owners = cells_to_vocabulary(cells)
    assert "吴敏何静" not in owners
    assert split_names("吴敏何静 朱琳", owners) == ["吴敏", "何静", "朱琳"]


def test_radical_code_points_are_read_as_the_ideographs_they_stand_for() -> None:
    """⾏政能⼒⽬标 (Kangxi radicals U+2F8F, U+2F12, U+2F6C, as Chromium's PDFs map them) is 行政能力目标,
    ⻩ (CJK Radicals Supplement U+2EE9) is 黄;
    a supplement radical with no ideograph of its own (⺮ U+2EAE) stays; one info finding counts them."""
    from kaoping.normalize.radicals import radicals_to_ideographs, raw_to_ideographs
    from kaoping.schema.raw import RawDocument, RawParagraph, SourceInfo

    assert radicals_to_ideographs("⾏政能⼒⽬标（25分）") == "行政能力目标（25分）"
    assert radicals_to_ideographs("⻩华明 ⻅习 第7⻚ 推进⻰头 人⺠") == "黄华明 见习 第7页 推进龙头 人民"  # the supplement's
    assert radicals_to_ideographs("⻄华洋片区") == "西华洋片区"  # drawn so by the JP face (a page with no lang)
    assert radicals_to_ideographs("⺮") == "⺮"
    assert radicals_to_ideographs("门⼾网站") == "门户网站"  # the SC face draws ⼾ as 户 (NFKC would say 戶)
    raw = RawDocument(source=SourceInfo(format="pdf", file="x.pdf", sha256="0" * 64, size=1),
                      paragraphs=[RawParagraph(index=0, text="⾏政能⼒⽬标"), RawParagraph(index=1, text="正文")])
    fixed, [issue] = raw_to_ideographs(raw)
    assert [p.text for p in fixed.paragraphs] == ["行政能力目标", "正文"] and raw.paragraphs[0].text == "⾏政能⼒⽬标"
    assert (issue.kind, issue.severity) == ("radical_chars", "info") and issue.message.startswith("3 characters")


def test_units_run_together_and_broken_by_a_wrap_are_the_units() -> None:
    # a 责任单位 column four characters wide prints 办公室资 / 本科考核 / 科监督科 on every row of a merged cell; the
    # pieces repeat, so they were taken for units. A run of whole units with a unit broken at an end is none —
    # while a word made of whole units (机关支部 beside 党建科) stays a word
    cells = (["办公室资\n本科考核\n科监督科"] * 3 + ["办公室", "资本科", "考核科", "监督科"] * 3
             + ["机关支部 党建科", "机关", "支部"])  # most rows print one unit: three characters is usual
    units = cells_to_vocabulary(cells)
    assert {"办公室资", "科监督科"}.isdisjoint(units) and "机关支部" in units  # (本科考核 holds no whole unit: kept)
    assert split_names("办公室资本科考核科监督科", units) == ["办公室", "资本科", "考核科", "监督科"]


def test_a_repeated_column_is_built_without_asking_pandas() -> None:
    """The notice id and year put on every dataset row: the values as written, and no pandas import
    (pa.array would import it, 0.2 s in a library caller's ingest and in each worker it forks)."""
    code = (
        "import sys, pyarrow as pa\n"
        "from kaoping.schema.arrow import repeated\n"
        "print(repeated('泉国资办〔2022〕196号', pa.string(), 3).to_pylist() == ['泉国资办〔2022〕196号'] * 3,\n"
        "      repeated('', pa.string(), 2).to_pylist() == ['', ''], repeated('x', pa.string(), 0).to_pylist() == [],\n"
        "      repeated(2022, pa.int64(), 2).to_pylist() == [2022, 2022],\n"
        "      repeated(None, pa.int64(), 2).to_pylist() == [None, None], 'pandas' in sys.modules)\n"
    )
    assert fresh_process(code) == ["True"] * 5 + ["False"]


def fresh_process(code: str) -> list[str]:
    """What ``code`` prints, run in a fresh interpreter (to see what it imports), split into words."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    return out.stdout.split()
