"""The README's commands exist as written: make targets, headless options, pictures, paths."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from viewer.__main__ import build_parser

ROOT = Path(__file__).resolve().parents[1]
#: the English README and the Chinese one (same commands, same pictures' paths)
README = "\n".join((ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "README.zh-CN.md"))


def _code_blocks() -> list[str]:
    return re.findall(r"```(?:sh)?\n(.*?)```", README, flags=re.S)


def test_every_make_target_named_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))
    named = set(re.findall(r"`make (\w+)", README)) | set(re.findall(r"^make (\w+)", README, flags=re.M))
    assert {"run", "test", "bench"} <= named
    assert named <= targets


def _headless_lines() -> list[str]:
    return [line for block in _code_blocks() for line in block.splitlines() if line.startswith("python -m viewer")]


@pytest.mark.parametrize("line", _headless_lines())
def test_headless_command_options_are_accepted(line):
    words = line.split()[3:]
    command = words[0] if words and not words[0].startswith("-") else None
    parser = build_parser(command)
    if command:
        parser = next(
            action.choices[command] for action in parser._actions if isinstance(action, argparse._SubParsersAction)
        )
    known = {option for action in parser._actions for option in action.option_strings}
    used = {word.strip("[]") for word in words if word.strip("[]").startswith("--")}
    assert used <= known, line


def test_pictures_and_paths_exist():
    for picture in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / picture).is_file(), picture
    for path in re.findall(r"`((?:scripts|viewer|tests|benchmarks|docs)/[\w./]+)`", README):
        assert (ROOT / path).exists(), path
