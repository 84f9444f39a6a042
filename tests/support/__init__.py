"""What the tests share: sample paths, the golden records and the scorer's comparison, one extracted
document per sample format for the whole session, and small byte builders (zip archives)."""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
EXPECTED = SAMPLES / "notice_2022.expected.json"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE_FORMATS = ("txt", "docx", "pdf")


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


def expected_records(path: Path = EXPECTED) -> list[dict[str, Any]]:
    """A hand-checked expected file (the golden records)."""
    return json.loads(path.read_text(encoding="utf-8"))


def field_misses(expected: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(code or item start, field, expected, got) for every field the scorer would count as wrong."""
    return [
        (e.get("code") or e["item"][:10], name, e[name], g.get(name))
        for e, g in zip(expected, got, strict=True)
        for name in e
        if norm(e[name]) != norm(g.get(name))
    ]


@cache
def sample_document(fmt: str):  # -> NoticeDocument; imported lazily so collecting tests stays cheap
    """The sample extracted once per session and format (treat it as read-only)."""
    from kaoping.api import extract

    return extract(SAMPLES / f"notice_2022.{fmt}")


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


# ---------------------------------------------------------------- small synthetic text notices

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
