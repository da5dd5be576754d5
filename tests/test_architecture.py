"""Structure the code must keep: apps that import each other without cycles, the site package
(``clinic``) knowing no app but in its root URLconf and its own pages, and no function too
tangled to follow (radon's cyclomatic complexity, grade C or better).

Commands that print the same figures:
``radon cc -s -n D bookings clinic articles assessments`` (nothing listed is the pass) and
``radon cc -a -s bookings clinic articles assessments | tail -1`` (the average).
"""

from pathlib import Path

import grimp
from django.apps import apps
from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("articles", "assessments", "bookings", "clinic")

#: The project layer: the root URLconf and the site's own pages may import any app.
PROJECT_MODULES = {"clinic.urls", "clinic.views"}

WORST_GRADE = "C"


def _app_of(module: str, app_names: list[str]) -> str | None:
    """The installed app ``module`` belongs to: the longest app name it starts with."""
    owners = [name for name in app_names if module == name or module.startswith(f"{name}.")]
    return max(owners, key=len, default=None)


def app_import_graph(*, by_package: bool = False) -> dict[str, set[str]]:
    """Which project app imports which, from every import in the code (inside functions too).

    ``by_package`` groups the apps by top-level package (``clinic.contact`` counts as
    ``clinic``), the stricter view.
    """
    app_names = [config.name for config in apps.get_app_configs() if config.name in _ours()]
    if by_package:
        app_names = sorted({name.split(".")[0] for name in app_names})
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    edges: dict[str, set[str]] = {name: set() for name in app_names}
    for module in graph.modules:
        source = _app_of(module, app_names)
        if source is None or module in PROJECT_MODULES:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _app_of(imported, app_names)
            if target is not None and target != source:
                edges[source].add(target)
    return edges


def _ours() -> set[str]:
    return {
        config.name for config in apps.get_app_configs() if config.name.split(".")[0] in PACKAGES
    }


def _cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle among the apps, or ``[]``."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = "done"
        path.pop()
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_apps_import_each_other_without_cycles():
    edges = app_import_graph()
    assert _cycle(edges) == []


def test_the_packages_import_each_other_without_cycles():
    edges = app_import_graph(by_package=True)
    assert _cycle(edges) == []


def test_the_site_package_imports_no_app_outside_its_urls_and_pages():
    assert app_import_graph()["clinic"] == set()
    assert app_import_graph(by_package=True)["clinic"] == set()


def test_the_cycle_check_can_fail():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def _blocks(blocks):
    """Every function, method and closure, as ``radon cc`` lists them."""
    for block in blocks:
        yield block
        yield from _blocks(getattr(block, "methods", ()))
        yield from _blocks(getattr(block, "closures", ()))


def test_no_function_is_worse_than_grade_c():
    too_complex = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for block in _blocks(cc_visit(path.read_text())):
                if cc_rank(block.complexity) > WORST_GRADE:
                    too_complex.append(f"{path.relative_to(ROOT)}:{block.lineno} {block.name}")
    assert too_complex == []
