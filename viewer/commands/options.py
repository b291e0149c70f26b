"""How the headless commands read their option values: step ranges, pairs, channels.

Every error names the option it is about, and is a :class:`~viewer.core.errors.UserError`
(one ``error:`` line, exit status 2).
"""

from __future__ import annotations

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


def parse_pair(text: str, option: str) -> tuple[int, int]:
    """``"3"`` -> (3, 3); ``"3,5"`` or ``"3x5"`` -> (3, 5)."""
    parts = text.replace("x", ",").split(",")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise UserError(f"{option} expects an integer or two separated by a comma, got {text!r}") from None
    if len(values) == 1:
        return (values[0], values[0])
    if len(values) == 2:
        return (values[0], values[1])
    raise UserError(f"{option} expects one or two integers, got {text!r}")


def channel(text: str) -> str:
    """An image channel name for argparse's ``type=``: one of :data:`CHANNELS` (or an alias)."""
    return CHANNEL_ALIASES.get(text, text)
