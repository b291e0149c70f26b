"""Errors whose message is written for the user, not for a developer.

The UI shows ``str(error)`` of a :class:`UserError` in a dialog or inline; the headless
commands print it as one line and exit with status 2. Anything else that escapes is a bug,
and is reported as one.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user asked for cannot be done; the message says why and what to do."""


class ImageLoadError(UserError):
    """An image file could not be read or is not acceptable (too large, not an image...)."""


class InvalidSettingError(UserError, ValueError):
    """A combination of hyperparameters that cannot work (e.g. an output smaller than 1)."""


class Cancelled(Exception):
    """Work stopped early because its ``cancelled()`` callback said so: a newer request won,
    or the user pressed Cancel. Nothing it would have produced is wanted."""
