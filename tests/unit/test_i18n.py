"""The catalogues: every language has every English message, with the same placeholders; every
key the code uses exists; core errors are raised with keys, not English text."""

from __future__ import annotations

import ast
import os
import pickle
import re
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from cnnviz import i18n
from cnnviz.analysis.run_table import COLUMNS
from cnnviz.datasets.spec import FILE_SOURCES, FLIP_MODES, SOURCES
from cnnviz.errors import CnnvizError, DatasetError, Phrase
from cnnviz.i18n import has_message, languages, translate
from cnnviz.models.blocks_table import BLOCK_COLUMNS
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.presets import TRAINING_PRESETS
from cnnviz.runs import RunState
from cnnviz.training.config import SCHEDULES

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "cnnviz" / "ui").rglob("*.py")]
CORE_FILES = [path for path in (ROOT / "cnnviz").rglob("*.py") if "ui" not in path.parts]


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def catalogue(language: str) -> dict[str, str]:
    """The msgid -> msgstr of a ``.po`` as a translator wrote it (empty entries included)."""
    with i18n.catalogue_path(language).open("rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id}


ENGLISH = catalogue("en")
OTHER_LANGUAGES = [code for code in languages() if code != "en"]


def test_the_languages_are_the_catalogues_with_their_own_names() -> None:
    assert list(languages())[:1] == ["en"]
    assert languages()["en"] == "English" and languages()["es"] == "Español"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_english_message_is_translated_with_the_same_placeholders(language: str) -> None:
    translated = catalogue(language)
    assert sorted(set(ENGLISH) - set(translated)) == []
    assert sorted(key for key in ENGLISH if not translated[key].strip()) == []
    assert [key for key, text in ENGLISH.items()
            if placeholders(text) != placeholders(translated[key])] == []
    assert sorted(set(translated) - set(ENGLISH)) == []


def test_english_messages_are_filled_in() -> None:
    assert ENGLISH and [key for key, text in ENGLISH.items() if not text.strip()] == []


def test_every_key_used_by_a_page_exists() -> None:
    static = set()
    for path in UI_FILES:
        static |= set(re.findall(r'\bt\("([^"]+)"', path.read_text()))
        # A translated choice whose template is a whole key (its option fills a placeholder).
        static |= set(re.findall(r'\btranslated\("([^"{}]+)"', path.read_text()))
    missing = sorted(key for key in static if not has_message(key))
    assert static and missing == []


def error_names() -> set[str]:
    """CnnvizError and every subclass of it defined in the core, by class name."""
    names, trees = {"CnnvizError"}, [ast.parse(path.read_text()) for path in CORE_FILES]
    grown = True
    while grown:
        before = len(names)
        for tree in trees:
            names |= {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                      and any(isinstance(base, ast.Name) and base.id in names
                              for base in node.bases)}
        grown = len(names) > before
    return names


def error_messages() -> list[tuple[str, int, ast.Call]]:
    """(file, line, call) of every construction of a core error, and of Phrase."""
    names = error_names() | {"Phrase"}
    found = []
    for path in CORE_FILES + UI_FILES:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in names and node.args):
                found.append((str(path.relative_to(ROOT)), node.lineno, node))
    return found


def test_core_errors_are_raised_with_catalogue_keys_not_english_text() -> None:
    """An error raised as ``DatasetError(f"{root} is not a folder")`` would show English on a
    Spanish page: it must be ``DatasetError("error.folder.not_folder", root=root)``."""
    sites = error_messages()
    literal_text = [f"{file}:{line}" for file, line, call in sites
                    if isinstance(call.args[0], ast.JoinedStr)
                    or (isinstance(call.args[0], ast.Constant)
                        and not has_message(call.args[0].value))]
    assert len(sites) > 200 and literal_text == []


def test_every_error_key_is_given_the_values_of_its_placeholders() -> None:
    wrong = [f"{file}:{line} {call.args[0].value}" for file, line, call in error_messages()
             if isinstance(call.args[0], ast.Constant) and has_message(call.args[0].value)
             and all(keyword.arg for keyword in call.keywords)
             and {keyword.arg for keyword in call.keywords}
             != placeholders(ENGLISH[call.args[0].value])]
    assert wrong == []


def test_every_templated_key_exists() -> None:
    expected = (
        [f"source.{source}" for source in SOURCES]
        + [f"source.{source}.about" for source in SOURCES]
        + [f"arch.{key}.{part}" for key in ARCHITECTURES for part in ("title", "about")]
        + [f"state.{state}" for state in RunState]
        + [f"split.{name}" for name in ("train", "validation", "test")]
        + [f"resize.{mode}" for mode in ("stretch", "crop", "pad")]
        + [f"channels.{value}" for value in (None, 1, 3)]
        + [f"balance.{mode}" for mode in ("none", "undersample", "oversample", "class_weights")]
        + [f"storage.{mode}" for mode in ("memory", "stream")]
        + [f"size.{row}" for row in ("height", "width", "aspect")]
        + [f"flip.{mode}" for mode in FLIP_MODES]
        + [f"dataset.path_help.{source}" for source in FILE_SOURCES]
        + [f"dataset.need_path.{source}" for source in FILE_SOURCES]
        + [f"weights.{value}" for value in ("imagenet", None)]
        + [f"block.{column}" for column in BLOCK_COLUMNS]
        + [f"layer.{column}" for column in ("name", "type", "output_shape", "parameters",
                                             "trainable_parameters")]
        + [f"runs.{column}" for column in COLUMNS]
        + [f"preset.{key}" for key in TRAINING_PRESETS]
        + [f"schedule.{name}" for name in SCHEDULES]
        + re.findall(r'message="(status\.[a-z]+)"',
                     (ROOT / "cnnviz" / "training" / "worker.py").read_text())
    )
    assert sorted(key for key in expected if not has_message(key)) == []


def test_translate_fills_placeholders_and_refuses_unknown_keys() -> None:
    assert translate("sidebar.device", "es", device="CPU") == "Dispositivo: CPU"
    assert translate("nav.train", "en") == "Train"
    with pytest.raises(KeyError):
        translate("no.such.key")


def test_an_error_is_english_in_logs_and_translated_on_a_page() -> None:
    error = DatasetError("error.folder.not_folder", root="/data/cats")
    assert str(error) == "/data/cats is not a folder"
    assert error.message("es") == "/data/cats no es una carpeta"
    copy = pickle.loads(pickle.dumps(error))  # errors cross into and out of child processes
    assert type(copy) is DatasetError and copy.message("es") == error.message("es")
    hint = DatasetError("error.filelist.file_not_folder", root="x",
                        expected_layout=Phrase("error.filelist.expected_layout"))
    assert "mapping.txt" in str(hint) and "carpeta con mapping.txt" in hint.message("es")


def test_an_error_with_an_unknown_key_still_says_what_it_was_given() -> None:
    assert CnnvizError("Some English a merge brought in").message("es") == (
        "Some English a merge brought in")


@pytest.fixture
def locales_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The catalogues copied to a folder of their own, as a teacher's checkout."""
    shutil.copytree(i18n.LOCALES_DIR, tmp_path / "locales",
                    ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path / "locales")
    monkeypatch.setattr(i18n, "_texts", {})
    i18n.languages.cache_clear()
    yield tmp_path / "locales"
    i18n.languages.cache_clear()


def test_a_language_is_added_by_copying_a_catalogue(locales_copy: Path) -> None:
    portuguese = locales_copy / "pt" / "LC_MESSAGES" / "cnnviz.po"
    portuguese.parent.mkdir(parents=True)
    text = (locales_copy / "es" / "LC_MESSAGES" / "cnnviz.po").read_text(encoding="utf-8")
    text = text.replace('"Language: es\\n"', '"Language: pt\\n"')
    text = text.replace('msgid "nav.train"\nmsgstr "Entrenar"',
                        'msgid "nav.train"\nmsgstr "Treinar"')
    text = text.replace('msgid "nav.home"\nmsgstr "Inicio"', 'msgid "nav.home"\nmsgstr ""')
    portuguese.write_text(text, encoding="utf-8")
    assert languages()["pt"] == "Português"
    assert translate("nav.train", "pt") == "Treinar"
    assert translate("nav.home", "pt") == "Home"  # not yet translated: English
    assert (portuguese.parent / "cnnviz.mo").is_file()  # compiled on first use


def test_a_catalogue_edited_after_compiling_is_compiled_again(locales_copy: Path) -> None:
    assert translate("nav.train", "es") == "Entrenar"
    source = locales_copy / "es" / "LC_MESSAGES" / "cnnviz.po"
    source.write_text(source.read_text(encoding="utf-8").replace(
        'msgstr "Entrenar"', 'msgstr "A entrenar"'), encoding="utf-8")
    compiled = source.with_suffix(".mo")
    earlier = source.stat().st_mtime - 10
    os.utime(compiled, (earlier, earlier))  # the .mo of the catalogue before the edit
    i18n._texts.clear()
    assert translate("nav.train", "es") == "A entrenar"
    assert compiled.stat().st_mtime >= source.stat().st_mtime


def test_a_translated_choice_shows_its_catalogue_text() -> None:
    from cnnviz.ui.components.choices import short_number, translated

    assert translated("source.{}")("shapes") == translate("source.shapes")
    assert translated("arch.{}.title", blank="—")("") == "—"
    assert translated("inside.channel", placeholder="number")(3) == translate("inside.channel",
                                                                               number=3)
    assert short_number(1e-4) == "0.0001" and short_number(0.5) == "0.5"
