"""Rejoin the lines of a paragraph that a PDF printed on several lines (general layout rules)."""

from __future__ import annotations

import re
from statistics import median

from kaoping.normalize.textfold import fold_text
from kaoping.schema.raw import RawParagraph

#: a line starting like this opens a new paragraph whatever the layout says
_OPENERS = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、]|附件|抄送|印发)")


def _continues(prev: RawParagraph, nxt: RawParagraph, right: float, size: float, last_on_page: bool) -> bool:
    """``nxt`` carries on ``prev``: prev ran to the right margin, nxt starts where prev started and
    follows at line spacing (same page) or at the top of the next page."""
    if prev.bbox is None or nxt.bbox is None or _OPENERS.match(nxt.text):
        return False
    px0, _, px1, pbottom = prev.bbox
    nx0, ntop, _, _ = nxt.bbox
    if px1 < right - 1.5 * size or abs(nx0 - px0) > size:
        return False
    if nxt.page == prev.page:
        return 0 <= ntop - pbottom <= 0.9 * size
    return prev.page is not None and nxt.page == prev.page + 1 and last_on_page


def join_wrapped_paragraphs(paragraphs: list[RawParagraph]) -> list[str]:
    """Folded paragraph texts with wrapped lines joined; input without boxes passes through."""
    boxed = [p.bbox for p in paragraphs if p.bbox is not None]
    if not boxed:
        return [fold_text(p.text) for p in paragraphs]
    right = max(b[2] for b in boxed)
    size = median(b[3] - b[1] for b in boxed)
    out: list[str] = []
    for i, p in enumerate(paragraphs):
        prev = paragraphs[i - 1] if i else None
        last_on_page = prev is not None and p.page != prev.page
        if out and prev is not None and _continues(prev, p, right, size, last_on_page):
            out[-1] = fold_text(f"{out[-1]} {p.text}")
        else:
            out.append(fold_text(p.text))
    return out
