"""Headless sub-commands of ``python -m viewer``.

Each module here defines ``add_parser(subparsers)`` and ``run(args) -> int``. A module is
imported only when its sub-command is used, so starting the GUI or printing the top-level
``--help`` costs none of their imports; still, none may import torch at import time.
"""

#: sub-command name -> module that implements it
COMMANDS = {
    "conv": "viewer.commands.conv",
    "pool": "viewer.commands.pool",
    "resnet": "viewer.commands.resnet",
    "train": "viewer.commands.train",
}

#: one-line summaries for the top-level --help (the module's own parser has the details)
SUMMARIES = {
    "conv": "animate a convolution step by step to a GIF or PNG",
    "pool": "compare max, average and stochastic pooling, to a PNG or GIF",
    "resnet": "export a ResNet layer's feature maps as a PNG mosaic",
    "train": "train a training-lab preset's networks, to curves (PNG, CSV) and weights",
}
