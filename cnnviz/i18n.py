"""Every string a page shows, read from the gettext catalogues under ``locales/``.

``locales/<code>/LC_MESSAGES/cnnviz.po`` holds one language: the msgid is the key a page asks
for (``train.start``), the msgstr its text with ``{placeholders}``. English is a catalogue like
any other, so a language is added by copying a ``.po`` file, without touching code; the
language list is the locales folder. tests/unit/test_i18n.py checks that every catalogue has every
English key, filled in, with the same placeholders.

Each ``.po`` is compiled with Babel into the ``.mo`` beside it on first use, and again whenever
the ``.po`` is newer: a fresh clone needs no build step, a translator's edit shows on the next
start, and no binary file goes through git (where parallel branches could not merge it).
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "cnnviz"
DEFAULT_LANGUAGE = "en"

# language -> {key: text}, filled on first use of a language; translate() is called thousands of
# times per page run, so after that a lookup is two dict reads.
_texts: dict[str, dict[str, str]] = {}


def catalogue_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def languages() -> dict[str, str]:
    """Code -> the language's own name (``es`` -> ``Español``) for every catalogue under
    ``locales/``, English first."""
    catalogues = LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
    codes = sorted(path.parent.parent.name for path in catalogues)
    codes.sort(key=lambda code: code != DEFAULT_LANGUAGE)
    return {code: own_name(code) for code in codes}


def own_name(code: str) -> str:
    """The language's name in itself, from Babel's locale data (``pt_BR`` -> ``Português
    (Brasil)``); the code itself where Babel does not know it."""
    from babel import Locale, UnknownLocaleError  # Babel loads with the first message only

    try:
        name = Locale.parse(code).get_display_name(code)
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def compiled(language: str) -> Catalog:
    """The language's catalogue, through its ``.mo``: compiled again when missing or older than
    the ``.po``. A read-only checkout compiles in memory instead."""
    from babel.messages.mofile import read_mo, write_mo
    from babel.messages.pofile import read_po

    source = catalogue_path(language)
    binary = source.with_suffix(".mo")
    if binary.exists() and binary.stat().st_mtime >= source.stat().st_mtime:
        with binary.open("rb") as handle:
            return read_mo(handle)
    with source.open("rb") as handle:
        catalogue = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    try:
        _write_atomically(binary, buffer.getvalue())
    except OSError:
        pass  # read-only: the catalogue read from the .po serves this process
    return catalogue


def _write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def texts(language: str) -> dict[str, str]:
    """Key -> text of ``language``; untranslated (empty) entries are left out, so they fall
    back to English."""
    if language not in _texts:
        if language not in languages():
            raise KeyError(f"no catalogue for language {language!r} in {LOCALES_DIR}")
        _texts[language] = {message.id: message.string for message in compiled(language)
                            if message.id and message.string}
    return _texts[language]


def has_message(key: str) -> bool:
    """Whether ``key`` is a message (in the English catalogue, which every other follows)."""
    return key in texts(DEFAULT_LANGUAGE)


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text of ``key`` in ``language`` with ``{placeholders}`` filled in; English where
    that language's catalogue lacks it.

    An unknown key raises ``KeyError``: a missing string is a bug the tests must catch, not
    something to show the user.
    """
    try:
        text = _texts[language][key]
    except KeyError:  # the language's first use, or a key its catalogue lacks
        text = texts(language).get(key) or texts(DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text
