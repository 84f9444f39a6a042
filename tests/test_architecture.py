"""The shape of the code: one import name, imports that run one way, no cycles.

Walks every module's imports (function-level ones too) with ``ast``; nothing is imported.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from support import ROOT, SAMPLES

#: repository folder → import name (pyproject.toml maps them the same way)
PACKAGES = {"schema": "kaoping.schema", "extract": "kaoping.extract", "normalize": "kaoping.normalize",
            "kaoping": "kaoping"}
#: kaoping → normalize → extract → schema: a layer imports only from layers to its right
LAYER = {"kaoping.schema": 0, "kaoping.extract": 1, "kaoping.normalize": 2, "kaoping": 3}

#: normalize modules in pipeline order; a step may import an earlier step or a library, never a later step
STEP_ORDER = [("invisible",), ("radicals",), ("grid", "columns", "rowkinds"), ("notice",), ("hierarchy", "notes"), ("fields",), ("people",), ("ocr",), ("references",),
              ("targets",), ("checks",), ("pipeline",)]
#: normalize modules that are libraries of pure helpers used by several steps (they import no step)
LIBRARIES = {"facts", "textfold", "issues", "numerals", "settings", "rows", "headers", "dates", "names", "docnumber", "citations",
             "paragraphs", "ordinals", "labels", "__init__"}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT)
    top = PACKAGES[rel.parts[0]]
    rest = [p for p in rel.with_suffix("").parts[1:] if p != "__init__"]
    return ".".join([top, *rest])


def module_name_in(package_dir: Path, path: Path) -> str:
    """The import name of a file inside an installed ``kaoping`` folder."""
    parts = [p for p in path.relative_to(package_dir).with_suffix("").parts if p != "__init__"]
    return ".".join(["kaoping", *parts])


def _installed_path(repo_path: str) -> str:
    top, _, rest = repo_path.partition("/")
    return rest if top == "kaoping" else f"{top}/{rest}"


def source_modules() -> dict[str, Path]:
    return {module_name(p): p for folder in PACKAGES for p in sorted((ROOT / folder).rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m == "kaoping" or m.startswith("kaoping.")}


def graph() -> dict[str, set[str]]:
    mods = source_modules()

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    return {m: {r for i in imports_of(p) if (r := resolve(i)) and r != m} for m, p in mods.items()}


def layer(mod: str) -> int:
    return max(v for k, v in LAYER.items() if mod == k or mod.startswith(k + "."))


def test_no_module_imports_a_later_layer() -> None:
    bad = [(m, i) for m, deps in graph().items() for i in deps if layer(i) > layer(m)]
    assert bad == []


def test_no_import_cycles() -> None:
    g = graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for d in sorted(g.get(m, ())):
            if state.get(d) == 1:
                cycles.append([*stack[stack.index(d):], d] if d in stack else [m, d])
            elif d not in state:
                visit(d, [*stack, d])
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def _step_rank(mod: str) -> int | None:
    short = mod.removeprefix("kaoping.normalize.")
    if short in LIBRARIES:
        return None
    return next(i for i, names in enumerate(STEP_ORDER) if short in names)


def test_every_normalize_module_is_placed_in_the_pipeline_order() -> None:
    unplaced = [m for m in graph() if m.startswith("kaoping.normalize.")
                and m.removeprefix("kaoping.normalize.") not in LIBRARIES | {n for s in STEP_ORDER for n in s}]
    assert unplaced == []


def test_no_step_imports_a_later_step() -> None:
    bad = []
    for m, deps in graph().items():
        if not m.startswith("kaoping.normalize."):
            continue
        for d in deps:
            if not d.startswith("kaoping.normalize."):
                continue
            rm, rd = _step_rank(m), _step_rank(d)
            if rd is not None and (rm is None or rd > rm):
                bad.append((m, d))
    assert bad == []


#: import name → distribution, where they differ
DISTRIBUTION = {"PIL": "pillow", "cv2": "opencv-python-headless", "yaml": "pyyaml", "pdfminer": "pdfminer.six",
                "rapidocr_onnxruntime": "rapidocr-onnxruntime"}


def third_party_imports() -> set[str]:
    names = set()
    for path in source_modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("kaoping", "__future__")}


def declared(extra: str | None = None) -> set[str]:
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return {re.split(r"[<>=!~\[ ]", s, maxsplit=1)[0].lower() for s in specs}


def test_dependencies_are_what_the_package_imports() -> None:
    """Every import is declared (run time or the ocr extra), and every run-time dependency is imported."""
    imported = {DISTRIBUTION.get(n, n).lower().replace("_", "-") for n in third_party_imports()}
    assert sorted(imported - declared() - declared("ocr")) == []
    assert sorted(declared() - imported) == []


@pytest.mark.slow
def test_installed_wheel_is_one_import_name(tmp_path: Path) -> None:
    """A non-editable install adds `kaoping` only, and a user's own extract.py/schema.py do not shadow it."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=True).create(env_dir)
    py = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # the test venv sees the packages kaoping needs (system_site_packages points at the base interpreter's,
    # which lacks them): install the wheel without deps into a target folder and put the deps' site on the path
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(ROOT)], check=True, env=env, capture_output=True)
    deps_site = next(p for p in sys.path if p.endswith("site-packages"))
    env["PYTHONPATH"] = os.pathsep.join([str(target), deps_site])
    user = tmp_path / "user"
    user.mkdir()
    (user / "extract.py").write_text("raise SystemExit('the user\\'s extract.py was imported')\n")
    (user / "schema.py").write_text("raise SystemExit('the user\\'s schema.py was imported')\n")
    probe = ("import importlib.util, kaoping, kaoping.normalize.pipeline\n"
             "print(sorted(n for n in ('schema', 'extract', 'normalize') if importlib.util.find_spec(n)))\n"
             "print(kaoping.__file__)")
    out = subprocess.run([str(py), "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    found, where = out.stdout.splitlines()
    assert found == "[]"
    assert where.startswith(str(target))
    sorted_top = sorted(p.name for p in target.iterdir() if not p.name.endswith(".dist-info") and p.name != "bin")
    assert sorted_top == ["kaoping"]
    installed = {module_name_in(target / "kaoping", p) for p in (target / "kaoping").rglob("*.py")}
    assert sorted(set(source_modules()) - installed) == []  # every module of the repository is in the wheel
    data = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("*/data/*") if p.suffix in (".csv", ".txt", ".yaml")}
    data |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "kaoping").rglob("*") if p.suffix in (".csv", ".yaml")}
    missing = [d for d in sorted(data) if not (target / "kaoping" / _installed_path(d)).is_file()]
    assert missing == []  # and every data file beside it
    run = subprocess.run([str(py), "-m", "kaoping", "extract", str(SAMPLES / "notice_2022.txt"), "-o", "out",
                          "--format", "json"], cwd=user, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (user / "out" / "notice.json").is_file()


def test_tunables_are_validated() -> None:
    from kaoping.normalize.settings import TUNABLES, Tunables

    assert (TUNABLES.strong_in_context, TUNABLES.strong_anywhere, TUNABLES.max_entry_chars) == (0.5, 0.8, 32)
    with pytest.raises(ValueError, match="citation strengths"):
        Tunables(strong_in_context=0.9, strong_anywhere=0.8)
    with pytest.raises(ValueError, match="entry lengths"):
        Tunables(min_entry_chars=0)
