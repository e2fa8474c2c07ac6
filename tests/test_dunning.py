"""The dunning plan: next step per debtor, never skipped or repeated, with pauses.

Dates worked out by hand (2026-10-01 is a Thursday): the default policy is
reminder at due + 7 with 7 days' term; a call when that term ends; the notice of
default (business: 7 days, Atw-extended) or 14-day letter (consumer) 5 days
after the call; handing over once the notice's term passed and 60 days overdue.
"""

from __future__ import annotations

from debiteuren.dunning import plan
from debiteuren.ledger import settle
from debiteuren.register.model import Settings
from registers import d, make_register


def dunning_plan(register, peildatum):
    ledger = settle(register.invoices, register.payments, peildatum)
    return plan(register, ledger.invoices, peildatum)


def one_invoice(
    kind="zakelijk", actions=(), payments=(), disputed=False, status="actief", arrangements=(), settings=None
):
    return make_register(
        debtors=[dict(debtor_id="1001", name="Bakkerij B.V.", kind=kind, status=status, payment_term_days=30)],
        invoices=[
            dict(
                invoice_id="F1",
                debtor_id="1001",
                invoice_date="2026-09-01",
                due_date="2026-10-01",
                amount="1.000,00",
                disputed=disputed,
            )
        ],
        actions=list(actions),
        payments=list(payments),
        arrangements=list(arrangements),
        settings=settings,
    )


def action(day, kind, invoices="F1", **extra):
    return dict(action_date=day, debtor_id="1001", invoice_ids=invoices, kind=kind, **extra)


def test_first_step_is_the_reminder_seven_days_after_the_due_date():
    register = one_invoice()
    before = dunning_plan(register, d("2026-10-07"))
    assert [(s.action, s.earliest, s.due_now) for s in before.steps] == [
        ("Betalingsherinnering", d("2026-10-08"), False)
    ]
    on_the_day = dunning_plan(register, d("2026-10-08")).steps[0]
    assert (on_the_day.step, on_the_day.due_now, on_the_day.deadline) == (1, True, d("2026-10-15"))
    assert on_the_day.invoice_ids == ("F1",) and on_the_day.amount_cents == 100000
    assert on_the_day.reason == "Stap 1: Betalingsherinnering; 1 factuur vervallen, de oudste 7 dagen."


def test_call_when_the_reminders_term_ends_then_notice_of_default():
    reminded = one_invoice(actions=[action("2026-10-08", "Betalingsherinnering")])
    call = dunning_plan(reminded, d("2026-10-16")).steps[0]
    # 8 October + 7 days' term + 0 days.
    assert (call.step, call.action, call.earliest, call.due_now) == (2, "Telefoongesprek", d("2026-10-15"), True)

    called = one_invoice(
        actions=[action("2026-10-08", "Betalingsherinnering"), action("2026-10-16", "Telefoongesprek")]
    )
    notice = dunning_plan(called, d("2026-10-21")).steps[0]
    # Call on 16 October (no term) + 5 days; 7 days' term from Wednesday 21 October ends Wednesday 28.
    assert (notice.step, notice.action, notice.earliest, notice.deadline) == (
        3,
        "Ingebrekestelling",
        d("2026-10-21"),
        d("2026-10-28"),
    )


def test_consumer_with_fatal_terms_gets_the_fourteen_day_letter_after_the_call():
    called = one_invoice(
        kind="consument",
        actions=[action("2026-10-08", "Betalingsherinnering"), action("2026-10-16", "Telefoongesprek")],
        settings=Settings(terms_are_fatal=True),
    )
    letter = dunning_plan(called, d("2026-10-21")).steps[0]
    # Sent Wednesday 21 October, presumed delivered Friday 23; 14 days after that: Friday 6 November.
    assert (letter.step, letter.action, letter.deadline) == (3, "Veertiendagenbrief", d("2026-11-06"))


def test_consumer_without_fatal_terms_is_first_put_in_default_then_gets_the_fourteen_day_letter():
    history = [action("2026-10-08", "Betalingsherinnering"), action("2026-10-16", "Telefoongesprek")]
    notice = dunning_plan(one_invoice(kind="consument", actions=history), d("2026-10-21")).steps[0]
    # The policy's notice term (7 days) from Wednesday 21 October: Wednesday 28 October.
    assert (notice.step, notice.action, notice.deadline) == (3, "Ingebrekestelling", d("2026-10-28"))
    noticed = one_invoice(kind="consument", actions=[*history, action("2026-10-21", "Ingebrekestelling")])
    waiting = dunning_plan(noticed, d("2026-10-28")).steps[0]
    # In verzuim from the day after the notice's term: Thursday 29 October, not the 28th.
    assert (waiting.step, waiting.action, waiting.earliest, waiting.due_now) == (
        4,
        "Veertiendagenbrief",
        d("2026-10-29"),
        False,
    )
    letter = dunning_plan(noticed, d("2026-10-29")).steps[0]
    # Sent Thursday 29 October, delivered Saturday 31; day 14 is Saturday 14 November -> Monday 16.
    assert (letter.action, letter.due_now, letter.deadline) == ("Veertiendagenbrief", True, d("2026-11-16"))


def test_hand_over_waits_for_sixty_days_overdue():
    noticed = one_invoice(
        actions=[
            action("2026-10-08", "Betalingsherinnering"),
            action("2026-10-16", "Telefoongesprek"),
            action("2026-10-21", "Ingebrekestelling"),
        ]
    )
    step = dunning_plan(noticed, d("2026-11-05")).steps[0]
    # The notice's term ended 28 October, but 1 October + 60 days is 30 November.
    assert (step.step, step.action, step.earliest, step.due_now) == (4, "Uit handen", d("2026-11-30"), False)
    assert dunning_plan(noticed, d("2026-11-30")).steps[0].due_now


def test_paid_or_disputed_invoices_leave_the_plan():
    paid = one_invoice(payments=[dict(payment_date="2026-10-07", debtor_id="1001", amount="1.000,00")])
    assert dunning_plan(paid, d("2026-10-08")).steps == ()
    partly = one_invoice(payments=[dict(payment_date="2026-10-07", debtor_id="1001", amount="400,00")])
    assert dunning_plan(partly, d("2026-10-08")).steps[0].amount_cents == 60000
    assert dunning_plan(one_invoice(disputed=True), d("2026-10-08")).steps == ()


def test_steps_are_per_invoice_group_never_repeated():
    register = make_register(
        debtors=[dict(debtor_id="1001", name="Bakkerij B.V.", kind="zakelijk")],
        invoices=[
            dict(invoice_id="F1", debtor_id="1001", invoice_date="2026-09-01", due_date="2026-10-01", amount="100"),
            dict(invoice_id="F2", debtor_id="1001", invoice_date="2026-09-05", due_date="2026-10-05", amount="50"),
        ],
        actions=[action("2026-10-08", "Betalingsherinnering", invoices="F1")],
    )
    steps = dunning_plan(register, d("2026-10-12")).steps
    assert [(s.action, s.invoice_ids, s.earliest, s.due_now) for s in steps] == [
        ("Betalingsherinnering", ("F2",), d("2026-10-12"), True),
        ("Telefoongesprek", ("F1",), d("2026-10-15"), False),
    ]


def test_one_reminder_covers_all_invoices_at_that_step():
    register = make_register(
        debtors=[dict(debtor_id="1001", name="Bakkerij B.V.", kind="zakelijk")],
        invoices=[
            dict(invoice_id="F1", debtor_id="1001", invoice_date="2026-08-01", due_date="2026-09-01", amount="100"),
            dict(invoice_id="F2", debtor_id="1001", invoice_date="2026-09-05", due_date="2026-10-01", amount="50"),
        ],
    )
    steps = dunning_plan(register, d("2026-10-20")).steps
    assert [(s.action, s.invoice_ids, s.amount_cents) for s in steps] == [("Betalingsherinnering", ("F1", "F2"), 15000)]


def test_a_promise_pauses_and_schedules_a_call_the_day_before():
    promised = one_invoice(
        actions=[
            action("2026-10-08", "Betalingsherinnering"),
            action("2026-10-10", "Betalingsbelofte", promised_date="2026-11-10", promised="1.000,00"),
        ]
    )
    result = dunning_plan(promised, d("2026-11-01"))
    assert [(p.until, p.reason) for p in result.pauses] == [
        (d("2026-11-10"), "Betalingsbelofte van € 1.000,00 voor 10-11-2026: aanmanen staat stil tot die datum.")
    ]
    assert [(s.action, s.earliest, s.due_now) for s in result.steps] == [("Telefoongesprek", d("2026-11-09"), False)]
    assert dunning_plan(promised, d("2026-11-09")).steps[0].due_now

    broken = dunning_plan(promised, d("2026-11-15")).steps[0]
    assert broken.action == "Telefoongesprek" and broken.step == 2
    assert "De betalingsbelofte voor 10-11-2026 is niet nagekomen." in broken.reason


def test_an_arrangement_replaces_steps_until_an_instalment_is_missed():
    arrangement = [
        dict(debtor_id="1001", instalment=n, due_date=day, amount="100,00")
        for n, day in ((1, "2026-10-15"), (2, "2026-11-15"), (3, "2026-12-15"))
    ]
    register = make_register(
        debtors=[dict(debtor_id="1001", name="Bakkerij B.V.", kind="zakelijk")],
        invoices=[
            dict(invoice_id="F1", debtor_id="1001", invoice_date="2026-08-01", due_date="2026-09-01", amount="300")
        ],
        actions=[action("2026-10-05", "Betalingsregeling")],
        arrangements=arrangement,
        payments=[dict(payment_date="2026-10-14", debtor_id="1001", amount="100,00")],
    )
    running = dunning_plan(register, d("2026-11-01"))
    assert running.steps == ()
    assert [(p.until, p.reason) for p in running.pauses] == [
        (d("2026-11-15"), "Betalingsregeling loopt (3 termijnen); volgende termijn op 15-11-2026.")
    ]
    missed = dunning_plan(register, d("2026-11-20")).steps[0]
    # Only a reminder-free history, yet a missed instalment resumes at the notice of default.
    assert (missed.step, missed.action, missed.due_now) == (3, "Ingebrekestelling", True)
    assert "Termijn 2 van de betalingsregeling (vervaldatum 15-11-2026) is niet betaald" in missed.reason


def test_statuses_stop_the_dunning():
    assert [p.reason for p in dunning_plan(one_invoice(status="uit handen"), d("2026-11-01")).pauses] == [
        "Status 'uit handen': geen aanmaningen meer."
    ]
    bankrupt = dunning_plan(one_invoice(status="failliet"), d("2026-11-01")).steps
    assert [(s.action, s.due_now) for s in bankrupt] == [("Vordering indienen bij curator", True)]
    filed = one_invoice(status="failliet", actions=[action("2026-11-02", "Uit handen")])
    assert dunning_plan(filed, d("2026-11-03")).steps == ()


def test_a_letter_made_after_the_peildatum_is_not_proposed_again_for_that_peildatum():
    # The review of 31 October; the reminder was made and logged on Monday 2 November.
    made_later = one_invoice(actions=[action("2026-11-02", "Betalingsherinnering")])
    steps = dunning_plan(made_later, d("2026-10-31")).steps
    # The call follows the reminder's term from its own date: 2 + 7 = 9 November.
    assert [(s.action, s.earliest, s.due_now) for s in steps] == [("Telefoongesprek", d("2026-11-09"), False)]


def test_the_same_register_and_day_give_the_same_plan():
    register = one_invoice(actions=[action("2026-10-08", "Betalingsherinnering")])
    assert dunning_plan(register, d("2026-10-20")) == dunning_plan(register, d("2026-10-20"))


def test_action_list_sheet_shows_steps_then_pauses():
    from decimal import Decimal

    register = make_register(
        debtors=[
            dict(debtor_id="1001", name="Bakkerij B.V.", kind="zakelijk"),
            dict(debtor_id="1002", name="Failliet B.V.", kind="zakelijk", status="oninbaar"),
        ],
        invoices=[
            dict(invoice_id="F1", debtor_id="1001", invoice_date="2026-09-01", due_date="2026-10-01", amount="12,50"),
            dict(invoice_id="F2", debtor_id="1002", invoice_date="2026-09-01", due_date="2026-10-01", amount="99"),
        ],
    )
    sheet = dunning_plan(register, d("2026-10-08")).action_list()
    assert sheet[["Debiteurnummer", "Actie", "Nu uitvoeren", "Facturen"]].values.tolist() == [
        ["1001", "Betalingsherinnering", "ja", "F1"],
        ["1002", "Gepauzeerd", "nee", None],
    ]
    assert sheet.loc[0, "Bedrag"] == Decimal("12.50")
    assert sheet.loc[0, "Betalen uiterlijk"] == d("2026-10-15")


def test_the_demo_registers_plan_is_what_a_controller_expects():
    from pathlib import Path

    from debiteuren.register import read_register
    from debiteuren.review import review

    demo = read_register(Path(__file__).resolve().parents[1] / "workbook" / "debiteuren.xlsx")
    result = review(demo, d("2026-10-31")).plan
    due = {(s.debtor_id, s.action) for s in result.due()}
    paused = {p.debtor_id: p.reason for p in result.pauses}
    # One debtor at each step of the policy, as the demo's story has it.
    assert ("10042", "Betalingsherinnering") in due
    assert ("10005", "Telefoongesprek") in due
    assert ("10031", "Ingebrekestelling") in due  # business
    # The consumer is not in verzuim (terms not fatal): first a notice of default, without costs.
    assert ("10019", "Ingebrekestelling") in due
    assert ("10024", "Uit handen") in due
    # The worsening payer gets a reminder for its newly overdue invoices.
    assert ("10002", "Betalingsherinnering") in due
    # Bankrupt: file the claim with the trustee, no letters.
    assert {a for i, a in due if i == "10018"} == {"Vordering indienen bij curator"}
    # A promise, an arrangement and a handed-over debtor wait.
    assert paused["10048"].startswith("Betalingsbelofte")
    assert paused["10023"].startswith("Betalingsregeling loopt")
    assert paused["10006"] == "Status 'uit handen': geen aanmaningen meer."
    assert {s.debtor_id for s in result.steps} & {"10006", "10023"} == set()
    # One letter per debtor per day: 10031 and 10060 get one notice of default that also
    # lists their newer invoices at the reminder step, never a reminder beside it.
    letters = [
        s
        for s in result.due()
        if s.action in ("Betalingsherinnering", "Ingebrekestelling", "Veertiendagenbrief", "Uit handen")
    ]
    assert len({s.debtor_id for s in letters}) == len(letters)
    notice = {s.debtor_id: s for s in letters}["10060"]
    assert notice.action == "Ingebrekestelling"
    assert {(c.invoice_id, c.action) for c in notice.claim_states()} == {
        ("2026-0513", "Ingebrekestelling"),
        ("2026-0560", "Betalingsherinnering"),
        ("2026-0588", "Betalingsherinnering"),
    }
    # The disputed invoice of 10013 is never dunned.
    assert not any("2026-0568" in s.invoice_ids for s in result.steps)


def test_a_dated_plan_moves_only_the_letters_pay_by_dates():
    # Counted from 16-11-2026 (a Monday): the reminder's 7 days end on 23-11-2026; the call keeps no date.
    from datetime import date

    from debiteuren.dunning import DunningPlan, ProposedStep

    reminder = ProposedStep("1", "A", "zakelijk", 1, "Betalingsherinnering", ("F1",), 100, date(2026, 10, 20),
                            True, date(2026, 11, 7), "r", term_days=7)  # fmt: skip
    call = ProposedStep("2", "B", "zakelijk", 2, "Telefoongesprek", ("F2",), 100, date(2026, 10, 20), True, None, "c")
    later = ProposedStep("3", "C", "zakelijk", 1, "Betalingsherinnering", ("F3",), 100, date(2026, 11, 20),
                         False, None, "l", term_days=7)  # fmt: skip
    dated = DunningPlan(date(2026, 10, 31), (reminder, call, later), ()).dated(date(2026, 11, 16))
    assert [s.deadline for s in dated.steps] == [date(2026, 11, 23), None, None]
    assert dated.peildatum == date(2026, 10, 31)
