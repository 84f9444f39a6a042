"""--aliases files: columns found by their header, contradictions refused, the encodings Excel saves, .xlsx."""

from __future__ import annotations

from pathlib import Path

import pytest
from kaoping.schema.errors import InputError
from openpyxl import Workbook

from kaoping.aliases import load_aliases


def test_csv_with_header_comments_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("variant,canonical\n李昫,李昀\n\n# a comment\n 李响 , 李昀 \n", encoding="utf-8")
    assert load_aliases(path) == {"李昫": "李昀", "李响": "李昀"}


@pytest.mark.parametrize("header", ["别名,规范名", "原名,标准名", "Variant,Canonical"])
def test_columns_are_read_by_header_name_in_any_order_extra_columns_ignored(tmp_path: Path, header: str) -> None:
    variant, canonical = header.split(",")
    path = tmp_path / "a.csv"
    path.write_text(f"备注,{canonical},{variant}\n同一人,李昀,李昫\n,张三,张叁\n", encoding="utf-8")
    assert load_aliases(path) == {"李昫": "李昀", "张叁": "张三"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_utf8_bom_and_gbk(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("别名,规范名\r\n李昫,李昀\r\n".encode(encoding))
    assert load_aliases(path) == {"李昫": "李昀"}


def test_xlsx_first_sheet_by_header(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "原名", "标准名"])
    ws.append([1, "李昫", "李昀"])
    ws.append([None, None, None])
    ws.append([2, "刘海祥", "刘海翔"])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    assert load_aliases(path) == {"李昫": "李昀", "刘海祥": "刘海翔"}


def test_yaml_mapping_and_list_form(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text("李昫: 李昀\n李昀:\n  - 李响\n张叁: 张三\n", encoding="utf-8")
    assert load_aliases(path) == {"李昫": "李昀", "李响": "李昀", "张叁": "张三"}
    empty = tmp_path / "empty.yml"
    empty.write_text("", encoding="utf-8")
    assert load_aliases(empty) == {}


@pytest.mark.parametrize(("name", "text", "message"), [
    ("a.csv", "李昫,李昀\n张叁,张三\n", r"header \['李昫', '李昀'\] does not name a variant and a canonical column"),
    ("a.csv", "variant,备注\na,b\n", "does not name a variant and a canonical"),
    ("a.csv", "variant,canonical\n李昫,\n", "line 2: a variant and a canonical name are both needed"),
    ("a.csv", "variant,canonical\na,b\na,c\n", "line 3: a is mapped to both b and c"),
    ("a.csv", "variant,canonical\na,b\nb,c\n", "line 2: b is the canonical name of a but is itself listed as a "
                                               "variant of c; the file contradicts itself"),
    ("a.csv", "variant,canonical\na,b\nb,a\n", "contradicts itself"),
    ("a.yaml", "张3: 张叁\n张叁: 张三\n", "张叁 is the canonical name of 张3 but is itself listed as a variant"),
    ("a.yaml", "- a\n- b\n", "must be a mapping"),
    ("a.yaml", "a: [b\n", "not valid YAML"),
    ("a.yaml", "a: 3\n", "is not variant: canonical"),
    ("a.txt", "a,b\n", "must be .csv, .xlsx, .yaml or .yml"),
    ("a.xlsx", "not a zip", "not a readable .xlsx workbook"),
])
def test_bad_files_are_refused_with_the_reason(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_aliases(path)
    assert info.value.exit_code == 3 and info.value.path == str(path)


def test_not_text_and_missing_file(tmp_path: Path) -> None:
    binary = tmp_path / "a.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x00")
    with pytest.raises(InputError, match="neither UTF-8 nor GBK"):
        load_aliases(binary)
    with pytest.raises(InputError, match="cannot read alias file"):
        load_aliases(tmp_path / "nope.csv")
