"""The package's import structure: core knows no capability, and no new import cycles.

The graph is read from the source (every ``import`` statement, also those inside functions,
since a deferred import still ties two modules together), so it needs no extra tool.
"""

import ast
import pathlib

import pretix_innowerkstatt

ROOT = pathlib.Path(pretix_innowerkstatt.__file__).parent
PACKAGE = ROOT.name
CAPABILITIES = ("agenda", "videolinks", "formats", "followers")

# Module cycles accepted for now, each with its owner and the way out; a cycle not listed here
# fails the test, and the list may only shrink.
KNOWN_MODULE_CYCLES = []

# Package cycles accepted for now, as above.
KNOWN_PACKAGE_CYCLES = []


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """``{module: modules of this package it imports}``, by full dotted name."""
    files = {_module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts}
    graph = {}
    for name, path in files.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                # "from .x import y" imports module x.y if it is one, else module x
                candidates = [f"{target}.{alias.name}" for alias in node.names] + [target]
                imported.update(c for c in candidates[:-1] if c in files)
                if not any(c in files for c in candidates[:-1]) and target in files:
                    imported.add(target)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names if alias.name in files)
        graph[name] = imported - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def _short(module: str) -> str:
    return module.removeprefix(PACKAGE + ".")


def _layer(module: str) -> str:
    """The sub-package a module belongs to; each root module is a layer of its own."""
    return _short(module).split(".")[0]


def test_core_imports_no_capability():
    graph = import_graph()
    wrong = sorted(
        f"{_short(module)} imports {_short(imported)}"
        for module, imports in graph.items()
        if _layer(module) == "core"
        for imported in imports
        if _layer(imported) in CAPABILITIES
    )
    assert not wrong, "core must not import a capability (register with core instead): " + "; ".join(wrong)


def test_no_import_cycle_between_packages():
    layers = {}
    for module, imports in import_graph().items():
        layers.setdefault(_layer(module), set()).update(
            _layer(imported) for imported in imports if _layer(imported) != _layer(module)
        )
    new = [sorted(c) for c in cycles(layers) if not any(c <= known for known in KNOWN_PACKAGE_CYCLES)]
    assert not new, f"import cycle between packages of the plugin: {new}"


def test_no_new_import_cycle_between_modules():
    found = [{_short(m) for m in component} for component in cycles(import_graph())]
    # a known cycle may shrink (a module leaves it), never grow
    new = [sorted(c) for c in found if not any(c <= known for known in KNOWN_MODULE_CYCLES)]
    assert not new, f"new import cycle between modules: {new}"


def test_cycle_finder_finds_a_cycle():
    # the checks above are only as good as this: a -> b -> c -> a is found, d is not in it
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}) == [{"a", "b", "c"}]


def test_capabilities_register_their_overview_cards_in_display_order():
    from pretix_innowerkstatt.agenda import overview as agenda
    from pretix_innowerkstatt.core import overview
    from pretix_innowerkstatt.followers import overview as followers
    from pretix_innowerkstatt.formats import overview as formats
    from pretix_innowerkstatt.slots import overview as slots
    from pretix_innowerkstatt.videolinks import overview as videolinks
    from pretix_innowerkstatt.workgroups import overview as workgroups

    assert [card for __, card in overview._cards] == [
        agenda.card,
        slots.card,
        videolinks.card,
        workgroups.card,
        formats.card,
        followers.card,
    ]


def test_plugin_name_of_the_view_guards_is_the_app_name():
    from pretix_innowerkstatt.apps import PluginApp
    from pretix_innowerkstatt.core.permissions import PLUGIN

    assert PLUGIN == PluginApp.name
