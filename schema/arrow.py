"""Derive Arrow schemas from the pydantic models, so Parquet tables never restate the contract."""

from __future__ import annotations

import array
import datetime as dt
import functools
import io
import json
import types
import typing
from typing import Any, Literal

import pyarrow as pa
import pyarrow.json as pa_json
from pydantic import BaseModel

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
}


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def type_to_arrow(tp: Any) -> pa.DataType:
    """Map one Python annotation to an Arrow type."""
    tp, _ = _unwrap_optional(tp)
    origin = typing.get_origin(tp)
    if tp in _SCALARS:
        return _SCALARS[tp]
    if origin is Literal:
        values = typing.get_args(tp)
        return _SCALARS[type(values[0])]
    if origin in (list, tuple):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        inner = type_to_arrow(args[0])
        if origin is tuple and len(args) > 1:
            return pa.list_(inner, len(args))
        return pa.list_(inner)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return pa.struct(model_fields_to_arrow(tp))
    raise TypeError(f"no Arrow type for {tp!r}")


def model_fields_to_arrow(model: type[BaseModel], exclude: set[str] | frozenset[str] = frozenset()) -> list[pa.Field]:
    fields = []
    for name, info in model.model_fields.items():
        if name in exclude:
            continue
        _, optional = _unwrap_optional(info.annotation)
        fields.append(pa.field(name, type_to_arrow(info.annotation), nullable=optional or not info.is_required()))
    return fields


def model_to_arrow_schema(model: type[BaseModel], exclude: set[str] | frozenset[str] = frozenset()) -> pa.Schema:
    """The Arrow schema of a Parquet table whose rows are ``model`` records."""
    return _schema(model, frozenset(exclude))


@functools.cache
def _schema(model: type[BaseModel], exclude: frozenset[str]) -> pa.Schema:  # derived once per model (~0.1 ms)
    return pa.schema(model_fields_to_arrow(model, exclude))


_EPOCH = dt.date(1970, 1, 1)


def _to_arrow_json(value: Any, typ: pa.DataType) -> Any:
    """A model_dump value as Arrow's JSON reader wants it for ``typ`` (date32 → days since epoch)."""
    if value is None:
        return None
    if pa.types.is_date32(typ):
        return (value - _EPOCH).days
    if pa.types.is_struct(typ):
        return {f.name: _to_arrow_json(value.get(f.name), f.type) for f in typ}
    if pa.types.is_list(typ) or pa.types.is_fixed_size_list(typ):
        return [_to_arrow_json(v, typ.value_type) for v in value]
    return value


#: Arrow's JSON reader default block size; a bigger payload gets one block as large as itself
_JSON_BLOCK = 1 << 20
#: Arrow's block size is an int32
_MAX_JSON_BLOCK = (1 << 31) - 1


def records_to_table(
    records: list[BaseModel], model: type[BaseModel], exclude: set[str] | frozenset[str] = frozenset()
) -> pa.Table:
    """Build an Arrow table with the derived schema (works for zero records too).

    Rows go through Arrow's JSON reader rather than ``Table.from_pylist`` or ``pa.array``: those import
    pandas (~0.2 s) just to ask whether the values are pandas objects, which they never are here. The
    reader splits its input into blocks and refuses a row that straddles two (``ArrowInvalid: straddling
    object``), so the block is sized from the data: the whole payload is one block, whatever one row holds.
    The reader makes every nested field nullable; :func:`retype` relabels the columns with the derived
    schema's nullability without copying data (``Table.cast`` would import pyarrow.compute, ~0.15 s).
    """
    schema = model_to_arrow_schema(model, exclude)
    if not records:
        return pa.Table.from_batches([], schema=schema)
    lines = []
    for r in records:
        row = r.model_dump(mode="python", exclude=set(exclude))
        lines.append(json.dumps({f.name: _to_arrow_json(row.get(f.name), f.type) for f in schema}, ensure_ascii=False))
    payload = "\n".join(lines).encode("utf-8")
    if len(payload) >= _MAX_JSON_BLOCK:
        raise ValueError(f"{model.__name__} rows take {len(payload)} bytes as JSON; Arrow reads at most 2 GB")
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    # one block, so Arrow's thread pool has nothing to split: without it an ingest worker does not wake
    # helper threads that compete with the other worker for the machine's cores
    read = pa_json.ReadOptions(block_size=max(_JSON_BLOCK, len(payload) + 1), use_threads=False)
    table = pa_json.read_json(io.BytesIO(payload), read_options=read, parse_options=options).combine_chunks()
    return pa.Table.from_arrays([retype(col.chunk(0), f.type) for col, f in zip(table.columns, schema, strict=True)],
                                schema=schema)


def repeated(value: str | int | None, typ: pa.DataType, n: int) -> pa.Array:
    """``n`` copies of one string or int64 (or null), built from buffers.

    ``pa.array`` and ``pa.repeat`` first ask whether the value is a pandas object, which imports pandas
    (0.2 s): an ingest worker adding its notice id to every table would pay that for nothing."""
    if value is None:
        return pa.nulls(n, typ)
    if pa.types.is_string(typ):
        data = str(value).encode("utf-8")
        offsets = array.array("i", range(0, (n + 1) * len(data), len(data))) if data else array.array("i", [0] * (n + 1))
        return pa.Array.from_buffers(typ, n, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data * n)])
    if pa.types.is_int64(typ):
        return pa.Array.from_buffers(typ, n, [None, pa.py_buffer(array.array("q", [int(value)] * n).tobytes())])
    raise TypeError(f"repeated: no buffer layout for {typ}")


def retype(arr: pa.Array, typ: pa.DataType) -> pa.Array:
    """The same buffers under ``typ``, a type that differs from ``arr.type`` only in nested nullability.

    Only for arrays fresh from the JSON reader (offset 0, one chunk); a struct's or list's own buffers are
    kept and each child is relabelled in turn.
    """
    if arr.type.equals(typ):
        return arr
    if pa.types.is_struct(typ):
        children = [retype(arr.field(i), typ.field(i).type) for i in range(typ.num_fields)]
        own = arr.buffers()[:1]
    elif pa.types.is_list(typ):
        children = [retype(arr.values, typ.value_type)]
        own = arr.buffers()[:2]
    elif pa.types.is_fixed_size_list(typ):
        children = [retype(arr.values, typ.value_type)]
        own = arr.buffers()[:1]
    else:
        raise TypeError(f"cannot relabel {arr.type} as {typ}")
    return pa.Array.from_buffers(typ, len(arr), own, arr.null_count, arr.offset, children=children)
