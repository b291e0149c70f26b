"""What a model asks its page to do: run a job in the background, or explain a refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, eq=False)
class Job:
    """Background work: ``function(*args)``, run by the page in a worker (the newest wins).

    ``function`` may take the keywords ``cancelled`` and ``progress`` (see
    the UI's ``LatestRunner``); :meth:`run` calls it here, for tests and small inputs.
    """

    function: Callable
    args: tuple = field(default=())
    description: str = ""
    """What the job computes, for the status bar (``""``: say nothing)."""

    def run(self, **keywords):
        """Run the job on this thread (``cancelled``/``progress`` as the worker would pass them)."""
        return self.function(*self.args, **keywords)


@dataclass(frozen=True)
class Refusal:
    """A request that cannot be carried out, and the sentence that says why."""

    message: str
