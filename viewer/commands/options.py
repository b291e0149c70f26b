"""How the headless commands read their option values: step ranges, pairs, channels.

Every error names the option it is about, and is a :class:`~viewer.core.errors.UserError`
(one ``error:`` line, exit status 2).
"""

from __future__ import annotations

import math

from viewer.core.errors import UserError
from viewer.core.images import CHANNEL_ALIASES


def parse_steps(text: str, count: int, option: str = "--steps") -> range:
    """``A:B``, ``A:B:S`` (like a Python slice; either end optional) or one step ``N``, within ``count``."""
    try:
        if ":" in text:
            parts = [int(p) if p.strip() else None for p in text.split(":")]
            if len(parts) > 3:
                raise ValueError
            selected = range(count)[slice(*parts)]
        else:
            n = int(text)
            selected = range(count)[n : n + 1] if n >= 0 else range(count)[n:][:1]
    except ValueError:
        raise UserError(f"{option} expects A:B, A:B:S or N (e.g. 0:50), got {text!r}") from None
    if len(selected) == 0:
        raise UserError(f"{option} {text} selects no step: there are {count} steps (0 to {count - 1}).")
    return selected


def parse_pair(text: str, option: str, low: int | None = None, high: int | None = None) -> tuple[int, int]:
    """``"3"`` -> (3, 3); ``"3,5"`` or ``"3x5"`` -> (3, 5); each within ``low``..``high`` when given."""
    parts = text.replace("x", ",").split(",")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise UserError(f"{option} expects an integer or two separated by a comma, got {text!r}") from None
    if len(values) not in (1, 2):
        raise UserError(f"{option} expects one or two integers, got {text!r}")
    for value in values:
        within(value, option, low, high)
    return (values[0], values[-1])


def within(value: int, option: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` if it lies in ``low``..``high`` (either end optional), else a sentence naming ``option``."""
    if low is not None and high is not None and not low <= value <= high:
        raise UserError(f"{option} must be between {low} and {high}, got {value}")
    if low is not None and value < low:
        raise UserError(f"{option} must be at least {low}, got {value}")
    if high is not None and value > high:
        raise UserError(f"{option} must be at most {high}, got {value}")
    return value


def finite(value: float, option: str, *, positive: bool = False) -> float:
    """``value`` if it is a finite number (and positive, when asked), else a sentence naming ``option``."""
    if not math.isfinite(value) or (positive and value <= 0):
        kind = "a positive number" if positive else "a finite number"
        raise UserError(f"{option} must be {kind}, got {value:g}")
    return value


def channel(text: str) -> str:
    """An image channel name for argparse's ``type=``: one of :data:`CHANNELS` (or an alias)."""
    return CHANNEL_ALIASES.get(text, text)
