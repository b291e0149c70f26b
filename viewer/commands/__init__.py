"""Headless sub-commands of ``python -m viewer``.

Each module here defines ``add_parser(subparsers)`` and ``run(args) -> int``. Modules must not
import torch at import time, so that ``--help`` stays instant.
"""

#: sub-command name -> module that implements it
COMMANDS = {
    "conv": "viewer.commands.conv",
    "pool": "viewer.commands.pool",
    "resnet": "viewer.commands.resnet",
}
