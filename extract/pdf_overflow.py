"""Text a cell paints past the page's last rule (a browser's print), or draws clipped away under it (a
spreadsheet's): which bottom cells it goes on with, and boxes sized to their text (extract/pdf.py)."""

from __future__ import annotations

from kaoping.extract.pdf_text import EARLY_END, Char, chars_to_lines, ink_lines, vertical_room
from kaoping.schema.raw import BBox

# font sizes: a line this close to where the cell's next line would start goes on with the cell's text
# (Chromium's overflow line sits at the cell's own pitch to within 0.01 size; 0.3 leaves room for rounding
# in other producers while staying well under the half-line a separate paragraph's spacing adds)
PITCH_TOL = 0.3
SAME_SIZE = 0.15  # the overflow line is in the cell's own font size (as PROSE_SIZE in pdf_borderless)
# font sizes below a table's last rule where its overflow may start: Chromium's first overflow line in the
# fixture prints starts 1.2 sizes under the rule (lines 2 sizes apart); a generous 3 still excludes a footer
OVERFLOW_REACH = 3.0


# a box as tall as its text (its row's tallest cell): room below the last line minus room above the first, in
# font sizes. Chromium's prints leave 0.33-0.35 above and 0.46-0.50 below such a cell (the glyph boxes sit
# high in their line); a merged cell cut by the page left 0.19 below 0.35 above, an item ended early 0.79
SNUG_BELOW = (-0.05, 0.25)


def sized_to_text(lines: list[list[Char]], box: BBox) -> bool:
    """The box is as tall as its text with the padding it keeps above: its row was made that tall by this
    cell, so its text ended with the box and was not cut by it."""
    ink = ink_lines(lines)
    size = max((c[5] for line in ink for c in line), default=0.0)
    if size <= 0:
        return False
    above, below = vertical_room(ink, box)
    return above < EARLY_END * size and SNUG_BELOW[0] * size <= below - above <= SNUG_BELOW[1] * size


def below_table(top: float, bottom: float, size: float) -> bool:
    """A line's top is where a cell's overflow under the table's last rule can start: at most half a size
    above the rule (the glyph's centre is below it: Chromium's next line may begin at 0.4 pt above) and
    within OVERFLOW_REACH sizes under it."""
    return bottom - size / 2 <= top <= bottom + OVERFLOW_REACH * size


def line_pitch(lines: list[list[Char]]) -> float | None:
    """The distance from one line's top to the next in a cell (the median; None for a single line)."""
    tops = sorted(min(c[3] for c in line) for line in lines)
    gaps = sorted(b - a for a, b in zip(tops, tops[1:], strict=False))
    return gaps[len(gaps) // 2] if gaps else None


def overflow_owner(line: list[Char], boxes: list[BBox], cell_lines: list[list[list[Char]]],
                   bottom: float) -> int | None:
    """The cell of a table's bottom row whose text ``line`` goes on with, printed below the table's last rule.

    A browser paints a merged cell's text past the page's last row when the cell goes on over the break (the
    cell's rules stop with the row; its text does not). Such a line lies inside one column, right under the
    table, in the cell's font size, exactly where the cell's next line would be (its own line pitch); a page
    number or a paragraph after the table does not keep that rhythm. The caller passes only cells whose
    bottom was open (a rule put back), so a closed cell's table never takes the text under it, and only
    lines within reach of the rule or of the overflow line it took last (:func:`below_table`)."""
    x0, x1, top = min(c[1] for c in line), max(c[2] for c in line), min(c[3] for c in line)
    size = max(c[5] for c in line)
    for i, box in enumerate(boxes):
        lines = cell_lines[i]
        if abs(box[3] - bottom) > size or not (box[0] <= x0 and x1 <= box[2]) or len(lines) < 2:
            continue
        if abs(max(c[5] for c in lines[-1]) - size) > SAME_SIZE * size:
            continue  # another size: a heading or a note under the table, not the cell's next line
        pitch = line_pitch(lines)
        last = max(min(c[3] for c in ln) for ln in lines)
        if pitch is not None and abs(top - last - pitch) <= PITCH_TOL * size:
            return i
    return None


def line_by_columns(line: list[Char], boxes: list[BBox], bottom: float) -> list[list[Char]] | None:
    """``line`` cut into the parts lying under each open bottom cell of a table, left to right; None when a
    glyph lies under none (a closed cell's column, or past the table: a paragraph, not an overflow). A
    browser paints every cut cell's overflow on one baseline, so one line may hold several cells' text."""
    parts: dict[int, list[Char]] = {}
    for ch in line:
        cx = (ch[1] + ch[2]) / 2
        at = next((i for i, b in enumerate(boxes) if b[0] <= cx <= b[2] and abs(b[3] - bottom) <= ch[5]), None)
        if at is None:
            return None
        parts.setdefault(at, []).append(ch)
    return [parts[i] for i in sorted(parts, key=lambda i: boxes[i][0])]


def hidden_overflow(tables: list[tuple[list[BBox], float]], hidden: list[Char]) -> list[set[int]]:
    """Per table, the open bottom cells whose text goes on hidden under it: a glyph drawn but clipped away
    (pdf_objects) within reach of the table's last rule, in the cell's column. A spreadsheet draws a merged
    cell on every page it covers and clips it to the page's part; text drawn on under the page's table is the
    cell's rest, read on the next page — the cell was cut by the break, whatever its visible part ends with."""
    out: list[set[int]] = []
    for boxes, bottom in tables:
        cut = set()
        for ch in hidden:
            if below_table(ch[3], bottom, ch[5]):
                cx = (ch[1] + ch[2]) / 2
                cut.update(i for i, b in enumerate(boxes) if b[0] <= cx <= b[2] and abs(b[3] - bottom) <= ch[5])
        out.append(cut)
    return out


def absorb_overflow(tables: list[tuple[list[BBox], float]], cell_chars: list[list[list[Char]]],
                    free: list[Char]) -> tuple[list[Char], list[set[int]]]:
    """Lines printed under a table (its cell boxes, its bottom) that go on with its bottom cells
    (:func:`overflow_owner`, per cell under which part of the line lies) join those cells' glyphs —
    ``cell_chars`` is extended in place (the reader's own working lists, built for this page). Returns the
    glyphs left and, per table, the cells that took a line: their text went on past the page. A line joins
    only when every part of it finds its cell; an overflow of several lines is followed line by line (each
    within reach of the last taken). Cells are split into lines only for a table with a free line right
    under it (most pages have none)."""
    taken: list[set[int]] = [set() for _ in tables]
    left: list[Char] = []
    cell_lines: dict[int, list[list[list[Char]]]] = {}
    reached = [bottom for _, bottom in tables]  # the table's rule, then its last overflow line taken
    for line in chars_to_lines(free):
        top, size = min(c[3] for c in line), max(c[5] for c in line)
        for ti, (boxes, bottom) in enumerate(tables):
            if not below_table(top, reached[ti], size):  # a long overflow goes on line after line
                continue
            if (parts := line_by_columns(line, boxes, bottom)) is None:
                continue
            lines = cell_lines.setdefault(ti, [chars_to_lines(chs) for chs in cell_chars[ti]])
            owners = [overflow_owner(part, boxes, lines, bottom) for part in parts]
            if None in owners or len(set(owners)) < len(owners):
                continue
            for owner, part in zip(owners, parts, strict=True):
                cell_chars[ti][owner].extend(part)
                lines[owner] = chars_to_lines(cell_chars[ti][owner])
                taken[ti].add(owner)
            reached[ti] = max(reached[ti], top)
            break
        else:
            left.extend(line)
    return left, taken
