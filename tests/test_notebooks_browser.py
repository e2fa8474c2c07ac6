"""The app in a real browser: Voilà serves notebooks/ as `make app` does, Chromium drives the monthly review.

Every request the page makes must stay on this computer (no CDN). The action list is also
driven on the medium register of bench/run.py (2,000 debtors, ~50,000 invoices).

Uses Debian's chromium (/usr/bin/chromium, `apt-get install chromium`) through the
Playwright Python package; never a browser downloaded by Playwright. Skipped, with
the reason, when chromium, playwright or voila is missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bank_statements import demo_month
from debiteuren.bank import import_bank
from debiteuren.bank.report import PROPOSAL_HEADERS
from debiteuren.demo import DEMO_PEILDATUM
from debiteuren.monthly_run import run_month
from debiteuren.register import read_register

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("DEBITEUREN_CHROMIUM", "/usr/bin/chromium"))
# Set DEBITEUREN_SCREENSHOTS=docs/img to refresh the user guide's screenshots.
SCREENSHOTS = os.environ.get("DEBITEUREN_SCREENSHOTS")
# Quiet Chromium: no sandbox as root, and no background calls to a network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=nl-NL",
]
VOILA = Path(sys.executable).with_name("voila")
APP = ROOT / "lib" / "debiteuren" / "app"
PAGE = "voila/render/maandreview.ipynb"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"geen chromium op {CHROMIUM} (Debian: apt-get install chromium)"),
    pytest.mark.skipif(not VOILA.exists(), reason="voila is niet geïnstalleerd (pip install voila)"),
]
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is niet geïnstalleerd (pip install playwright)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(register: Path, folder: Path):
    """The app as `make app` starts it (`debiteuren app`: template, config, all three notebooks) on
    ``register``; yields the page's URL."""
    port = free_port()
    log = open(folder / "voila.log", "wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "debiteuren.cli",
            "app",
            str(register),
            "--peildatum",
            DEMO_PEILDATUM.isoformat(),
            "--geen-browser",
            "--poort",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
        start_new_session=True,
    )
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
            pytest.fail("Voilà kwam niet op: " + (folder / "voila.log").read_text(errors="replace"))
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # `debiteuren app` and the Voilà it started
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """One Voilà server for the module (each page load gets its own kernel) on a copy of the demo register."""
    tmp_path = tmp_path_factory.mktemp("voila")
    register = tmp_path / "debiteuren.xlsx"
    shutil.copyfile(ROOT / "workbook" / "debiteuren.xlsx", register)
    with serve(register, tmp_path) as url:
        yield url + PAGE, register


def wait_until_read(page, timeout: int = 180_000) -> None:
    """The review page filled: the key figures are there and the reading message is gone."""
    page.get_by_text("Openstaand", exact=True).first.wait_for(timeout=timeout)
    page.get_by_text("Het register wordt ingelezen").wait_for(state="hidden", timeout=timeout)


def stays_local(page) -> list[str]:
    """The URLs the page asks for that are not on this computer (filled while the page is used)."""
    away = []
    page.on(
        "request",
        lambda r: (
            away.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    return away


def test_monthly_review_in_chromium_makes_a_letter(voila, tmp_path):
    url, register = voila
    run = run_month(register, DEMO_PEILDATUM, generated_at=datetime(2026, 11, 2, 9, 30), write=False)
    letter = next(s for s in run.review.plan.due() if s.action == "Betalingsherinnering")
    before = len(run.register.actions)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        shots = []
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            away = stays_local(page)
            page.goto(url, timeout=120_000)
            page.get_by_text("Maandreview debiteuren").first.wait_for(timeout=120_000)
            wait_until_read(page)
            shots.append(tmp_path / "maandreview-overzicht.png")
            page.get_by_text("Maandreview", exact=True).evaluate("a => a.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(shots[-1]))
            page.get_by_role("tab", name="Actielijst en brieven").click()
            page.get_by_placeholder("zoek op naam of debiteurnummer").last.fill(letter.debtor_id)
            row = (
                page.locator(".debiteuren-actielijst .dt-rij")
                .filter(has_text=letter.name)
                .filter(has_text=letter.action)
            )
            row.locator("input[type=checkbox]").first.check()
            page.get_by_role("button", name="Brieven maken en vastleggen").click()
            page.get_by_text("1 brief gemaakt in").wait_for(timeout=120_000)
            shots.append(tmp_path / "maandreview-brieven.png")
            page.screenshot(path=str(shots[-1]), full_page=True)
            # The way to the other notebooks: the dossier opens from the link at the top, and leads back.
            page.get_by_role("link", name="Dossier debiteur").click()
            page.get_by_role("tab", name="Vastleggen").wait_for(timeout=120_000)
            assert page.url.endswith("/voila/render/dossier.ipynb")
            page.get_by_role("link", name="Vordering berekenen").click()
            page.get_by_role("button", name="Berekenen").wait_for(timeout=120_000)
        finally:
            browser.close()
    assert away == []
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
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page.goto(url, timeout=120_000)
            wait_until_read(page)
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
    added = after.iloc[len(before) :]
    assert list(zip(added["debtor_id"], added["invoice_id"], added["bank_reference"])) == [
        (p.debtor_id, p.invoice_id, p.transaction.bank_reference) for p in expected.applied
    ]


@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    """The medium register of bench/run.py (2,000 debtors, 24 months), made once, and a Voilà on it."""
    from debiteuren.demo import DEMO_SEED, build_demo

    tmp_path = tmp_path_factory.mktemp("middel")
    register = tmp_path / "middel.xlsx"
    build_demo(register, debtors=2_000, months=24, seed=DEMO_SEED)
    with serve(register, tmp_path) as url:
        yield url + PAGE, register


def test_action_list_on_2000_debtors_appears_sorts_filters_and_a_call_is_marked_done(medium, tmp_path):
    url, register = medium
    plan = run_month(register, DEMO_PEILDATUM, generated_at=datetime(2026, 11, 2, 9, 30), write=False).review.plan
    steps = plan.steps
    calls = [s for s in steps if s.action == "Telefoongesprek"]
    call = next(s for s in calls if s.due_now)
    before = len(read_register(register).actions)
    assert len(steps) > 300 and calls
    promised = date.today() + timedelta(days=14)  # the app dates the call today (its clock)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        shots = [tmp_path / "maandreview-actielijst.png", tmp_path / "maandreview-taak.png"]
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            away = stays_local(page)
            page.goto(url, timeout=180_000)
            wait_until_read(page)
            page.get_by_role("tab", name="Actielijst en brieven").click()
            table = page.locator(".debiteuren-actielijst")
            rows = table.locator(".dt-rij:visible")
            # One page of 25 rows is drawn, whatever the size of the register.
            table.get_by_text(f"1–25 van {len(steps)}", exact=False).wait_for(timeout=10_000)
            assert rows.count() == 25
            amount = table.locator(".dt-header button", has_text="Bedrag")
            amount.click()
            table.locator(".dt-header button", has_text="Bedrag ▲").wait_for(timeout=30_000)
            smallest = min(s.amount_cents for s in steps)
            expect_first_amount(rows, smallest)
            amount.click()
            table.locator(".dt-header button", has_text="Bedrag ▼").wait_for(timeout=30_000)
            expect_first_amount(rows, max(s.amount_cents for s in steps))
            # The full reason is there on hover, however narrow its column.
            first = max(steps, key=lambda s: s.amount_cents)
            assert rows.first.locator("span[title]").last.get_attribute("title") == first.reason
            # Filter by action: only the calls are left.
            page.get_by_label("Actie", exact=True).select_option("Telefoongesprek")
            table.get_by_text(f"van {len(calls)} (van {len(steps)} in totaal)").wait_for(timeout=30_000)
            assert set(rows.locator("span:nth-child(5)").all_inner_texts()) == {"Telefoongesprek"}
            # The user guide's picture: the filters and the table at the top of the window.
            page.get_by_text("Actielijst", exact=True).evaluate("h => h.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(shots[0]))
            # Search the debtor, open the call, record a promise to pay.
            page.get_by_placeholder("zoek op naam of debiteurnummer").last.fill(call.debtor_id)
            table.get_by_text(f"van {sum(1 for s in calls if s.debtor_id == call.debtor_id)} (van").wait_for(
                timeout=30_000
            )
            rows.first.get_by_role("button", name="›").click()
            page.get_by_text("Taak afhandelen").wait_for(timeout=30_000)
            page.get_by_label("Resultaat").select_option(label="Betalingsbelofte")
            page.get_by_label("Toegezegd bedrag").fill("250,00")
            page.get_by_label("Toegezegde datum").fill(promised.isoformat())
            page.get_by_label("Notitie").fill("Betaalt na ontvangst van de creditnota.")
            page.get_by_text("Gekozen stap").evaluate("h => h.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(shots[1]))
            page.get_by_role("button", name="Vastleggen als gedaan").click()
            page.get_by_text(f"Vastgelegd voor {call.debtor_id} {call.name}: betalingsbelofte.").wait_for(
                timeout=120_000
            )
        finally:
            browser.close()
    assert away == []
    for shot in shots:
        assert shot.read_bytes().startswith(b"\x89PNG")
        if SCREENSHOTS:
            shutil.copyfile(shot, ROOT / SCREENSHOTS / shot.name)
    added = read_register(register).actions.iloc[before:]
    assert list(zip(added["debtor_id"], added["kind"])) == [
        (call.debtor_id, "Telefoongesprek"),
        (call.debtor_id, "Betalingsbelofte"),
    ]
    assert int(added.iloc[1]["promised_cents"]) == 25000
    assert added.iloc[1]["promised_date"].date() == promised


def expect_first_amount(rows, cents: int) -> None:
    """Wait until the first row shows ``cents`` in its Bedrag column (the table redraws after a click)."""
    from debiteuren.app.widgets_common import eur

    playwright_api.expect(rows.first.locator("span.dt-right")).to_have_text(eur(cents), timeout=30_000)
