"""The tunables of the normalise rules, in one validated, frozen settings object (pdfplumber's
TableSettings pattern). Each value says where it came from; change one here, never inside a rule.

Input-size limits (pages, cells, characters …) are a different thing and live in ``kaoping.schema.limits``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tunables:
    # ---------------------------------------------------------------- citations (属… notes → references)
    #: a note part resolved against the documents its row's 文件依据 cites needs this strength: set by hand in
    #: round 1 on the 2022 sample's notes; a looser bar than below because the candidates are already the
    #: row's own documents. tests/test_citations.py pins the behaviour at these values
    strong_in_context: float = 0.5
    #: against the rest of the notice's documents a match must be much stronger (set with the value above)
    strong_anywhere: float = 0.8
    #: a match by elimination stays below this confidence, so it is always reported as weak
    weak_ceiling: float = 0.59
    #: two candidates closer than this are a tie (resolved by jieba words, else reported ambiguous)
    tie: float = 0.05
    #: an alias is a document's short name (三提三效, 《政府工作报告》): a few dozen characters; past this it is
    #: prose and the character comparisons and jieba are skipped (keeps a hostile note linear)
    max_alias_chars: int = 300

    # ---------------------------------------------------------------- names (splitting a 责任 cell)
    #: costs of the segmentation programme: a vocabulary word, an unknown piece, a cut off a printed
    #: boundary, each character beyond a name's usual length; set by hand in round 1 so that a printed word
    #: (cost 1) always beats cutting it into unknown pieces (10 each); tests/test_people.py and
    #: tests/test_textfold_names_dates.py pin the splits
    known_cost: int = 1
    unknown_cost: int = 10
    off_boundary_cost: int = 2
    excess_char_cost: int = 3
    #: the longest name or department a vocabulary holds: unit names printed in 考评表 (市国资委党委办公室…) run
    #: to about 20 characters; longer is prose. Bounding it keeps segmentation linear in the cell
    max_entry_chars: int = 32
    #: the shortest vocabulary entry: a single character is a wrap fragment, not a name
    min_entry_chars: int = 2

    def __post_init__(self) -> None:
        if not 0 < self.strong_in_context <= self.strong_anywhere <= 1:
            raise ValueError("citation strengths must satisfy 0 < in-context <= anywhere <= 1")
        if not 0 < self.weak_ceiling < self.strong_in_context + 0.5 or self.tie <= 0:
            raise ValueError("weak_ceiling and tie must be positive fractions")
        if self.min_entry_chars < 1 or self.max_entry_chars < self.min_entry_chars:
            raise ValueError("name entry lengths must satisfy 1 <= min <= max")


TUNABLES = Tunables()
