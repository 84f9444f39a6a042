"""Table fragments of consecutive pages stitched into one table: which fragment goes on with the one above,
its cells put on one column grid, and the header rows every later page repeats."""

from __future__ import annotations

from bisect import bisect_right
from typing import Protocol

from kaoping.schema.raw import RawCell

EXTENT_TOL = 6.0  # points: fragments whose left/right edges differ less continue one table


class GridFragment(Protocol):
    """One page's table as found (:class:`kaoping.extract.pdf.Fragment`)."""

    page: int
    xs: list[float]
    cells: list[RawCell]


def nearest(bounds: list[float], v: float) -> int:
    i = bisect_right(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


def unmatched(xs: list[float], ref: list[float]) -> int:
    """How many column boundaries of ``xs`` none of ``ref``'s lies near."""
    return sum(not any(abs(x - r) <= EXTENT_TOL for r in ref) for x in xs)


def continues(prev: GridFragment, frag: GridFragment) -> bool:
    """The fragment on the next page goes on with the same table: same outer edges and columns that line up —
    one grid within the other (a page whose rows merge columns has fewer boundaries), or one boundary each
    page lacks (a faint rule a scan lost). A second table of the same width with its own columns, starting at
    a page top with its own header, stays a table of its own."""
    same_edges = abs(frag.xs[0] - prev.xs[0]) <= EXTENT_TOL and abs(frag.xs[-1] - prev.xs[-1]) <= EXTENT_TOL
    if frag.page != prev.page + 1 or not same_edges:
        return False
    extra, missing = unmatched(frag.xs, prev.xs), unmatched(prev.xs, frag.xs)
    return extra == 0 or missing == 0 or extra + missing <= 2


def remap_columns(frag: GridFragment, ref: list[float]) -> list[RawCell]:
    """Put a fragment's cells on the reference column grid (by index if counts agree, else nearest)."""
    if len(frag.xs) == len(ref):
        return frag.cells
    out = []
    for cell in frag.cells:
        col = nearest(ref, frag.xs[cell.col])
        end = nearest(ref, frag.xs[cell.col + cell.colspan])
        out.append(cell.model_copy(update={"col": col, "colspan": max(1, end - col)}))
    return out


def row_signature(cells: list[RawCell], row: int) -> tuple:
    return tuple(sorted((c.col, c.colspan, c.rowspan, c.text) for c in cells if c.row == row))


def repeats_row(sig: tuple, ref: tuple) -> bool:
    """A later fragment's row repeats the first fragment's: the same cells, each text the same or cut
    short (a header label whose last glyphs the renderer pushed into the row below)."""
    return (len(sig) == len(ref) and any(t for *_, t in sig)
            and all(a[:3] == b[:3] and b[3].startswith(a[3]) and (a[3] or not b[3]) for a, b in zip(sig, ref, strict=True)))


def repeated_header_rows(frags: list[list[RawCell]], n_rows: list[int]) -> int:
    """How many leading rows every later fragment repeats from the first (0 if none)."""
    if len(frags) < 2:
        return 0
    counts = []
    for cells, n in zip(frags[1:], n_rows[1:], strict=True):
        k = 0
        while k < min(n - 1, n_rows[0] - 1) and repeats_row(row_signature(cells, k), row_signature(frags[0], k)):
            k += 1
        counts.append(k)
    return min(counts)


def restore_cut_labels(ref: list[RawCell], cells: list[RawCell], n_head: int) -> None:
    """A repeated header label cut short gets its text back, and the glyphs it lost come off the front
    of the first body cell below it (where the renderer printed them)."""
    full = {(c.row, c.col): c.text for c in ref if c.row < n_head}
    for cell in cells:
        lost = full.get((cell.row, cell.col), cell.text)[len(cell.text):] if cell.row < n_head else ""
        if not lost:
            continue
        below = next((c for c in cells if c.row == n_head and c.col == cell.col and c.text.startswith(lost)), None)
        if below is not None:
            below.text = below.text[len(lost):]
        cell.text += lost
