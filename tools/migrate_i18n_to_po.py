"""Move the strings of an ``i18n.py`` MESSAGES dict into the gettext catalogues.

    python tools/migrate_i18n_to_po.py PATH/TO/i18n.py [--locales locales]

MESSAGES maps a key to ``(English, Spanish)``. The key becomes the msgid, English the msgstr of
``locales/en/LC_MESSAGES/cnnviz.po`` and Spanish that of ``locales/es/...``. The file is read,
never imported, so an i18n.py from another branch can be migrated without its imports.

Rerunning it on a newer MESSAGES updates the catalogues in place: entries that MESSAGES does not
hold (the error messages, a translator's additions) are kept where they are, a key of MESSAGES
takes MESSAGES' text (printed when it changed), and a new key is placed right after the key
that precedes it in MESSAGES, so related strings stay together as they do in the dict.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

DOMAIN = "cnnviz"
LANGUAGES = ("en", "es")
SECTION_COMMENT = re.compile(r"^    # (.+)$")
KEY_LINE = re.compile(r'^    "([^"]+)":')
HEADER_COMMENT = (
    "# The messages of cnnviz. To add a language, copy this file to\n"
    "# locales/<code>/LC_MESSAGES/cnnviz.po (a code like pt or pt_BR), set Language: below\n"
    "# and translate every msgstr; keep the {placeholders} as they are.")


def read_messages(path: Path) -> dict[str, tuple[str, str]]:
    """MESSAGES of ``path``, evaluated as a literal (implicitly joined strings included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) else None)
        if isinstance(target, ast.Name) and target.id == "MESSAGES":
            return ast.literal_eval(node.value)
    raise SystemExit(f"{path} defines no MESSAGES dict")


def section_comments(path: Path) -> dict[str, str]:
    """The ``# Section`` comment above the first key of each section, for translators."""
    comments: dict[str, str] = {}
    pending = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := SECTION_COMMENT.match(line):
            pending = match.group(1)
        elif (match := KEY_LINE.match(line)) and pending:
            comments[match.group(1)] = pending
            pending = None
    return comments


def merged_order(existing: list[str], messages: list[str]) -> list[str]:
    """The catalogue's keys in their order, with each new key of ``messages`` inserted after
    the key that precedes it in ``messages`` (at the start when it is the first)."""
    order = list(existing)
    known = set(order)
    previous = None
    for key in messages:
        if key not in known:
            position = order.index(previous) + 1 if previous is not None else 0
            order.insert(position, key)
            known.add(key)
        previous = key
    return order


def update_catalogue(po_path: Path, language: str, texts: dict[str, str],
                     comments: dict[str, str]) -> tuple[int, list[str]]:
    """Write ``po_path`` with ``texts`` merged in; returns (keys added, keys whose text changed)."""
    if po_path.exists():
        with po_path.open("rb") as handle:
            old = read_po(handle, locale=language, domain=DOMAIN)
        entries = {message.id: message for message in old if message.id}
        created = old.creation_date
    else:
        entries, created = {}, datetime.datetime.now(datetime.UTC)
    added = [key for key in texts if key not in entries]
    changed = [key for key in texts if key in entries and entries[key].string != texts[key]]
    catalogue = Catalog(locale=language, domain=DOMAIN, project="cnnviz", version="0.1",
                        header_comment=HEADER_COMMENT, copyright_holder="the cnnviz authors",
                        language_team=language, last_translator="the cnnviz authors",
                        creation_date=created, revision_date=created, fuzzy=False)
    for key in merged_order(list(entries), list(texts)):
        old_message = entries.get(key)
        text = texts.get(key, old_message.string if old_message else "")
        auto_comments = list(old_message.auto_comments) if old_message else []
        if key in comments and not auto_comments:
            auto_comments = [comments[key]]
        catalogue[key] = Message(key, text, auto_comments=auto_comments,
                                 user_comments=list(old_message.user_comments) if old_message
                                 else [])
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False, sort_output=False)
    return len(added), changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("i18n_file", type=Path, help="an i18n.py that defines MESSAGES")
    parser.add_argument("--locales", type=Path, default=Path("locales"),
                        help="the locales folder (default: ./locales)")
    arguments = parser.parse_args(argv)
    messages = read_messages(arguments.i18n_file)
    comments = section_comments(arguments.i18n_file)
    for index, language in enumerate(LANGUAGES):
        texts = {key: pair[index] for key, pair in messages.items()}
        po_path = arguments.locales / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        added, changed = update_catalogue(po_path, language, texts, comments)
        print(f"{po_path}: {added} added, {len(changed)} changed"
              + (f" ({', '.join(changed)})" if changed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
