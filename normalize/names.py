"""Names and departments: split list cells into entries, using what the same document prints alone.

A list cell ("王建国 张 伟", "财务科办公室") may have lost or gained spaces: a text export splits
names ("张 伟"), a PDF cell one name wide runs names together ("王建国张伟李明"). The entries
printed alone elsewhere in the same column family form a vocabulary; a cell is segmented into
vocabulary entries where it can be, and into its printed tokens elsewhere. A lone character left
over joins the shorter neighbouring unknown piece (a name broken by a wrap).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_SEP = re.compile(r"[\s、，,；;/／]+")
KNOWN_COST, UNKNOWN_COST, OFF_BOUNDARY_COST, EXCESS_CHAR_COST = 1, 10, 2, 3


def _tokens(text: str | None) -> list[str]:
    return [t for t in _SEP.split((text or "").strip()) if t]


def _merge_single_chars(pieces: list[tuple[str, bool]]) -> list[str]:
    """Each unknown one-character piece joins the shorter adjacent unknown piece (the previous on a tie)."""
    pieces = list(pieces)
    i = 0
    while i < len(pieces):
        text, known = pieces[i]
        if known or len(text) != 1:
            i += 1
            continue
        left = i - 1 if i > 0 and not pieces[i - 1][1] else None
        right = i + 1 if i + 1 < len(pieces) and not pieces[i + 1][1] else None
        if left is None and right is None:
            i += 1
            continue
        if right is None or (left is not None and len(pieces[left][0]) <= len(pieces[right][0])):
            pieces[left] = (pieces[left][0] + text, False)  # type: ignore[index]
            del pieces[i]
        else:
            pieces[right] = (text + pieces[right][0], False)
            del pieces[i]
    return [p for p, _ in pieces]


def split_names(text: str | None, vocabulary: frozenset[str] = frozenset()) -> list[str]:
    """'王建国 张 伟' → ['王建国', '张伟']; with 王建国, 张伟, 李明 known: '王建国张伟李明' → all three.

    Cheapest segmentation: a vocabulary entry costs 1; an unknown piece 10, plus 2 for each end
    that is not where the cell printed a space, plus 3 per character beyond the longest entry the
    vocabulary knows; an unknown piece never spans a printed space.
    """
    tokens = _tokens(text)
    if not tokens:
        return []
    s = "".join(tokens)
    bounds = {0}
    for t in tokens:
        bounds.add(max(bounds) + len(t))
    n = len(s)
    longest = max((len(v) for v in vocabulary), default=4)
    best: list[float] = [0.0] + [float("inf")] * n
    back: list[tuple[int, bool]] = [(0, False)] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            piece = s[i:j]
            if piece in vocabulary:
                cost = KNOWN_COST
            elif any(i < b < j for b in bounds):
                continue
            else:
                cost = (UNKNOWN_COST + OFF_BOUNDARY_COST * ((i not in bounds) + (j not in bounds))
                        + EXCESS_CHAR_COST * max(0, len(piece) - longest))
            if best[i] + cost < best[j]:
                best[j], back[j] = best[i] + cost, (i, piece in vocabulary)
    pieces: list[tuple[str, bool]] = []
    j = n
    while j > 0:
        i, known = back[j]
        pieces.append((s[i:j], known))
        j = i
    return _merge_single_chars(pieces[::-1])


def break_after_suffixes(text: str | None, suffixes: Iterable[str], longest: int) -> str:
    """'考核科监督科党建科' → '考核科 监督科 党建科': a department token longer than usual is broken after
    each unit suffix (科, 室, 中心 …) that leaves two pieces of two or more characters."""
    ends = sorted(suffixes, key=len, reverse=True)
    out = []
    for token in _tokens(text):
        if len(token) <= longest:
            out.append(token)
            continue
        start = 0
        for i in range(2, len(token) - 1):
            if i - start >= 2 and any(token[:i].endswith(e) for e in ends):
                out.append(token[start:i])
                start = i
        out.append(token[start:])
    return " ".join(out)


def cells_to_vocabulary(cells: Iterable[str | None]) -> frozenset[str]:
    """Entries a column family prints as whole tokens: seen in two cells, or alone in a cell at the
    usual length, and not made of other entries (so run-together names and wrap fragments stay out)."""
    per_cell = [split_names(cell) for cell in cells]
    tokens = [t for cell in per_cell for t in cell]
    if not tokens:
        return frozenset()
    usual = Counter(len(t) for t in tokens).most_common(1)[0][0]  # runs-together are rarer than entries
    cap = max(4, 2 * usual - 1)
    seen_in = Counter(t for cell in per_cell for t in set(cell))
    alone = {cell[0] for cell in per_cell if len(cell) == 1}
    candidates = {t for t in seen_in if 2 <= len(t) <= cap and (seen_in[t] >= 2 or (t in alone and len(t) <= usual))}

    def made_of_others(token: str) -> bool:
        others = candidates - {token}
        reach = {0}
        for j in range(1, len(token) + 1):
            if any(i in reach and token[i:j] in others for i in range(j)):
                reach.add(j)
        return len(token) in reach

    return frozenset(t for t in candidates if not made_of_others(t))
