"""Every visible string exists in English and Spanish, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from cnnviz.analysis.run_table import COLUMNS
from cnnviz.datasets.spec import FILE_SOURCES, FLIP_MODES, SOURCES
from cnnviz.i18n import MESSAGES, translate
from cnnviz.models.blocks_table import BLOCK_COLUMNS
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.presets import TRAINING_PRESETS
from cnnviz.runs import ACTIVE_STATES, ENDED_STATES
from cnnviz.training.config import SCHEDULES

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "cnnviz" / "ui").glob("*.py")]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_are_filled_with_the_same_placeholders(key: str) -> None:
    english, spanish = MESSAGES[key]
    assert english.strip() and spanish.strip()
    assert placeholders(english) == placeholders(spanish)


def test_every_key_used_by_a_page_exists() -> None:
    static = set()
    for path in UI_FILES:
        static |= set(re.findall(r'\bt\("([^"]+)"', path.read_text()))
    missing = sorted(key for key in static if key not in MESSAGES)
    assert static and missing == []


def test_every_templated_key_exists() -> None:
    expected = (
        [f"source.{source}" for source in SOURCES]
        + [f"source.{source}.about" for source in SOURCES]
        + [f"arch.{key}.{part}" for key in ARCHITECTURES for part in ("title", "about")]
        + [f"state.{state}" for state in ACTIVE_STATES + ENDED_STATES]
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
    assert sorted(key for key in expected if key not in MESSAGES) == []


def test_translate_fills_placeholders_and_refuses_unknown_keys() -> None:
    assert translate("sidebar.device", "es", device="CPU") == "Dispositivo: CPU"
    assert translate("nav.train", "en") == "Train"
    with pytest.raises(KeyError):
        translate("no.such.key")
