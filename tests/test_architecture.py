"""The shape of the code: layers, no import cycle, each rule once, small modules, a clean lint.

These tests fail naming the offending import, module, function or line, so the layout the
README describes stays the layout of the code.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "annhist"
MAX_MODULE_LINES = 300
MAX_FUNCTION_CODE_LINES = 50


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_import_linter_contracts_are_kept():
    # Contracts in pyproject.toml: CLI > book build > experiments > milestones in historical order;
    # the toolkit imports no milestone; figures and matplotlib stay out of the rules and models.
    # Run in a child so the report (naming the offending import chain) is the failure message.
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


def _strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Tarjan's algorithm over the module graph: every cycle, lazy imports included."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_anywhere_in_annhist():
    # grimp reads every import statement, those inside functions too; TYPE_CHECKING ones are not run.
    graph = grimp.build_graph("annhist", exclude_type_checking_imports=True)
    cycles = _strongly_connected(graph)
    details = []
    for comp in cycles:
        for a in comp:
            for b in comp:
                if graph.direct_import_exists(importer=a, imported=b):
                    details.append(f"{a} -> {b}")
    assert not cycles, "import cycles: " + "; ".join(details)


def test_no_import_by_string():
    # importlib / __import__ hide imports from the contracts above.
    offenders = []
    for path in _sources():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in ("__import__", "importlib.import_module", "import_module"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert not offenders, offenders


def _code_lines(node: ast.AST, lines: list[str]) -> int:
    """Lines of code in a function: no docstring, blank or comment-only lines."""
    body = node.body
    doc: set[int] = set()
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        doc = set(range(body[0].lineno, body[0].end_lineno + 1))
    return sum(1 for i in range(node.lineno, node.end_lineno + 1)
               if i not in doc and lines[i - 1].strip() and not lines[i - 1].strip().startswith("#"))


def test_modules_and_functions_stay_small():
    long_modules, long_functions = [], []
    for path in _sources():
        text = path.read_text()
        lines = text.splitlines()
        if len(lines) > MAX_MODULE_LINES:
            long_modules.append(f"{path.relative_to(ROOT)}: {len(lines)} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = _code_lines(node, lines)
                if n > MAX_FUNCTION_CODE_LINES:
                    long_functions.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {n} lines")
    assert not long_modules, long_modules
    assert not long_functions, long_functions


# Each rule's characteristic line, and the one module allowed to write it.
RULES = {
    "Rosenblatt's correction w + eta y x": (r"\+\s*(self\.)?eta\s*\*\s*y\w*\s*\*\s*x", "perceptron/rule.py"),
    "the LMS step w + eta (d - w.x) x": (r"eta\s*\*\s*eps\s*\*\s*x", "adaline/lms.py"),
    "Adam's bias correction": (r"/\s*\(1\s*-\s*(b|beta)1\s*\*\*\s*t\)", "optimizers.py"),
    "momentum's Delta w(t) = -eps g + alpha Delta w(t-1)": (r"\*=\s*(self\.)?alpha\b", "optimizers.py"),
    "the +-1 label coder": (r"np\.where\([^)]*==[^)]*1\.0,\s*-1\.0\)", "validation.py"),
    "the bias folded in as a constant input": (r"np\.ones\(\(\w+\.shape\[0\], 1\)\)", "perceptron/rule.py"),
}


def _code_only(path: Path) -> list[tuple[int, str]]:
    """The module's lines with strings, docstrings and comments blanked out (code only)."""
    lines = path.read_text().splitlines()
    with path.open("rb") as f:
        for tok in tokenize.tokenize(f.readline):
            if tok.type in (tokenize.STRING, tokenize.COMMENT):
                (r0, c0), (r1, c1) = tok.start, tok.end
                for r in range(r0, r1 + 1):
                    a = c0 if r == r0 else 0
                    b = c1 if r == r1 else len(lines[r - 1])
                    lines[r - 1] = lines[r - 1][:a] + " " * (b - a) + lines[r - 1][b:]
    return list(enumerate(lines, 1))


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_is_written_once(rule):
    pattern, home = RULES[rule]
    where = [f"{p.relative_to(PACKAGE)}:{i}" for p in _sources() for i, line in _code_only(p)
             if re.search(pattern, line)]
    assert where and all(w.startswith(home + ":") for w in where), f"{rule} is written in {where}"


def test_chapters_show_only_public_code():
    # A renamed private helper would break the book: chapters show public functions only.
    private = [f"{p.name}: {m.group(0)}" for p in sorted((ROOT / "chapters").glob("*.md"))
               for m in re.finditer(r"getsource\(([\w.]*\.)?_\w+", p.read_text())]
    assert not private, private


def test_ruff_is_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "annhist", "tests", "benchmarks"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-1000:]
