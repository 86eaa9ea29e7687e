"""How a choice's options are shown: the ``format_func`` every page passes its widgets."""

from __future__ import annotations

from collections.abc import Callable

from cnnviz.ui.i18n import t


def translated(template: str, blank: str | None = None,
               placeholder: str | None = None) -> Callable[[object], str]:
    """Options that are parts of catalogue keys: option ``x`` shows as
    ``t(template.format(x))`` (``translated("source.{}")``), read in the page's language each
    time it is drawn. With ``blank``, an empty option (``""``, ``None``) shows ``blank``; with
    ``placeholder``, ``template`` is one key whose ``{placeholder}`` the option fills
    (``translated("inside.channel", placeholder="number")``)."""
    def label(option: object) -> str:
        if blank is not None and not option:
            return blank
        if placeholder is not None:
            return t(template, **{placeholder: option})
        return t(template.format(option))
    return label


def short_number(value: float) -> str:
    """A rate or a weight as it is typed: ``0.0001`` shows as ``1e-04``, ``0.5`` as ``0.5``."""
    return f"{value:g}"
