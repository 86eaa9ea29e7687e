"""Rules of the code base that keep pages thin and the home page fast."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_never_imports_streamlit() -> None:
    core = [path for path in (ROOT / "cnnviz").rglob("*.py") if "ui" not in path.parts]
    assert core
    offenders = [
        str(path.relative_to(ROOT))
        for path in core
        if any(name.split(".")[0] == "streamlit" for name in imported_modules(path))
    ]
    assert offenders == []


def test_loading_the_data_layer_does_not_import_tensorflow() -> None:
    code = (
        "import sys, cnnviz.datasets, cnnviz.datasets.summary, cnnviz.datasets.builtin;"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_the_home_page_does_not_import_tensorflow(tmp_path) -> None:
    """The home page opens fast: rendering it in a fresh interpreter never loads TensorFlow on
    the script thread; the server's background warm-up (which does) starts once it is drawn."""
    code = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "from cnnviz.ui import cached\n"
        "warmed = []\n"
        "cached.warm_up_server = lambda: warmed.append(sorted(m for m in ('tensorflow', 'keras')"
        " if m in sys.modules))\n"
        f"app = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=60).run()\n"
        "assert not app.exception, app.exception\n"
        "assert warmed == [[]], warmed\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    environment = {"CNNVIZ_RUNS_DIR": str(tmp_path / "runs"), "CNNVIZ_DATA_DIR": str(tmp_path),
                   "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=environment, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_model_and_dataset_pages_draw_before_tensorflow_is_imported() -> None:
    """Their own imports load no TensorFlow (seconds): the controls show while it loads."""
    for page in ("pages/model.py", "pages/dataset.py"):
        modules = sorted(name for name in imported_modules(ROOT / page)
                         if name.startswith("cnnviz"))
        code = (f"import sys; [__import__(name) for name in {modules!r}];"
                "print(sorted(m for m in ('tensorflow', 'keras', 'sklearn') if m in sys.modules))")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                cwd=ROOT, check=True)
        assert result.stdout.strip().splitlines()[-1] == "[]", page


def test_the_dataset_page_imports_keras_in_the_background_for_the_model_page(tmp_path) -> None:
    code = (
        "import sys, threading\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"app = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=120).run()\n"
        "app.switch_page('pages/dataset.py').run()\n"
        "assert not app.exception, app.exception\n"
        "[thread.join() for thread in threading.enumerate()"
        " if thread.name == 'cnnviz-import-keras']\n"
        "print('keras' in sys.modules)\n"
    )
    environment = {"CNNVIZ_RUNS_DIR": str(tmp_path / "runs"), "CNNVIZ_DATA_DIR": str(tmp_path),
                   "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=environment, check=True)
    assert result.stdout.strip().splitlines()[-1] == "True"


# The run store's own ways to create, stop, resume and delete runs: below cnnviz.run_actions,
# which checks who asks. A page or UI module calling one of them skips the owner, the session
# limit and the class caps.
RUN_STORE_ACTIONS = {"start_run", "create_run", "request_stop", "kill_run", "resume_run",
                     "move_to_trash", "restore_from_trash", "remove_from_trash"}


def run_store_calls(path: Path) -> list[str]:
    """``runs.start_run``-like names a module uses other than through ``cnnviz.run_actions``."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in RUN_STORE_ACTIONS:
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id == "run_actions"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module != "cnnviz.run_actions":
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}"
                      for alias in node.names if alias.name in RUN_STORE_ACTIONS]
    return found


def test_pages_and_ui_act_on_runs_only_through_run_actions() -> None:
    modules = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"),
               *(ROOT / "cnnviz" / "ui").rglob("*.py")]
    assert len(modules) > 20
    assert [call for path in modules for call in run_store_calls(path)] == []


def test_the_run_store_check_finds_a_direct_start(tmp_path: Path) -> None:
    page = ROOT / "pages" / "_direct_start_probe.py"
    try:
        page.write_text("from cnnviz import runs\nruns.start_run(config)\n"
                        "from cnnviz.runs import resume_run\nrun_actions.start_run(me, config)\n")
        assert sorted(call.split()[1] for call in run_store_calls(page)) == ["resume_run", "start_run"]
    finally:
        page.unlink()
