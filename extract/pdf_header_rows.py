"""The header rows of a borderless table (extract/pdf_borderless.py): its labels placed in the columns the
body's gutters found, then cells spanning by blank runs, as a ruled header's merged cells would.

A label set top-aligned begins its header row; a parent's label spans its children's columns (the blanks
after it in its row); a label set at the foot of a two-column cell (项目 over the category and group columns,
a spreadsheet's default alignment) spans the columns no header cell labels.
"""

from __future__ import annotations

from kaoping.extract.pdf_band import centred_header_matrix
from kaoping.extract.pdf_lines import Line, column_of, ends_label
from kaoping.schema.raw import RawCell
from kaoping.schema.vocabulary import header_role, level_roles

ADJACENT_LINES = 2.0  # font sizes: lines of one wrapped label follow at most this far apart (~1.4)


def header_labels(block: list[Line], bounds: list[float]) -> list[tuple[int, int, str]]:
    """Header lines -> labels (first line, column, text). A label goes to the column holding its
    centre (a label may run over a narrow column's gutter); the piece printed just below it in that
    column goes on with it (a label wrapped over several lines, glyph by glyph in a narrow column),
    unless the label is already a whole header word and the piece begins another (a parent label over
    its child: 目标内容 over 序号), and the two do not begin a longer header word together."""
    labels: list[list] = []  # [first line, column, text, top of its last line]
    open_in: dict[int, list] = {}
    for k, line in enumerate(block):
        pieces: dict[int, str] = {}
        for run in line.labels:
            c = column_of(bounds, (run.x0 + run.x1) / 2)
            pieces[c] = pieces.get(c, "") + run.text
        for c, text in pieces.items():
            label = open_in.get(c)
            near = label is not None and 0 < line.top - label[3] < ADJACENT_LINES * line.size
            new = (label is None or not near
                   or ends_label(label[2], text))
            if new:
                label = [k, c, text, line.top]
                labels.append(label)
                open_in[c] = label
            else:
                label[2] += text
                label[3] = line.top
    return [(k, c, text) for k, c, text, _ in labels]


def header_matrix(block: list[Line], bounds: list[float]) -> list[list[str]]:
    """Header lines -> header rows of column texts: a header row begins at each line where a label
    begins (cells are set top-aligned), and each label fills its first row's slot."""
    labels = header_labels(block, bounds)
    firsts = sorted({k for k, _, _ in labels})
    rows = [[""] * (len(bounds) - 1) for _ in firsts]
    for k, c, text in labels:
        rows[firsts.index(k)][c] += text
    return rows


def header_to_cells(matrix: list[list[str]], first_row: int, page: int) -> list[RawCell]:
    """Header texts -> cells spanning by blank runs: right over blanks in their row (in the lowest row,
    whose labels are the leaves, only over columns no header cell covers: a label merged over two columns
    and set in the lower row, as a header set at its cells' foot prints 项目), down over rows blank in every
    column they cover."""
    out: list[RawCell] = []
    n_rows, n_cols = len(matrix), len(matrix[0]) if matrix else 0
    covered: set[int] = set()  # columns a cell of an upper row covers
    for r, texts in enumerate(matrix):
        lowest = r == n_rows - 1
        for c, text in enumerate(texts):
            if not text:
                continue
            span = 1
            while c + span < n_cols and not texts[c + span] and (not lowest or unlabelled(matrix, covered, c + span)):
                span += 1
            down = 1
            while r + down < n_rows and not any(matrix[r + down][c:c + span]):
                down += 1
            out.append(RawCell(row=first_row + r, col=c, colspan=span, rowspan=down, text=text, page=page))
            covered.update(range(c, c + span))
    return out


def unlabelled(matrix: list[list[str]], covered: set[int], c: int) -> bool:
    return c not in covered and not any(row[c] for row in matrix)


def label_role(text: str) -> str | None:
    """The field of a header label, or of its longest beginning the vocabulary knows: the first body line of a
    table set at its cells' foot holds short pieces that the header may have taken (文件依据 + 省政府工)."""
    return next((role for n in range(len(text), 1, -1) if (role := header_role(text[:n]))), None)


def column_roles(header: list[Line], centred: bool, bounds: list[float]) -> list[str | None]:
    """Each column's field by the lowest header label over it that the vocabulary knows (None: no such label);
    ``centred``: the header is a centred band (pdf_band)."""
    matrix = (centred_header_matrix if centred else header_matrix)(header, bounds)
    roles: list[str | None] = [None] * (len(bounds) - 1)
    labels: list[str | None] = [None] * (len(bounds) - 1)
    for cell in sorted(header_to_cells(matrix, 0, 0), key=lambda c: c.row):
        role = label_role(cell.text)
        for c in range(cell.col, cell.col + cell.colspan):
            roles[c], labels[c] = (role, cell.text) if role else (roles[c], labels[c])
    return level_roles(labels, roles)
