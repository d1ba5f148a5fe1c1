"""JSON text exactly as `json.dumps(document, ensure_ascii=False, indent=N)` writes it, only faster.

In: a JSON-serialisable document (dicts, lists, str, int, float, bool, None) and the indent.
Out: the text.

With an indent, the standard library encodes in Python, piece by piece: over a second for the province's
downloads and changelogs. Here each container whose items are all scalars, and each list of such dicts (a
table's rows), is encoded in one call to the C encoder, with the line break and indent as its item separator
(an encoded string never holds a line break or any other control character, so the separators can be told
apart from the values); tests/test_jsontext.py compares with json.dumps.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

_MARKED = json.JSONEncoder(ensure_ascii=False, separators=("\x00", "\x01"))  # item, key
_SCALARS = (str, int, float, type(None))  # bool is an int


def all_scalars(values: Iterable[object]) -> bool:
    return all(issubclass(kind, _SCALARS) for kind in set(map(type, values)))


def _flat_dict(document: object) -> bool:
    return type(document) is dict and all_scalars(document.values())


def _flat_dicts(documents: Sequence[Any]) -> bool:
    return all(type(document) is dict for document in documents) and all_scalars(
        chain.from_iterable(document.values() for document in documents)
    )


def scalars(values: list) -> list[str]:
    """Each of these scalars (str, int, float, bool or None) as json writes it, encoded together."""
    return _MARKED.encode(values)[1:-1].split("\x00") if values else []


def key(name: object) -> str:
    """A dict key as json writes it (numbers, booleans and None become strings)."""
    return _MARKED.encode({name: None})[1:-6]


@functools.cache
def _lines(inner: str) -> json.JSONEncoder:
    """The C encoder, with a line break and the indent `inner` between items, as json.dumps indents them."""
    return json.JSONEncoder(ensure_ascii=False, separators=("," + inner, ": "))


def _dict(document: dict, indent: int, level: int, out: list[str]) -> None:
    inner, outer = "\n" + " " * (indent * (level + 1)), "\n" + " " * (indent * level)
    if not document:
        out.append("{}")
    elif _flat_dict(document):
        out += ["{", inner, _lines(inner).encode(document)[1:-1], outer, "}"]
    else:
        out.append("{")
        for number, (name, value) in enumerate(document.items()):
            out += ["," + inner if number else inner, key(name), ": "]
            _write(value, indent, level + 1, out)
        out += [outer, "}"]


def _list(document: list | tuple, indent: int, level: int, out: list[str]) -> None:
    inner, outer = "\n" + " " * (indent * (level + 1)), "\n" + " " * (indent * level)
    if not document:
        out.append("[]")
    elif all_scalars(document):
        out += ["[", inner, _lines(inner).encode(list(document))[1:-1], outer, "]"]
    elif _flat_dicts(document) and all(document):
        # Encoded with the rows' members' indent: between two rows, that reads },<deeper>{ (inside a row the
        # separator is followed by a key's quote, and a string holds no line break).
        deeper = "\n" + " " * (indent * (level + 2))
        rows = (
            _lines(deeper)
            .encode(list(document))[2:-2]
            .replace("}," + deeper + "{", inner + "}," + inner + "{" + deeper)
        )
        out += ["[", inner, "{", deeper, rows, inner, "}", outer, "]"]
    else:
        out.append("[")
        for number, item in enumerate(document):
            out.append("," + inner if number else inner)
            _write(item, indent, level + 1, out)
        out += [outer, "]"]


def _write(document: object, indent: int, level: int, out: list[str]) -> None:
    if isinstance(document, dict):
        _dict(document, indent, level, out)
    elif isinstance(document, (list, tuple)):
        _list(document, indent, level, out)
    else:
        out.append(_MARKED.encode(document))


def text(document: object, indent: int = 1, level: int = 0) -> str:
    """json.dumps(document, ensure_ascii=False, indent=indent), for an int indent of at least 1; `level` is
    the depth it is written at inside a larger document."""
    out: list[str] = []
    _write(document, indent, level, out)
    return "".join(out)
