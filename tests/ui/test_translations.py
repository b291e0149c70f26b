"""The Chinese translation: complete, current, compiled, faithful to the glossary's terms.

The .ts file is parsed as XML; Qt's own lupdate and lrelease (as ``make translations`` runs
them) check that no string of the code is missing and that the committed .qm is the .ts compiled.
"""

from __future__ import annotations

import ast
import filecmp
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import translations  # noqa: E402  (scripts/translations.py: the one place that runs the tools)

TS = translations.ts_path("zh_CN")
GLOSSARY = ROOT / "docs" / "glossary.md"

#: Translations equal to their English source on purpose: names, units, formulas.
SAME_AS_SOURCE = {
    "ResNet50", "CNN Viewer", "Sobel x", "Sobel y", "Prewitt x", "Prewitt y", "{0} %",
    "Σ p<sub>i</sub>a<sub>i</sub>", "out = ⌊(n + 2p − k) / s⌋ + 1",
}
#: ``{}``, ``{0}``, ``{1:.4g}``, ``{name}``, ``%1``; and HTML tags, which carry layout and colour.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d+|%n")
TAG = re.compile(r"<[^>]+>")


def messages(path: Path = TS) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message of ``path``."""
    found = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.append((name, message.findtext("source") or "", message.find("translation")))
    return found


def glossary() -> list[tuple[str, str]]:
    """(English term, Chinese term) rows of docs/glossary.md's table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and cells[0] not in ("English", "") and not set(cells[0]) <= {"-"}:
            rows.append((cells[0], cells[1]))
    return rows


def test_there_are_translations_and_all_are_finished():
    found = messages()
    assert len(found) > 400
    unfinished = [(ctx, src) for ctx, src, tr in found if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete")]
    assert unfinished == []
    empty = [(ctx, src) for ctx, src, tr in found if not (tr.text or "").strip()]
    assert empty == []


def test_lupdate_finds_nothing_new_or_gone(tmp_path):
    """Every string of the code is in the .ts: lupdate, run over the sources, changes nothing."""
    copy = tmp_path / TS.name
    shutil.copyfile(TS, copy)
    summary = translations.lupdate(copy)
    assert "(0 new and" in summary, summary
    assert copy.read_bytes() == TS.read_bytes(), "run `make translations` and translate the new strings"


def test_the_committed_qm_is_the_ts_compiled(tmp_path):
    compiled = tmp_path / "compiled.qm"
    translations.lrelease(TS, compiled)
    assert filecmp.cmp(compiled, TS.with_suffix(".qm"), shallow=False), "run `make translations`"


def test_placeholders_and_tags_are_kept():
    wrong = []
    for ctx, src, tr in messages():
        text = tr.text or ""
        for pattern in (PLACEHOLDER, TAG):
            if Counter(pattern.findall(src)) != Counter(pattern.findall(text)):
                wrong.append((ctx, src, text))
    assert wrong == []


def test_no_translation_is_its_source_but_the_deliberate_ones():
    same = sorted({src for _ctx, src, tr in messages() if tr.text == src} - SAME_AS_SOURCE)
    assert same == []
    stale = SAME_AS_SOURCE - {src for _ctx, src, _tr in messages()}
    assert stale == set(), "strings no longer in the code: drop them from SAME_AS_SOURCE"


def test_mnemonics_are_kept():
    """A menu's ``&F`` becomes ``文件(&F)``: the accelerator survives the translation."""
    lost = [(src, tr.text) for _ctx, src, tr in messages() if re.search(r"&\w", src) and not re.search(r"&\w", tr.text or "")]
    assert lost == []


def test_the_glossary_is_read():
    terms = dict(glossary())
    assert terms["kernel"] == "卷积核" and terms["bottleneck"] == "瓶颈结构" and len(terms) >= 20


@pytest.mark.parametrize("english, chinese", glossary())
def test_the_translation_uses_the_glossary_term(english, chinese):
    """Every string whose source has the term (a word, any case, with any ending: "max pool" covers
    "max pooling", "batch norm" "batch normalisation") has its Chinese term."""
    term = re.compile(r"\b" + re.escape(english).replace(r"\ ", r"[ -]") + r"\w*", re.IGNORECASE)
    missing = [(src, tr.text) for _ctx, src, tr in messages() if term.search(TAG.sub(" ", src)) and chinese not in (tr.text or "")]
    assert missing == []


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and (getattr(node.func, "attr", None) == name or getattr(node.func, "id", None) == name)]


def test_lupdate_can_read_every_translation_call():
    """lupdate reads literals only: a context in a variable, or ``tr`` under another name (a
    wrapper, ``tr = self.tr``), puts a string where the app never looks it up."""
    unreadable = []
    for path in translations.source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT).as_posix()
        for call in _calls(tree, "translate") + _calls(tree, "QT_TRANSLATE_NOOP"):
            literal_text = len(call.args) > 1 and isinstance(call.args[1], ast.Constant)
            if literal_text and not isinstance(call.args[0], ast.Constant):  # (a lookup of a marked text may pass both on)
                unreadable.append(f"{where}:{call.lineno} context is not a literal")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("tr", "_tr"):
                unreadable.append(f"{where}:{node.lineno} {node.func.id}() is not seen by lupdate")
    assert unreadable == []


def test_no_base_class_translates_with_self_tr():
    """``self.tr`` looks a string up under the runtime class's name, lupdate files it under the
    defining class: a class that others subclass uses QCoreApplication.translate instead."""
    classes, subclassed = {}, set()
    for path in sorted((ROOT / "viewer" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                classes[node.name] = node
                subclassed |= {getattr(base, "id", getattr(base, "attr", "")) for base in node.bases}
    offenders = [name for name in subclassed & set(classes)
                 if any(isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
                        and call.func.value.id == "self" for call in _calls(classes[name], "tr"))]
    assert "Page" in subclassed and offenders == []
