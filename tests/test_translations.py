"""Every UI string has a real Chinese translation with the same placeholders."""
import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "translations/zh_Hans_CN/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _text(value):
    return value if isinstance(value, str) else value[0]


def test_catalogue_is_complete_and_placeholders_match():
    catalogue = read_po(CATALOGUE.open("rb"))
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 100
    untranslated = [m.id for m in messages if not _text(m.string) or m.fuzzy]
    assert untranslated == []
    mismatched = [m.id for m in messages
                  if sorted(PLACEHOLDER.findall(_text(m.id))) != sorted(PLACEHOLDER.findall(_text(m.string)))]
    assert mismatched == []
    english = [m.id for m in messages
               if not re.search(r"[\u4e00-\u9fff]", _text(m.string)) and re.search(r"[a-z]{4}", PLACEHOLDER.sub("", _text(m.string)))]
    assert english == [], "these translations are still English"


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    from babel.messages.frontend import CommandLineInterface

    root = CATALOGUE.parents[3]
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-k", "_l",
                                "-o", str(pot), str(root)])
    wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    assert len(wanted) > 100
    have = {m.id for m in read_po(CATALOGUE.open("rb")) if m.id}
    assert wanted - have == set(), "run `make messages` and translate the new strings"
