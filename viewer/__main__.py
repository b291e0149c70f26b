"""Command line: opens the app, or runs a headless command.

    python -m viewer                              open the app on a bundled sample
    python -m viewer --image PHOTO.jpg            open the app on an image
    python -m viewer --screenshot OUT.png ...     render a page offscreen to a PNG and exit
    python -m viewer --lessons                    list the lessons (an id and a title per line)
    python -m viewer --lesson ID                  open a lesson (with --screenshot: render it)
    python -m viewer --session FILE               open a saved session (with --screenshot: render it)
    python -m viewer --lang zh_CN                 the app in Simplified Chinese (or en)
    python -m viewer conv|pool|resnet ...         headless exports (see their --help)

Headless commands never print a traceback: a problem is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from viewer.commands import COMMANDS, SUMMARIES
from viewer.core.i18n import LANGUAGES
from viewer.pages import PAGE_IDS

log = logging.getLogger("viewer")


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return width, height


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit status 2).

    argparse prints the whole usage block before the message; the headless commands promise
    exactly one line. Sub-command parsers inherit the class (``add_subparsers`` uses it).
    """

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s module is imported (the others are listed by name)."""
    parser = OneLineErrorParser(
        prog="cnn-viewer",
        description="Teach and inspect convolutional neural networks: convolution step by step, "
        "pooling side by side, ResNet50 stage by stage.",
    )
    parser.add_argument("--image", metavar="PATH", help="image file to open, or a bundled sample name such as cat (default: the astronaut photo)")
    parser.add_argument("--page", choices=PAGE_IDS, help="page to show first (default: the last one used)")
    parser.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="render the window offscreen once the page has finished computing, save it as PNG and exit",
    )
    parser.add_argument(
        "--size", type=_size, default=None, metavar="WxH", help="window size for --screenshot (default 1400x900)"
    )
    parser.add_argument("--lessons", action="store_true", help="list the lessons, an id and a title per line, and exit")
    parser.add_argument("--lesson", metavar="ID",
                        help="open a lesson: its page with its settings, and the Lessons panel (see --lessons)")
    parser.add_argument("--session", metavar="FILE",
                        help="open a session saved with File > Save session (the image and every page's settings)")
    parser.add_argument(
        "--lang",
        choices=tuple(LANGUAGES),
        default=None,
        help="language of the window and --screenshot (default: the one chosen in View > Language, else the system's)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    for name, module_name in COMMANDS.items():
        if name != command:
            subparsers.add_parser(name, help=SUMMARIES.get(name, ""), add_help=False)
            continue
        importlib.import_module(module_name).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m viewer`` and the ``cnn-viewer`` script."""
    from viewer.core.errors import UserError

    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    args = parser.parse_args(argv)
    headless = bool(args.command or args.screenshot)
    if args.lessons or args.lesson:
        from viewer.models.lessons import LESSON_IDS, LESSONS  # not loaded by the headless commands

        if args.lesson is not None and args.lesson not in LESSON_IDS:
            parser.error(f"argument --lesson: there is no lesson {args.lesson!r} (python -m viewer --lessons lists them)")
        if args.lessons:
            for item in LESSONS:
                print(f"{item.lesson_id}\t{item.title}")
            return 0
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command:
            module = importlib.import_module(COMMANDS[args.command])
            return int(module.run(args) or 0)
        from viewer.ui.app import run_gui, take_screenshot

        if args.screenshot:
            return take_screenshot(args.screenshot, page=args.page, image=args.image, size=args.size,
                                   lesson=args.lesson, session=args.session, language=args.lang)
        return run_gui(page=args.page, image=args.image, lesson=args.lesson, session=args.session,
                       language=args.lang)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - headless commands promise one line, no traceback
        if not headless:
            raise
        log.debug("unexpected error", exc_info=True)
        print(f"error: unexpected {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
