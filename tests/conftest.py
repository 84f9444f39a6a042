"""Shared test helpers: paths to the samples and a builder for small synthetic text notices."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXPECTED = SAMPLES / "notice_2022.expected.json"

def norm(v: Any) -> Any:
    """A value as the shared scorer compares it: NFKC, no whitespace, numbers as numbers."""
    if v is None or v == "" or v == []:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        return round(float(v), 4)
    if isinstance(v, list):
        return [norm(x) for x in v]
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v))).replace("—", "-").replace("–", "-")


HEADER = [
    "项目\t目标内容\t\t\t\t权重\t完成时限\t责任分解\t\t",
    "\t序号\t文件依据\t一级指标\t二级指标\t\t\t分管领导\t责任部门\t责任人",
]
PREAMBLE = [
    "某市某局文件", "", "某局办〔2024〕9号", "", "某局关于印发2024年度绩效评估工作方案的通知", "",
    "本局各科室：", "", "现将方案印发给你们。", "", "某局", "", "2024年3月1日", "",
    "附件：2024年度某局绩效目标考评表", "", "2024年度某局绩效目标考评表", "",
]


def text_notice(rows: list[str], header: list[str] | None = None, preamble: list[str] | None = None) -> str:
    """A plain-text notice: preamble paragraphs, then a tab-separated table."""
    lines = list(PREAMBLE if preamble is None else preamble)
    lines += HEADER if header is None else header
    lines += rows
    lines += ["", "抄送：各单位。", "", "某局办公室", "", "2024年3月2日印发", ""]
    return "\n".join(lines)


@pytest.fixture
def write_notice(tmp_path: Path):
    def _write(rows: list[str], name: str = "n.txt", encoding: str = "utf-8", **kw) -> Path:
        path = tmp_path / name
        path.write_bytes(text_notice(rows, **kw).encode(encoding))
        return path

    return _write
