"""Names and departments: split on spaces and separators, rejoin single-character fragments."""

from __future__ import annotations

import re

_SEP = re.compile(r"[\s、，,；;/／]+")


def split_names(text: str | None) -> list[str]:
    """'王建国 张 伟' → ['王建国', '张伟']; '李 明' → ['李明']; '陈志 强' → ['陈志强'].

    A run of single characters is one name; an isolated single character joins the shorter
    neighbour (a name broken by a line or page wrap).
    """
    tokens = [t for t in _SEP.split((text or "").strip()) if t]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if len(tok) == 1:
            run = [tok]
            while i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
                i += 1
                run.append(tokens[i])
            if len(run) > 1:
                out.append("".join(run))
            else:
                prev_ok = bool(out) and len(out[-1]) <= 2
                next_ok = i + 1 < len(tokens) and len(tokens[i + 1]) <= 2
                if prev_ok:
                    out[-1] += tok
                elif next_ok:
                    i += 1
                    out.append(tok + tokens[i])
                else:
                    out.append(tok)
        else:
            out.append(tok)
        i += 1
    return out
