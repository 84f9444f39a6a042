"""Rejoin the lines of a paragraph that a PDF printed on several lines (general layout rules), and a
paragraph that a page or line end cut inside a word (…政府系列和部 / 分省部属… → …政府系列和部分省部属…)."""

from __future__ import annotations

import re
from statistics import median

from kaoping.normalize.textfold import fold_text, is_cjk
from kaoping.schema.raw import RawParagraph

#: a line starting like this opens a new paragraph whatever the layout says
_OPENERS = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、]|附件|抄送|印发)")


#: a paragraph ending in one of these ended a sentence, a clause or a heading: the next one is new
_FINISHED = "。；：！？…”’）)》〕】」』.;:!?"
#: brackets left open mean the sentence goes on (a title in 《》 cut at the page end)
_OPEN_CLOSE = (("《", "》"), ("（", "）"), ("(", ")"), ("〔", "〕"), ("“", "”"))


def _cut_mid_sentence(prev: str, nxt: str) -> bool:
    """``prev`` stops inside a sentence and ``nxt`` carries it on: prev ends in a character (not a
    punctuation mark) and is prose (a clause comma) or leaves a bracket open; nxt opens no new item.
    Titles, signatures and dates have neither comma nor open bracket, so they stay apart."""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if not prev or not nxt or prev[-1] in _FINISHED or _OPENERS.match(nxt):
        return False
    if not (is_cjk(prev[-1]) or prev[-1].isdigit()) or not (is_cjk(nxt[0]) or nxt[0].isdigit()):
        return False
    left_open = any(prev.count(a) > prev.count(b) for a, b in _OPEN_CLOSE)
    return left_open or "，" in prev


def join_cut_paragraphs(texts: list[str]) -> list[str]:
    """Folded paragraphs with those cut inside a sentence joined to the next (no space: a CJK word)."""
    out: list[str] = []
    for text in texts:
        if out and _cut_mid_sentence(out[-1], text):
            out[-1] = fold_text(out[-1] + text.lstrip())
        else:
            out.append(text)
    return out


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
    """Folded paragraph texts with wrapped lines joined (by their boxes, where the reader gives them) and
    paragraphs cut inside a sentence at a page or line end rejoined."""
    boxed = [p.bbox for p in paragraphs if p.bbox is not None]
    if not boxed:
        return join_cut_paragraphs([fold_text(p.text) for p in paragraphs])
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
    return join_cut_paragraphs(out)
