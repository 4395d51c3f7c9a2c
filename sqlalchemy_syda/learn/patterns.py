"""String templates learned from values ("pattern-based generation").

A value is cut into runs of upper-case letters, lower-case letters and digits, and single other
characters; runs at the same place of values of the same shape form one token. A token is a literal
(``INV-``), a choice among a few frequent values (a year, a prefix) or a character class with learned
lengths (``[0-9]{6}``, never starting with 0 when no value does). Up to four shapes that together cover
most values make the template; codes, phone numbers and postcodes come out in their own format, with
new characters, never a copied value::

    >>> numbers = pd.Series(["INV-2024-000123", "INV-2023-004711", "INV-2024-019283", "INV-2024-120034",
    ...                      "INV-2023-553201", "INV-2024-700125", "INV-2023-310004", "INV-2024-001122"])
    >>> params = fit_pattern(numbers, rare=3)
    >>> describe(params)
    'INV-{2024|2023}-[0-9]{6}'
    >>> describe(fit_pattern(numbers))              # 2023 seen fewer than rare=5 times: a digit class
    'INV-[0-9]{4}-[0-9]{6}'
    >>> from sqlalchemy_syda.generators.base import GenContext
    >>> from sqlalchemy_syda.streams import Stream
    >>> stream = Stream.root(1)
    >>> TemplateStrings(params).generate(GenContext(stream.child("number"), stream), np.arange(3)).tolist()
    ['INV-2023-332744', 'INV-2024-077405', 'INV-2023-978939']
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from ..generators.base import GenContext, Generator, call_repr
from ..generators.strings import ascii_text, concat

__all__ = ["TemplateStrings", "describe", "fit_pattern"]

_RUN = re.compile(r"[A-Z]+|[a-z]+|[0-9]+|.", re.S)
_CLASSES = {"A": b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "a": b"abcdefghijklmnopqrstuvwxyz", "9": b"0123456789"}
_SHOWN = {"A": "[A-Z]", "a": "[a-z]", "9": "[0-9]"}
_MAX_SHAPES = 4
_MAX_TOKENS = 16
_MAX_CHOICES = 24


def _class(run: str) -> str:
    c = run[0]
    if "A" <= c <= "Z":
        return "A"
    if "a" <= c <= "z":
        return "a"
    if "0" <= c <= "9":
        return "9"
    return "="  # a literal character


def _shape(value: str) -> tuple[tuple[str, ...], list[str]]:
    runs = _RUN.findall(value)
    return tuple(_class(r) if _class(r) != "=" else "=" + r for r in runs), runs


def fit_pattern(values: pd.Series, rare: int = 5, coverage: float = 0.9) -> dict[str, Any] | None:
    """A template for the strings in ``values``, or None when they do not share a few shapes."""
    texts = [v for v in values.dropna().tolist() if isinstance(v, str) and v]
    if len(texts) < max(rare, 2):
        return None
    by_shape: dict[tuple[str, ...], list[list[str]]] = {}
    for text in texts:
        shape, runs = _shape(text)
        if len(shape) > _MAX_TOKENS:
            return None
        by_shape.setdefault(shape, []).append(runs)
    ranked = sorted(by_shape.items(), key=lambda item: -len(item[1]))
    kept, covered = [], 0
    for shape, members in ranked[:_MAX_SHAPES]:
        if len(members) < rare or not any(not s.startswith("=") for s in shape):
            break
        kept.append((shape, members))
        covered += len(members)
    if not kept or covered < coverage * len(texts):
        return None
    templates = [{"share": len(m) / covered, "tokens": _tokens(shape, m, rare)} for shape, m in kept]
    return {"templates": templates}


def _tokens(shape: tuple[str, ...], members: list[list[str]], rare: int) -> list[dict[str, Any]]:
    tokens: list[dict[str, Any]] = []
    for pos, cls in enumerate(shape):
        if cls.startswith("="):
            _literal(tokens, cls[1:])
            continue
        runs = [m[pos] for m in members]
        counts = Counter(runs)
        if len(counts) == 1:
            _literal(tokens, runs[0])
        elif len(counts) <= _MAX_CHOICES and min(counts.values()) >= rare:
            ranked = counts.most_common()
            tokens.append({"choice": [v for v, _ in ranked], "weights": [c / len(runs) for _, c in ranked]})
        else:
            lengths = Counter(len(r) for r in runs)
            token: dict[str, Any] = {"chars": cls, "lengths": sorted(lengths),
                                     "weights": [lengths[k] / len(runs) for k in sorted(lengths)]}
            if cls == "9" and all(r[0] != "0" for r in runs if len(r) > 1):
                token["lead"] = "nonzero"
            tokens.append(token)
    return tokens


def _literal(tokens: list[dict[str, Any]], text: str) -> None:
    if tokens and "literal" in tokens[-1]:
        tokens[-1]["literal"] += text
    else:
        tokens.append({"literal": text})


def describe(params: dict[str, Any]) -> str:
    """The template as text: ``INV-{2023|2024}-[0-9]{6}`` (shapes joined by `` | ``)."""
    parts = []
    for template in params["templates"]:
        text = ""
        for token in template["tokens"]:
            if "literal" in token:
                text += token["literal"]
            elif "choice" in token:
                text += "{" + "|".join(token["choice"][:4]) + ("|..." if len(token["choice"]) > 4 else "") + "}"
            else:
                lengths = token["lengths"]
                span = str(lengths[0]) if len(lengths) == 1 else f"{lengths[0]},{lengths[-1]}"
                text += f"{_SHOWN[token['chars']]}{{{span}}}"
        parts.append(text)
    return " | ".join(parts)


class TemplateStrings(Generator):
    """Strings following a learned template (see :func:`fit_pattern`)."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.templates = params["templates"]
        self.shares = np.array([t["share"] for t in self.templates], dtype=np.float64)
        self._repr = call_repr("template", describe(params))

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        out = np.empty(len(rows), dtype=object)
        which = ctx.stream.child("template").choice(rows, len(self.templates), self.shares) \
            if len(self.templates) > 1 else np.zeros(len(rows), dtype=np.int64)
        for t, template in enumerate(self.templates):
            hit = np.flatnonzero(which == t)
            if len(hit):
                out[hit] = self._build(ctx, rows[hit], template["tokens"], t)
        return out

    def _build(self, ctx: GenContext, rows: np.ndarray, tokens: list[dict[str, Any]], t: int) -> np.ndarray:
        parts: list[Any] = []
        for k, token in enumerate(tokens):
            stream = ctx.stream.child("token", t, k)
            if "literal" in token:
                parts.append(token["literal"])
            elif "choice" in token:
                values = np.array(token["choice"], dtype=object)
                parts.append(values[stream.choice(rows, len(values), np.asarray(token["weights"]))])
            else:
                parts.append(_chars(stream, rows, token))
        if not any(isinstance(p, np.ndarray) for p in parts):
            out = np.empty(len(rows), dtype=object)
            out[:] = "".join(parts)
            return out
        return concat(*parts)


def _chars(stream, rows: np.ndarray, token: dict[str, Any]) -> np.ndarray:
    """Random characters of the token's class, each row of one of the learned lengths."""
    lengths = np.asarray(token["lengths"], dtype=np.int64)
    length = lengths[stream.choice(rows, len(lengths), np.asarray(token["weights"]))] if len(lengths) > 1 \
        else np.full(len(rows), lengths[0])
    width = int(lengths.max())
    alphabet = np.frombuffer(_CLASSES[token["chars"]], dtype=np.uint8)
    codes = np.zeros((len(rows), width), dtype=np.uint8)
    for pos in range(width):
        if pos == 0 and token.get("lead") == "nonzero":
            codes[:, 0] = alphabet[1 + stream.integers(rows, 0, len(alphabet) - 1, salt=1)]
        else:
            codes[:, pos] = alphabet[stream.integers(rows, 0, len(alphabet), salt=pos + 1)]
    codes[np.arange(width)[None, :] >= length[:, None]] = 0  # NUL code points end a numpy 'U' string
    return ascii_text(codes).astype(object)
