"""Every Streamlit cache is bounded, so thirty students cannot grow the server's memory forever.

Checked on the source (AST): a cache decorator without ``max_entries`` fails the suite the
moment it is written, not after a classroom session ran out of memory.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE_DECORATORS = ("cache_data", "cache_resource")


def streamlit_sources() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py")),
            *sorted((ROOT / "cnnviz" / "ui").rglob("*.py"))]


def unbounded_caches(source: str, name: str) -> list[str]:
    """``file:line`` of every ``st.cache_data`` / ``st.cache_resource`` without ``max_entries``
    (bare decorators, calls without the keyword, and caches made by calling them directly)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        decorators = node.decorator_list if isinstance(node, ast.FunctionDef) else []
        for decorator in decorators:
            if isinstance(decorator, ast.Attribute) and decorator.attr in CACHE_DECORATORS:
                found.append(f"{name}:{decorator.lineno}")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in CACHE_DECORATORS
                and "max_entries" not in {keyword.arg for keyword in node.keywords}):
            found.append(f"{name}:{node.lineno}")
    return found


def test_every_cache_has_max_entries() -> None:
    sources = streamlit_sources()
    assert len(sources) > 10
    assert [place for path in sources
            for place in unbounded_caches(path.read_text(), str(path.relative_to(ROOT)))] == []


def test_the_check_sees_bare_and_keywordless_decorators() -> None:
    sample = ("import streamlit as st\n\n@st.cache_data\ndef a(): ...\n\n"
              "@st.cache_resource(ttl=5)\ndef b(): ...\n\n"
              "@st.cache_data(max_entries=4)\ndef c(): ...\n\n"
              "d = st.cache_data(len)\n")
    assert unbounded_caches(sample, "sample.py") == ["sample.py:3", "sample.py:6", "sample.py:12"]
