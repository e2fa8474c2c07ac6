"""The monthly review in a real browser: Voilà serves notebooks/maandreview.ipynb, Chromium drives it.

Uses Debian's chromium (/usr/bin/chromium, `apt-get install chromium`) through the
Playwright Python package; never a browser downloaded by Playwright. Skipped, with
the reason, when chromium, playwright or voila is missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from bank_statements import demo_month
from debiteuren.bank import import_bank
from debiteuren.bank.commands import PROPOSAL_HEADERS
from debiteuren.demo_register import DEMO_PEILDATUM
from debiteuren.monthly_run import run_month
from debiteuren.register import read_register

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("DEBITEUREN_CHROMIUM", "/usr/bin/chromium"))
# Set DEBITEUREN_SCREENSHOTS=docs/img to refresh the user guide's screenshots.
SCREENSHOTS = os.environ.get("DEBITEUREN_SCREENSHOTS")
# Quiet Chromium: no sandbox as root, and no background calls to a network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
VOILA = Path(sys.executable).with_name("voila")

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"geen chromium op {CHROMIUM} (Debian: apt-get install chromium)"),
    pytest.mark.skipif(not VOILA.exists(), reason="voila is niet geïnstalleerd (pip install voila)"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is niet geïnstalleerd (pip install playwright)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """One Voilà server for the module (each page load gets its own kernel) on a copy of the demo register."""
    tmp_path = tmp_path_factory.mktemp("voila")
    register = tmp_path / "debiteuren.xlsx"
    shutil.copyfile(ROOT / "workbook" / "debiteuren.xlsx", register)
    port = free_port()
    env = dict(os.environ, DEBITEUREN_WERKMAP=str(register), DEBITEUREN_PEILDATUM=DEMO_PEILDATUM.isoformat())
    log = open(tmp_path / "voila.log", "wb")
    process = subprocess.Popen(
        [str(VOILA), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}", str(ROOT / "notebooks" / "maandreview.ipynb")],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("Voilà kwam niet op: " + (tmp_path / "voila.log").read_text(errors="replace"))
        yield url, register
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_monthly_review_in_chromium_makes_a_letter(voila, tmp_path):
    url, register = voila
    run = run_month(register, DEMO_PEILDATUM, generated_at=datetime(2026, 11, 2, 9, 30), write=False)
    letter = next(s for s in run.review.plan.due() if s.action == "Betalingsherinnering")
    before = len(run.register.actions)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        shots = []
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, timeout=120_000)
            page.get_by_text("Maandreview debiteuren").wait_for(timeout=120_000)
            page.get_by_text("Openstaand", exact=True).first.wait_for(timeout=60_000)
            shots.append(tmp_path / "maandreview-overzicht.png")
            page.screenshot(path=str(shots[-1]), full_page=True)
            page.get_by_role("tab", name="Actielijst en brieven").click()
            row = page.locator(".widget-hbox").filter(has_text=letter.name).filter(has_text=letter.action)
            row.locator("input[type=checkbox]").first.check()
            page.get_by_role("button", name="Brieven maken en vastleggen").click()
            page.get_by_text("1 brief gemaakt in").wait_for(timeout=120_000)
            shots.append(tmp_path / "maandreview-brieven.png")
            page.screenshot(path=str(shots[-1]), full_page=True)
        finally:
            browser.close()
    for shot in shots:
        assert shot.read_bytes().startswith(b"\x89PNG")
        if SCREENSHOTS:
            shutil.copyfile(shot, ROOT / SCREENSHOTS / shot.name)
    actions = read_register(register).actions
    assert len(actions) == before + 1
    assert (actions.iloc[-1]["debtor_id"], actions.iloc[-1]["kind"]) == (letter.debtor_id, letter.action)
    assert list((register.parent / "brieven").rglob("*.docx"))


def test_import_tab_in_chromium_uploads_a_statement_and_books_it(voila, tmp_path):
    url, _ = voila
    october = demo_month(tmp_path)  # the demo as of 30 September and its October payments as CAMT.053
    register = october.register
    expected = import_bank(register, october.statement, apply=False, generated_at=datetime(2026, 11, 2, 9, 30))
    ready = len(expected.applied)
    assert ready >= 0.8 * len(expected.proposals)
    before = read_register(register).payments
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        shot = tmp_path / "maandreview-importeren.png"
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, timeout=120_000)
            page.get_by_text("Openstaand", exact=True).first.wait_for(timeout=120_000)
            # The controller chooses another register at the top of the review and reads it in.
            page.get_by_label("Register (pad naar .xlsx)").fill(str(register))
            page.get_by_role("button", name="Inlezen").click()
            page.get_by_text(str(register), exact=True).wait_for(timeout=120_000)
            page.get_by_role("tab", name="Importeren").click()
            # FileUpload makes its <input type=file> only when clicked: catch the file chooser it opens.
            with page.expect_file_chooser(timeout=30_000) as chooser:
                page.get_by_role("button", name="Bestand uploaden").click()
            chooser.value.set_files(str(october.statement))
            page.get_by_text(f"Geüpload: {october.statement.name} (gaat voor het pad)").wait_for(timeout=60_000)
            untouched = hashlib.sha256(register.read_bytes()).hexdigest()
            page.get_by_role("button", name="Voorstellen tonen").click()
            table = page.locator("table.debiteuren-tabel").filter(has_text="Betrouwbaarheid")
            table.wait_for(timeout=120_000)
            assert table.locator("tbody tr").count() == len(expected.proposals)
            assert table.locator("thead th").all_inner_texts() == list(PROPOSAL_HEADERS)
            page.get_by_text(f"Bankafschrift {october.statement.name} (CAMT.053").wait_for(timeout=10_000)
            page.get_by_text(f"{ready} voorstel(len) met betrouwbaarheid 'hoog'").wait_for(timeout=10_000)
            assert hashlib.sha256(register.read_bytes()).hexdigest() == untouched  # a preview writes nothing
            # The user guide's picture: the tab bar at the top, so more proposals show.
            page.get_by_role("tab", name="Importeren").evaluate("tab => tab.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(shot), full_page=True)
            page.get_by_role("button", name="Toepassen").click()
            page.get_by_text(f"{ready} regels toegevoegd aan het blad 'Betalingen'.").wait_for(timeout=120_000)
        finally:
            browser.close()
    assert shot.read_bytes().startswith(b"\x89PNG")
    if SCREENSHOTS:
        shutil.copyfile(shot, ROOT / SCREENSHOTS / shot.name)
    after = read_register(register).payments
    assert len(after) == len(before) + ready
    added = after.iloc[len(before):]
    assert list(zip(added["debtor_id"], added["invoice_id"], added["bank_reference"])) == [
        (p.debtor_id, p.invoice_id, p.transaction.bank_reference) for p in expected.applied
    ]
