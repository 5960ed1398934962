"""Patch a module's attribute only where the code reads it.

`monkeypatch.setattr(module, "name", value)` fails only if the attribute is missing. When a name
moves to another module and the old module still imports it (``from profiles.x import name``),
patching the old module changes a copy nobody reads, and the test passes for the wrong reason.
`patch` refuses that: the attribute must be defined in `module` (a function or class must have
been written there) and no other loaded module of the project may hold the same object under the
same name (a copy made by ``from module import name`` that the patch would not reach).
"""

import inspect
import sys

PROJECT = ("profiles", "jobs", "accounts", "competencies", "vetting", "config")


def patch(monkeypatch, module, name, value):
    original = getattr(module, name)  # AttributeError: the name is not (any more) in module
    if inspect.isfunction(original) or inspect.isclass(original):
        assert original.__module__ == module.__name__, (
            f"{module.__name__}.{name} is imported from {original.__module__}: patch it there"
        )
    copies = sorted(
        other.__name__
        for other in list(sys.modules.values())
        if other is not module
        and getattr(other, "__name__", "").split(".")[0] in PROJECT
        and name in getattr(other, "__dict__", {})
        and other.__dict__[name] is original
    )
    assert not copies, (
        f"{module.__name__}.{name} is also imported by {', '.join(copies)}; "
        "patching it here would not reach them"
    )
    monkeypatch.setattr(module, name, value)
