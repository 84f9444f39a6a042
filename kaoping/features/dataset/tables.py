"""A notice as the dataset's tables (Arrow → Parquet bytes), and the dataset's tables read back whole."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kaoping.schema.arrow import records_to_table, repeated
from kaoping.writers.tables import TABLES

PARTITION = "year"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Hive's (and DuckDB's) spelling of a NULL partition value
#: dataset table name → kaoping.writers.tables.TABLES name
DATASET_TABLES: dict[str, str] = {("notices" if name == "notice" else name): name for name in TABLES}
SOURCES_TABLE = "sources"
ALL_TABLES = (*DATASET_TABLES, SOURCES_TABLE)
_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]|^\.')


def notice_stem(notice_id: str) -> str:
    """A file name for a notice: the id itself when it is safe, else a cleaned id plus a short hash."""
    clean = _UNSAFE.sub("_", notice_id)
    if clean == notice_id and len(clean.encode()) <= 200:
        return clean
    return f"{clean[:60]}-{hashlib.sha256(notice_id.encode()).hexdigest()[:10]}"


def partition(year: int | None) -> str:
    return f"{PARTITION}={NULL_PARTITION if year is None else year}"


def table_file(table: str, year: int | None, stem: str) -> str:
    return f"{table}/{partition(year)}/{stem}.parquet"


def with_notice_id(table: pa.Table, notice_id: str, model: type) -> pa.Table:
    """``notice_id`` first; a record field named like the partition key is renamed ``<model>_year``."""
    if PARTITION in table.column_names:
        table = table.rename_columns([f"{model.__name__.lower()}_{PARTITION}" if c == PARTITION else c
                                      for c in table.column_names])
    column = repeated(notice_id, pa.string(), table.num_rows)
    return table.add_column(0, pa.field("notice_id", pa.string(), nullable=False), column)


def document_to_tables(doc, notice_id: str) -> dict[str, pa.Table]:
    """dataset table name → Arrow table with ``notice_id`` first, derived from the models."""
    tables = {}
    for name, emit_name in DATASET_TABLES.items():
        model, exclude, getter = TABLES[emit_name]
        tables[name] = with_notice_id(records_to_table(getter(doc), model, exclude), notice_id, model)
    return tables


def dataset_schema(name: str) -> pa.Schema:
    """The Arrow schema the current contract gives dataset table ``name`` (``notice_id`` first)."""
    model, exclude, _ = TABLES[DATASET_TABLES[name]]
    return with_notice_id(records_to_table([], model, exclude), "", model).schema


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A table written under an older contract, in ``schema``'s columns: a column it lacks is null (that kaoping
    did not record it), one the contract no longer has is left out. Types are the contract's (a column whose
    type changed is cast)."""
    arrays = []
    for f in schema:
        if f.name not in table.column_names:
            arrays.append(pa.nulls(table.num_rows, f.type))
            continue
        column = table.column(f.name).combine_chunks()
        arrays.append(column if column.type.equals(f.type) else column.cast(f.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema([f.with_nullable(True) for f in schema]))


def sources_to_table(sources: list, notice_id: str) -> pa.Table:
    from kaoping.features.dataset.versions import IngestedSource

    return with_notice_id(records_to_table(sources, IngestedSource, {"notice_id"}), notice_id, IngestedSource)


def table_to_parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _partition_year(folder: str) -> int | None:
    value = folder.split("=", 1)[1]
    return None if value == NULL_PARTITION else int(value)


def read_dataset_table(dataset: Path, table: str) -> pa.Table | None:
    """Every notice's file of one table with its ``year`` column, in (year, notice) order; None when empty."""
    files = []
    for folder in (dataset / table).glob(f"{PARTITION}=*"):
        year = _partition_year(folder.name)
        files += [(year is None, year or 0, f.name, f, year) for f in folder.glob("*.parquet")
                  if not f.name.startswith(".")]
    parts = []
    for *_, path, year in sorted(files):
        t = pq.ParquetFile(path).read()  # not pq.read_table: that imports pyarrow.dataset and pandas
        parts.append(t.append_column(pa.field(PARTITION, pa.int64()), repeated(year, pa.int64(), t.num_rows)))
    return pa.concat_tables(parts, promote_options="default") if parts else None  # notices of older contracts too
