"""Alias files (``--aliases``): printed name variant → canonical name, read at the edge (CLI / API).

The file names its two columns in a header row; the words it may use (variant/canonical, 别名/规范名,
原名/标准名 …) are listed in ``normalize/data/alias_headers.csv``. Other columns (备注 …) are ignored. A file
whose header names neither column, a variant given two canonicals, or a canonical that is itself a variant
of something else (the file contradicts itself: which spelling is right?) is refused with the file and the
reason. CSV may be UTF-8 (with or without BOM) or GBK/GB18030, as Excel on Chinese Windows saves it;
``.xlsx`` is read from its first sheet; YAML is a mapping ``variant: canonical`` or ``canonical: [variants]``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from kaoping.normalize.facts import data_rows
from kaoping.schema.errors import InputError

#: tried in this order: BOM-aware UTF-8 first; GB18030 is a superset of GBK (Excel's "CSV" on Chinese Windows)
ENCODINGS = ("utf-8-sig", "gb18030")

Pairs = list[tuple[int, str, str]]  # (line, variant, canonical)


def header_words() -> dict[str, str]:
    """header word (case-folded) → ``variant`` or ``canonical``."""
    return {row["header"].strip().casefold(): row["column"] for row in data_rows("alias_headers.csv")}


def load_aliases(path: Path | str) -> dict[str, str]:
    """Read an alias file (.csv, .xlsx, .yaml/.yml) into {variant: canonical}."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        pairs = _table_pairs(_csv_rows(_decoded(path), path), path)
    elif suffix == ".xlsx":
        pairs = _table_pairs(_xlsx_rows(path), path)
    elif suffix in (".yaml", ".yml"):
        pairs = _yaml_pairs(_decoded(path), path)
    else:
        raise InputError(f"alias file must be .csv, .xlsx, .yaml or .yml, not {suffix or 'a file without suffix'}",
                         str(path))
    return pairs_to_aliases(pairs, path)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read alias file: {exc.strerror or exc}", str(path)) from None


def _decoded(path: Path) -> str:
    data = _read(path)
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("alias file is neither UTF-8 nor GBK text", str(path))


def _csv_rows(text: str, path: Path) -> list[tuple[int, list[str]]]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise InputError(f"alias file is not valid CSV: {exc}", str(path)) from None
    return [(n, [c.strip() for c in row]) for n, row in enumerate(rows, start=1)]


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(_read(path)), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged or mislabelled file
        raise InputError(f"alias file is not a readable .xlsx workbook: {type(exc).__name__}", str(path)) from None
    ws = wb.worksheets[0]
    rows = [(n, ["" if v is None else str(v).strip() for v in row])
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    wb.close()
    return rows


def _meaningful(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Rows with something in them that is not a # comment."""
    return [(n, cells) for n, cells in rows if any(cells) and not cells[0].startswith("#")]


def _header_columns(cells: list[str], path: Path) -> tuple[int, int]:
    words = header_words()
    found: dict[str, int] = {}
    for k, cell in enumerate(cells):
        column = words.get(cell.casefold())
        if column is not None and column not in found:
            found[column] = k
    if set(found) != {"variant", "canonical"}:
        known = "/".join(sorted({w for w, c in words.items() if c == "variant"})[:3])
        raise InputError(f"alias file header {cells!r} does not name a variant and a canonical column "
                         f"(e.g. variant,canonical or 别名,规范名; variant words: {known} …)", str(path))
    return found["variant"], found["canonical"]


def _table_pairs(rows: list[tuple[int, list[str]]], path: Path) -> Pairs:
    rows = _meaningful(rows)
    if not rows:
        return []
    (_, header), body = rows[0], rows[1:]
    v, c = _header_columns(header, path)
    pairs: Pairs = []
    for number, cells in body:
        variant = cells[v] if v < len(cells) else ""
        canonical = cells[c] if c < len(cells) else ""
        if not variant or not canonical:
            raise InputError(f"alias file line {number}: a variant and a canonical name are both needed, "
                             f"got {cells!r}", str(path))
        pairs.append((number, variant, canonical))
    return pairs


def _yaml_pairs(text: str, path: Path) -> Pairs:
    import yaml  # only alias files need it

    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"alias file is not valid YAML: {exc}", str(path)) from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise InputError("alias file must be a mapping of variant: canonical", str(path))
    pairs: Pairs = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
            pairs.extend((0, v.strip(), str(key).strip()) for v in value)
        elif isinstance(key, str) and isinstance(value, str) and key.strip() and value.strip():
            pairs.append((0, key.strip(), value.strip()))
        else:
            raise InputError(f"alias file entry {key!r}: {value!r} is not variant: canonical", str(path))
    return pairs


def _where(number: int) -> str:
    return f"line {number}: " if number else ""


def pairs_to_aliases(pairs: Pairs, path: Path | str) -> dict[str, str]:
    """Identities dropped; a variant with two canonicals, or a canonical that is also a variant, refused."""
    mapping: dict[str, str] = {}
    for number, variant, canonical in pairs:
        if variant == canonical:
            continue
        if mapping.get(variant, canonical) != canonical:
            raise InputError(f"alias file {_where(number)}{variant} is mapped to both {mapping[variant]} and "
                             f"{canonical}", str(path))
        mapping[variant] = canonical
    for number, variant, canonical in pairs:
        if canonical in mapping:
            raise InputError(f"alias file {_where(number)}{canonical} is the canonical name of {variant} but is "
                             f"itself listed as a variant of {mapping[canonical]}; the file contradicts itself",
                             str(path))
    return mapping
