"""JSON round-trip for the frozen dataclasses that describe datasets, models and training.

A run folder stores its specs as JSON; rebuilding them must give back equal objects, so lists
become tuples again and nested specs are rebuilt from their own type hints.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, TypeVar

from cnnviz.errors import InvalidSpecError

SpecT = TypeVar("SpecT")


def spec_to_dict(spec: Any) -> dict[str, Any]:
    """A plain dict of the spec, nested specs included, ready for ``json.dumps``."""
    return dataclasses.asdict(spec)


def spec_to_json(spec: Any) -> str:
    """The spec as stable, sorted JSON text (the same spec always gives the same text)."""
    return json.dumps(spec_to_dict(spec), sort_keys=True)


def spec_from_dict(cls: type[SpecT], data: dict[str, Any]) -> SpecT:
    """Rebuild a spec of type ``cls`` from :func:`spec_to_dict` output.

    Unknown keys are an error rather than silently dropped: a run written by a newer version
    should say so, not load with different settings.
    """
    if not isinstance(data, dict):
        raise InvalidSpecError(
            "error.specs.expects_json_object_got", spec=cls.__name__,
            kind=type(data).__name__)
    hints = typing.get_type_hints(cls)
    names = {field.name for field in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise InvalidSpecError(
            "error.specs.no_setting_s", spec=cls.__name__,
            unknown=', '.join(sorted(unknown)))
    values = {name: _convert(hints[name], value) for name, value in data.items()}
    return cls(**values)


def spec_from_json(cls: type[SpecT], text: str) -> SpecT:
    """Rebuild a spec of type ``cls`` from :func:`spec_to_json` text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidSpecError(
            "error.specs.not_valid_json", spec=cls.__name__, error=error) from error
    return spec_from_dict(cls, data)


def _convert(hint: Any, value: Any) -> Any:
    """Turn a JSON value back into the Python type named by ``hint``."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return spec_from_dict(hint, value)
    if origin is tuple and isinstance(value, (list, tuple)):
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item) for item in value)
        if args:
            return tuple(_convert(arg, item) for arg, item in zip(args, value, strict=True))
        return tuple(value)
    return value
