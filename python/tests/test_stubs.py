"""The type stubs (_core.pyi) declare every class and public method the extension module has,
and nothing it lacks (a stub that drifts from the module misleads type checkers)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import dynamodb_mapping
from dynamodb_mapping import _core


def stub_classes():
    tree = ast.parse((Path(dynamodb_mapping.__file__).parent / "_core.pyi").read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            out[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)} | {
                t.id for n in node.body if isinstance(n, ast.AnnAssign) for t in [n.target]
                if isinstance(t, ast.Name)}
    return out


def runtime_classes():
    out = {}
    for name, cls in vars(_core).items():
        if inspect.isclass(cls) and not name.startswith("_") and not name.endswith(("Results", "Iterator")):
            out[name] = {m for m in vars(cls) if not m.startswith("_") or m in ("__and__", "__or__", "__invert__")}
    return out


def test_stubs_match_the_module():
    stubs, runtime = stub_classes(), runtime_classes()
    assert set(runtime) <= set(stubs), set(runtime) - set(stubs)
    for name, members in runtime.items():
        missing = members - stubs[name]
        assert not missing, f"{name}: {missing} not in _core.pyi"
        extra = {m for m in stubs[name] - members if not m.startswith("__")}
        assert not extra, f"{name}: {extra} in _core.pyi but not in the module"


def test_py_typed_is_shipped():
    assert (Path(dynamodb_mapping.__file__).parent / "py.typed").exists()
