"""The shape issue 14 asks of the code, checked on every run: small modules and functions, and no
module-level state that functions change (a cache outside the one place that owns it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefgen"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100
MUTATORS = frozenset(
    {"append", "add", "update", "setdefault", "pop", "popitem", "clear", "extend", "insert", "remove",
     "discard", "appendleft", "__setitem__"}
)  # fmt: skip
MUTABLE_CALLS = frozenset({"dict", "list", "set", "defaultdict", "OrderedDict", "deque", "Counter"})
# The one owner of a module-level cache: the language data, loaded once (issue 14 item 5).
CACHE_OWNERS = frozenset({"lang/__init__.py"})


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_modules_and_functions_stay_small(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{_rel(path)} has more than {MAX_MODULE_LINES} lines"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{_rel(path)}: {node.name}() has {length} lines"


def _container_classes(tree: ast.Module) -> set[str]:
    """Classes of the module that are containers themselves (a dict with __missing__ is a cache)."""
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(
            (
                b.value.id
                if isinstance(b, ast.Subscript) and isinstance(b.value, ast.Name)
                else getattr(b, "id", "")
            )
            in MUTABLE_CALLS
            for b in node.bases
        )
    }


def _module_containers(tree: ast.Module) -> set[str]:
    """Names bound at module level to a mutable container (or an instance of a container class)."""
    names: set[str] = set()
    containers = MUTABLE_CALLS | _container_classes(tree)
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        mutable = isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp)
        if isinstance(value, ast.Call):
            func = value.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            mutable = name in containers
        if mutable:
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _plain_containers(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            value = node.value
            func = value.func if isinstance(value, ast.Call) else None
            if not (isinstance(func, ast.Name) and func.id in _container_classes(tree)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _changed_in_functions(tree: ast.Module, names: set[str]) -> set[str]:
    """Module-level names that some function changes (item assignment, a mutating method, `global`)."""
    changed: set[str] = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Global):
                changed.update(node.names)
            target = None
            if isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
                for t in node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]:
                    if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                        target = t.value.id
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS
                and isinstance(node.func.value, ast.Name)
            ):
                target = node.func.value.id
            if target in names:
                changed.add(target)
    return changed & names


@pytest.mark.parametrize("path", [p for p in MODULES if _rel(p) not in CACHE_OWNERS], ids=_rel)
def test_no_module_level_state_that_functions_change(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    instances = {n for n in _module_containers(tree) if n not in _plain_containers(tree)}
    changed = _changed_in_functions(tree, _module_containers(tree)) | instances
    assert not changed, (
        f"{_rel(path)}: module-level {sorted(changed)} changed by functions: a cache belongs to one owner"
    )


def test_the_checks_see_what_they_look_for() -> None:
    """The checks above would fail on the shapes they forbid."""
    tree = ast.parse(
        "_memo = {}\ndef f(k):\n    _memo[k] = 1\nFIXED = {'a': 1}\ndef g():\n    return FIXED['a']\n"
    )
    assert _changed_in_functions(tree, _module_containers(tree)) == {"_memo"}
    tree = ast.parse("_seen = set()\ndef f(x):\n    _seen.add(x)\n")
    assert _changed_in_functions(tree, _module_containers(tree)) == {"_seen"}
    tree = ast.parse(
        "class _Memo(dict[str, int]):\n    def __missing__(self, k):\n        return 1\n_M = _Memo()\n"
    )
    assert _module_containers(tree) - _plain_containers(tree) == {"_M"}
