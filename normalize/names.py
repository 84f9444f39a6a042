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
from functools import lru_cache

from kaoping.normalize.settings import TUNABLES

_SEP = re.compile(r"[\s、，,；;/／]+")
# the tunables and where their values came from: normalize/settings.py
KNOWN_COST, UNKNOWN_COST = TUNABLES.known_cost, TUNABLES.unknown_cost
OFF_BOUNDARY_COST, EXCESS_CHAR_COST = TUNABLES.off_boundary_cost, TUNABLES.excess_char_cost
MAX_ENTRY_CHARS = TUNABLES.max_entry_chars
MIN_ENTRY_CHARS = TUNABLES.min_entry_chars


def _tokens(text: str | None) -> list[str]:
    return [t for t in _SEP.split((text or "").strip()) if t]


def _merge_single_chars(pieces: list[tuple[str, bool]]) -> list[str]:
    """Each unknown one-character piece joins the shorter adjacent unknown piece (the previous on a tie).

    One pass with an output stack: a piece joins the last output piece or is carried into the next one,
    so the work is linear in the number of pieces.
    """
    out: list[tuple[str, bool]] = []
    carry = ""  # a single character waiting to be prefixed to the next piece
    for k, (text, known) in enumerate(pieces):
        if carry:
            text, carry = carry + text, ""
        if known or len(text) != 1:
            out.append((text, known))
            continue
        left = len(out[-1][0]) if out and not out[-1][1] else None
        nxt = pieces[k + 1] if k + 1 < len(pieces) else None
        right = len(nxt[0]) if nxt is not None and not nxt[1] else None
        if left is None and right is None:
            out.append((text, known))
        elif right is None or (left is not None and left <= right):
            out[-1] = (out[-1][0] + text, False)
        else:
            carry = text
    return [p for p, _ in out]


@lru_cache(maxsize=16)
def _entry_lengths(vocabulary: frozenset[str]) -> tuple[tuple[int, ...], int]:
    """Distinct entry lengths (longest first) and the longest entry: computed once per vocabulary."""
    lengths = sorted({len(v) for v in vocabulary if len(v) <= MAX_ENTRY_CHARS}, reverse=True)
    return tuple(lengths), (lengths[0] if lengths else 4)


def _segment(s: str, bounds: set[int], vocabulary: frozenset[str]) -> list[tuple[str, bool]]:
    """The cheapest segmentation of ``s`` (costs in :func:`split_names`), linear in ``len(s)``.

    For each end j: a vocabulary entry ending at j (one look-up per entry length); an unknown piece
    starting at the token start; an unknown piece starting inside the token within ``longest`` of j
    (a window of bounded width); and a longer one, whose excess cost is linear in its start, so the best
    of those is a running minimum of ``best[i] - EXCESS_CHAR_COST * i`` over the token so far.
    Ties go to the piece starting latest, as a right-to-left scan with strict improvement would.
    """
    lengths, longest = _entry_lengths(vocabulary)
    n = len(s)
    inf = float("inf")
    best: list[float] = [0.0] + [inf] * n
    back: list[tuple[int, bool]] = [(0, False)] * (n + 1)
    start = 0  # the token the current position is in starts here
    far_min, far_at = inf, -1  # min of best[i] - EXCESS*i over start < i < j - longest
    for j in range(1, n + 1):
        if j - 1 in bounds:
            start, far_min, far_at = j - 1, inf, -1
        candidates: list[tuple[float, int, bool]] = []
        for length in lengths:
            i = j - length
            if i >= 0 and s[i:j] in vocabulary:
                candidates.append((best[i] + KNOWN_COST, i, True))
        end_cost = OFF_BOUNDARY_COST * (j not in bounds)
        candidates.append((best[start] + UNKNOWN_COST + end_cost + EXCESS_CHAR_COST * max(0, j - start - longest),
                           start, False))
        for i in range(max(start + 1, j - longest), j):
            candidates.append((best[i] + UNKNOWN_COST + OFF_BOUNDARY_COST + end_cost, i, False))
        newly = j - longest - 1  # now more than ``longest`` before j: leaves the window for the running minimum
        if newly > start and best[newly] - EXCESS_CHAR_COST * newly <= far_min:
            far_min, far_at = best[newly] - EXCESS_CHAR_COST * newly, newly
        if far_at >= 0:
            candidates.append((far_min + EXCESS_CHAR_COST * (j - longest) + UNKNOWN_COST + OFF_BOUNDARY_COST
                               + end_cost, far_at, False))
        cost, i, known = min(candidates, key=lambda c: (c[0], -c[1], not c[2]))
        best[j], back[j] = cost, (i, known)
    pieces: list[tuple[str, bool]] = []
    j = n
    while j > 0:
        i, known = back[j]
        pieces.append((s[i:j], known))
        j = i
    return pieces[::-1]


def split_names(text: str | None, vocabulary: frozenset[str] = frozenset()) -> list[str]:
    """'王建国 张 伟' → ['王建国', '张伟']; with 王建国, 张伟, 李明 known: '王建国张伟李明' → all three.

    Cheapest segmentation: a vocabulary entry costs 1; an unknown piece 10, plus 2 for each end
    that is not where the cell printed a space, plus 3 per character beyond the longest entry the
    vocabulary knows; an unknown piece never spans a printed space. A word the notice prints whole
    is in the vocabulary itself (see :func:`cells_to_vocabulary`), so it costs 1 and stays whole.
    """
    tokens = _tokens(text)
    if not tokens:
        return []
    bounds = {0}
    end = 0
    for t in tokens:
        end += len(t)
        bounds.add(end)
    return _merge_single_chars(_segment("".join(tokens), bounds, vocabulary))


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
            if i - start >= 2 and any(token.endswith(e, 0, i) for e in ends):
                out.append(token[start:i])
                start = i
        out.append(token[start:])
    return " ".join(out)


def _reach(token: str, entries: frozenset[str] | set[str], start: int = 0) -> set[int]:
    """Positions of ``token`` that other entries, one after another from ``start``, end at (with ``start``);
    bounded: entries are short."""
    reach = {start}
    for j in range(start + 1, len(token) + 1):
        if any(i in reach and token[i:j] != token and token[i:j] in entries
               for i in range(max(start, j - MAX_ENTRY_CHARS), j)):
            reach.add(j)
    return reach


def _made_of(token: str, entries: frozenset[str] | set[str]) -> bool:
    """``token`` is a concatenation of two or more other entries."""
    return len(token) in _reach(token, entries)


def _broken_ends(entries: set[str]) -> tuple[set[str], set[str]]:
    """(heads, tails): the proper starts and ends of the entries, where a wrap can break a name."""
    return ({e[:k] for e in entries for k in range(1, len(e))}, {e[k:] for e in entries for k in range(1, len(e))})


def _wrapped_run(token: str, entries: set[str], heads: set[str], tails: set[str]) -> bool:
    """``token`` is whole entries with a piece of one at an end: the end of an entry, entries, the start of
    an entry (苏颖慧黄华 = 苏颖慧 + 黄华·明; 明陈建新 = 黄华·明 + 陈建新) — names a narrow column ran together and
    then broke inside a name. At least one whole entry and one broken end (``heads``/``tails``:
    :func:`_broken_ends` of the entries)."""
    for a in range(len(token)):  # a broken tail token[:a] (or none), then entries to b, then a head token[b:]
        if a and token[:a] not in tails:
            continue
        ends = _reach(token, entries, a)
        if any(b > a and (b < len(token) or a) and (b == len(token) or token[b:] in heads) for b in ends):
            return True
    return False


def _parts(token: str, entries: frozenset[str] | set[str]) -> list[str]:
    """One way to write ``token`` as two or more other entries, fewest parts first; [] when there is none."""
    best: dict[int, list[str]] = {0: []}
    for j in range(1, len(token) + 1):
        options = [best[i] + [token[i:j]] for i in range(max(0, j - MAX_ENTRY_CHARS), j)
                   if i in best and token[i:j] != token and token[i:j] in entries]
        if options:
            best[j] = min(options, key=len)
    return best.get(len(token), [])


def _printed_as_word(token: str, candidates: set[str], seen_in: Counter[str]) -> bool:
    """A separated token made of other entries is a word (机关支部 beside 党建科) unless its parts are each
    printed more often than it: names a narrow column ran together once (吴敏何静 beside 朱琳, where 吴敏 and
    何静 are printed apart on dozens of rows) are those names, not a new one."""
    parts = _parts(token, candidates)
    return not parts or seen_in[token] >= min(seen_in[p] for p in parts)


def _straddles(tokens: list[str], firm: frozenset[str] | set[str]) -> bool:
    """An entry printed whole elsewhere runs across a separator of ``tokens``: the separator is a wrap or a
    page break inside that entry (苏颖 / 慧李响 where 苏颖慧 is printed whole on other rows), not 'next entry'."""
    joined = "".join(tokens)
    cuts, at = set(), 0
    for t in tokens[:-1]:
        at += len(t)
        cuts.add(at)
    for entry in firm:
        i = joined.find(entry)
        while i >= 0:
            if any(i < c < i + len(entry) for c in cuts):
                return True
            i = joined.find(entry, i + 1)
    return False


def separated_words(cells: Iterable[str | None], firm: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """Tokens of cells that print two or more entries, every one at least two characters long: there the
    separators mean 'next entry', not a wrap or an export's stray space (机关支\n部 党 建科 is fragments) —
    unless one of the ``firm`` entries runs across a separator (:func:`_straddles`)."""
    words: set[str] = set()
    for cell in cells:
        printed = _tokens(cell)
        if len(printed) >= 2 and all(len(t) >= MIN_ENTRY_CHARS for t in printed) and not _straddles(printed, firm):
            words.update(printed)
    return words


def cells_to_vocabulary(cells: Iterable[str | None], compounds: bool = True) -> frozenset[str]:
    """Entries a column family prints as whole tokens: seen in two cells, or beside other tokens in a
    cell that separates its entries (see :func:`separated_words`), or alone in a cell at the usual length.

    A token made of other entries is names run together (a narrow PDF column repeats the same run on
    several rows) and stays out, unless the notice prints it as a word among separated words
    (机关支部 beside 党建科): then it is a word, even when its parts (机关, 支部) are printed alone elsewhere —
    for units only (``compounds``): a person's name is never two other people's names run together, however
    often a narrow column prints them so (陈建新李昀 on ten rows of a browser print). No entry, of people or units,
    is longer than a usual entry and whole entries with one broken by a wrap at an end (苏颖慧黄华, 明陈建新;
    办公室资: :func:`_wrapped_run`).
    """
    cells = list(cells)
    per_cell = [split_names(cell) for cell in cells]
    tokens = [t for cell in per_cell for t in cell]
    if not tokens:
        return frozenset()
    usual = Counter(len(t) for t in tokens).most_common(1)[0][0]  # runs-together are rarer than entries
    cap = min(MAX_ENTRY_CHARS, max(4, 2 * usual - 1))
    seen_in = Counter(t for cell in per_cell for t in set(cell))
    firm = {t for t in seen_in if MIN_ENTRY_CHARS <= len(t) <= cap and seen_in[t] >= 2}
    words = separated_words(cells, firm)
    alone = {cell[0] for cell in per_cell if len(cell) == 1}
    candidates = {t for t in seen_in if MIN_ENTRY_CHARS <= len(t) <= cap
                  and (seen_in[t] >= 2 or t in words or (t in alone and len(t) <= usual))}
    # entries run together and broken inside an entry by a wrap, longer than a usual entry (苏颖慧黄华; 办公室资 of
    # a 4-wide 责任单位 column): never an entry, of people or units — a word of units is whole entries (机关支部)
    heads, tails = _broken_ends({t for t in candidates if len(t) <= usual})
    candidates -= {t for t in candidates if len(t) > usual and _wrapped_run(t, candidates, heads, tails)}
    return frozenset(t for t in candidates if not _made_of(t, candidates)
                     or (compounds and t in words and _printed_as_word(t, candidates, seen_in)))
