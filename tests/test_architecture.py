"""The house plan (issue 20) holds: the import-linter contracts in pyproject.toml are kept, and
the profiles app's import graph has no circle."""

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept():
    # In its own process: import-linter in the test process leaves the logging set-up changed,
    # and a later test's caplog then sees nothing.
    result = subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "--no-cache", "--no-logo", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert f"Contracts: {len(contracts['contracts'])} kept, 0 broken." in report


def circles(graph, package):
    """Groups of modules of `package` that import each other, directly or not (Tarjan)."""
    modules = {m for m in graph.modules if m == package or m.startswith(f"{package}.")}
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while True:
                other = stack.pop()
                on.discard(other)
                group.add(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_the_profiles_app_has_no_import_circle():
    graph = grimp.build_graph("profiles", cache_dir=None)
    assert circles(graph, "profiles") == []


def test_a_circle_is_found_where_there_is_one():
    graph = grimp.ImportGraph()
    for module in ("app", "app.a", "app.b", "app.c"):
        graph.add_module(module)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.c")
    graph.add_import(importer="app.c", imported="app.a")
    assert circles(graph, "app") == [["app.a", "app.b", "app.c"]]
