import datetime as dt

import pytest
from kaoping.normalize.dates import deadline_to_date, line_to_date, text_to_date_range
from kaoping.normalize.names import split_names
from kaoping.normalize.textfold import fold_code, fold_text, parse_number


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("2022 年度", "2022年度"),
        ("职 能 工 作 目 标", "职能工作目标"),
        ("泉效综〔2022〕3 号", "泉效综〔2022〕3号"),
        ("“文明出行 清静你我”", "“文明出行清静你我”"),
        ("open  data\nportal", "open data portal"),
        ("推进 App 开发", "推进 App 开发"),
        ("  ", ""),
    ],
)
def test_fold_text(raw: str, folded: str) -> None:
    assert fold_text(raw) == folded


@pytest.mark.parametrize(
    ("raw", "code"),
    [("1-10-\n1", "1-10-1"), ("１－１０－１", "1-10-1"), (" 4-5 ", "4-5"), ("1 - 3 - 2", "1-3-2"),
     ("2022", None), ("三定方案", None), ("", None)],
)
def test_fold_code(raw: str, code: str | None) -> None:
    assert fold_code(raw) == code


def test_parse_number() -> None:
    assert parse_number("1.5") == 1.5
    assert parse_number(" 2 ") == 2.0
    assert parse_number("4分") == 4.0
    assert parse_number("12月底前") is None


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("李 昀", ["李昀"]),
        ("刘海祥 林 鹏", ["刘海祥", "林鹏"]),
        ("苏颖慧 李 昀", ["苏颖慧", "李昀"]),
        ("李维 芳", ["李维芳"]),  # a page break inside a name
        ("李 维芳", ["李维芳"]),
        ("刘海祥 汪亚彬 李维芳 林鹏 周俊杰", ["刘海祥", "汪亚彬", "李维芳", "林鹏", "周俊杰"]),
        ("机关支部 党建科 办公室", ["机关支部", "党建科", "办公室"]),
        ("张三、李四，王五", ["张三", "李四", "王五"]),
        ("", []),
    ],
)
def test_split_names(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


@pytest.mark.parametrize(
    ("deadline", "date"),
    [("12月底前", dt.date(2022, 12, 31)), ("7月底前", dt.date(2022, 7, 31)), ("2月底前", dt.date(2022, 2, 28)),
     ("9月30日前", dt.date(2022, 9, 30)), ("年底前", dt.date(2022, 12, 31)), ("第三季度", dt.date(2022, 9, 30)),
     ("2023年6月底前", dt.date(2023, 6, 30)), ("长期", None), (None, None)],
)
def test_deadline_to_date(deadline: str | None, date: dt.date | None) -> None:
    assert deadline_to_date(deadline, 2022) == date


def test_date_ranges() -> None:
    assert text_to_date_range("2022年9月至12月，配合开展", 2022) == (dt.date(2022, 9, 1), dt.date(2022, 12, 31))
    assert text_to_date_range("2023年1月中旬，按照", 2022) == (dt.date(2023, 1, 11), dt.date(2023, 1, 20))
    assert text_to_date_range("2022年7月10日前，制定", 2022) == (None, dt.date(2022, 7, 10))
    assert line_to_date("2022年8月3日") == dt.date(2022, 8, 3)
    assert line_to_date("2022年8月3日印发") is None


def test_split_names_with_a_vocabulary_from_the_same_notice() -> None:
    from kaoping.normalize.names import break_after_suffixes, cells_to_vocabulary

    cells = ["王建国", "张伟", "李明", "王建国 张伟", "王建国张伟李明", "张伟 李 明", "赵 六"]
    vocab = cells_to_vocabulary(cells)
    assert vocab == {"王建国", "张伟", "李明", "赵六"}  # the run-together cell and the fragments stay out
    assert split_names("王建国张伟李明", vocab) == ["王建国", "张伟", "李明"]  # a narrow PDF column
    assert split_names("王建国张伟孙七", vocab) == ["王建国", "张伟", "孙七"]  # an unknown name at the end
    assert split_names("张 伟 李明", vocab) == ["张伟", "李明"]
    assert split_names("赵 六", vocab) == ["赵六"]
    units = cells_to_vocabulary(["综合科", "财务科", "综合科 财务科"])
    assert split_names("机关支\n部 综 合科 财务科", units) == ["机关支部", "综合科", "财务科"]
    assert break_after_suffixes("审计科监督科信息中心", ["科", "中心"], 3) == "审计科 监督科 信息中心"
    assert break_after_suffixes("机关支部", ["科", "支部"], 3) == "机关支部"
