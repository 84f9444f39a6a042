"""Work grows at most linearly with the input (issue 17): each step is run on 1k, 10k and 100k characters
of one cell or paragraph, and its CPU time at 100k must stay within a generous multiple of ten times its
time at 10k (a quadratic step takes a hundred times as long; the issue's took minutes).

These are ratios of one process's own CPU time, never absolute timings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fixtures.make_hostile import HAN, han_run

SIZES = (1_000, 10_000, 100_000)
#: linear work grows 10x from 10k to 100k; allow 3x that for caches, allocation and a busy machine
SLACK = 3.0
#: below this many seconds at 10k the measurement is noise: compare against this floor instead
FLOOR = 0.002


def cpu_seconds(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def assert_linear(make: Callable[[int], Callable[[], object]]) -> None:
    times = {n: cpu_seconds(make(n), repeat=1 if n == SIZES[-1] else 3) for n in SIZES}
    ratio = times[100_000] / max(times[10_000], FLOOR)
    assert ratio <= 10 * SLACK, f"100k/10k CPU ratio {ratio:.1f} (times {times})"


def spaced(text: str, width: int = 3) -> str:
    return " ".join(text[i:i + width] for i in range(0, len(text), width))


def test_split_names_is_linear() -> None:
    from kaoping.normalize.names import cells_to_vocabulary, split_names

    vocab = cells_to_vocabulary(["王建国", "张伟", "李明", "王建国 张伟"])
    runs = {n: han_run(n) for n in SIZES}
    assert_linear(lambda n: lambda: split_names(runs[n], vocab))
    tokens = {n: spaced(han_run(n, seed=3)) for n in SIZES}
    assert_linear(lambda n: lambda: split_names(tokens[n], vocab))


def test_vocabulary_and_suffix_breaking_are_linear() -> None:
    from kaoping.normalize.names import break_after_suffixes, cells_to_vocabulary

    cells = {n: [han_run(n), *(han_run(3, seed=k) for k in range(n // 100))] for n in SIZES}
    assert_linear(lambda n: lambda: cells_to_vocabulary(cells[n]))
    units = {n: ("综合科财务科" * n)[:n] for n in SIZES}
    assert_linear(lambda n: lambda: break_after_suffixes(units[n], ["科", "中心"], 3))


def test_text_folding_and_document_numbers_are_linear() -> None:
    from kaoping.normalize.docnumber import find_docnumbers
    from kaoping.normalize.textfold import fold_text

    texts = {n: han_run(n, alphabet=HAN) for n in SIZES}
    spread = {n: " ".join(texts[n]) for n in SIZES}
    assert_linear(lambda n: lambda: fold_text(spread[n]))
    assert_linear(lambda n: lambda: find_docnumbers(texts[n] + "〔2022〕3号"))


def test_citation_matching_is_linear() -> None:
    from kaoping.normalize.citations import TitleIndex, note_to_resolutions

    index = TitleIndex({"r1": ["关于印发某方案的通知"], "r2": ["政府工作报告"]})
    notes = {n: "属" + han_run(n, alphabet=HAN) + "第3项" for n in SIZES}
    assert_linear(lambda n: lambda: note_to_resolutions(notes[n], ["r1"], index))


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["name_cell", "paragraph", "item_cell"])
def test_whole_pipeline_is_linear(shape: str, tmp_path: Path) -> None:
    from kaoping.schema.limits import Limits

    from kaoping.api import extract
    from tests.fixtures.make_hostile import cell_notice, name_cell_notice, paragraph_notice

    build = {"name_cell": name_cell_notice, "paragraph": paragraph_notice, "item_cell": cell_notice}[shape]
    roomy = Limits(max_cell_chars=1_000_000)

    def make(n: int) -> Callable[[], object]:
        path = tmp_path / f"{shape}_{n}.txt"
        path.write_bytes(build(n))
        return lambda: extract(path, limits=roomy)

    assert_linear(make)


def test_pdf_glyph_runs_are_linear() -> None:
    from kaoping.extract.pdf_lines import chars_to_glyph_runs

    lines = {n: [("字", float(i), float(i) + 1.0, 0.0, 1.0, 1.0) for i in range(n)] for n in SIZES}
    assert_linear(lambda n: lambda: chars_to_glyph_runs(lines[n]))
