"""Every letter's text against its golden file (tests/golden/): a change of wording is a visible diff.

After an intended change: ``make golden`` (or ``python tests/golden_letters.py --bijwerken``),
then read the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import difflib

import pytest

from debiteuren.letters.context import KINDS
from golden_letters import DEBTOR_KINDS, GOLDEN_DIR, LANGUAGES, applies, golden_name, rendered_texts

EXPECTED = sorted(
    golden_name(kind, language, debtor_kind)
    for kind in KINDS
    for language in LANGUAGES
    for debtor_kind in DEBTOR_KINDS
    if applies(kind, debtor_kind)
)
REGENERATE = "regenerate with `make golden` (python tests/golden_letters.py --bijwerken) and review the diff"


@pytest.fixture(scope="module")
def texts():
    return rendered_texts()


def test_every_kind_language_and_kind_of_debtor_has_a_golden_text(texts):
    assert sorted(texts) == EXPECTED
    assert sorted(path.name for path in GOLDEN_DIR.glob("*.txt")) == EXPECTED, REGENERATE


@pytest.mark.parametrize("name", EXPECTED)
def test_letter_text_is_its_golden_text(name, texts):
    golden = (GOLDEN_DIR / name).read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(golden.splitlines(True), texts[name].splitlines(True), f"golden/{name}", "rendered now")
    )
    if texts[name] != golden:
        pytest.fail(f"{name} differs from its golden text; {REGENERATE}:\n{diff}", pytrace=False)
