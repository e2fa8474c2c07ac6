"""A call marked done from the action list: the rows it adds to Acties (and Regelingen), and what the next
review makes of them."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from debiteuren.register import read_register
from debiteuren.review import review
from debiteuren.task_outcomes import (
    ARRANGEMENT,
    DISPUTE,
    DONE,
    NO_ANSWER,
    PROMISE,
    SPOKEN,
    Instalment,
    OutcomeInvalid,
    TaskOutcome,
    outcome_notes,
    outcomes_for,
    record_task_outcome,
)
from workbooks import write_register

PEILDATUM = date(2026, 10, 31)
NOW = datetime(2026, 10, 31, 16, 0)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def register_with_a_call(tmp_path):
    """The small register: 1001 had its reminder on 8 October and is due for a call (step 2)."""
    path = write_register(tmp_path)
    register = read_register(path)
    steps = review(register, PEILDATUM).plan.steps
    call = next(s for s in steps if s.action == "Telefoongesprek")
    assert (call.debtor_id, call.invoice_ids, call.due_now) == ("1001", ("F-001",), True)
    return path, register, call


def record(path, register, step, outcome):
    return record_task_outcome(path, register, step, outcome, generated_at=NOW, peildatum=PEILDATUM)


def new_actions(path, before: int) -> list[tuple]:
    actions = read_register(path).actions.iloc[before:]

    def value(v):
        return None if pd.isna(v) else v

    return [
        (
            r.action_date.date(),
            r.debtor_id,
            value(r.invoice_ids),
            r.kind,
            value(r.description),
            None if pd.isna(r.promised_cents) else int(r.promised_cents),
            None if pd.isna(r.promised_date) else r.promised_date.date(),
            value(r.by),
        )
        for r in actions.itertuples()
    ]


def test_a_promise_lands_in_acties_and_the_next_review_pauses_until_its_date(register_with_a_call):
    path, register, call = register_with_a_call
    before = len(register.actions)
    outcome = TaskOutcome(
        PROMISE,
        date(2026, 10, 30),
        note="Betaalt na de kerstmarkt.",
        by="Anne",
        promised_amount=Decimal("1000.00"),
        promised_date=date(2026, 11, 13),
    )
    report = record(path, register, call, outcome)
    assert "2 regels toegevoegd aan het logboek (blad 'Acties')." in report.summary()
    assert new_actions(path, before) == [
        (
            date(2026, 10, 30),
            "1001",
            "F-001",
            "Telefoongesprek",
            "Telefoongesprek: betalingsbelofte.",
            None,
            None,
            "Anne",
        ),
        (
            date(2026, 10, 30),
            "1001",
            "F-001",
            "Betalingsbelofte",
            "Belooft € 1.000,00 te betalen uiterlijk 13-11-2026. Betaalt na de kerstmarkt.",
            100000,
            date(2026, 11, 13),
            "Anne",
        ),
    ]
    plan = review(read_register(path), PEILDATUM).plan
    assert [(p.debtor_id, p.until) for p in plan.pauses] == [("1001", date(2026, 11, 13))]
    # The call is gone; a new one is proposed for the day before the promised date.
    calls = [(s.debtor_id, s.earliest, s.due_now) for s in plan.steps if s.action == "Telefoongesprek"]
    assert calls == [("1001", date(2026, 11, 12), False)]


def test_a_call_without_anything_agreed_moves_the_plan_on(register_with_a_call):
    path, register, call = register_with_a_call
    before = len(register.actions)
    record(path, register, call, TaskOutcome(SPOKEN, date(2026, 10, 30), note="Factuur kwijt; opnieuw gemaild."))
    assert new_actions(path, before) == [
        (
            date(2026, 10, 30),
            "1001",
            "F-001",
            "Telefoongesprek",
            "Telefoongesprek: gesproken, niets toegezegd. Factuur kwijt; opnieuw gemaild.",
            None,
            None,
            None,
        ),
    ]
    steps = review(read_register(path), PEILDATUM).plan.steps
    assert [(s.step, s.action) for s in steps if s.debtor_id == "1001"] == [(3, "Ingebrekestelling")]


def test_no_answer_is_a_note_and_the_call_stays_on_the_list(register_with_a_call):
    path, register, call = register_with_a_call
    before = len(register.actions)
    record(path, register, call, TaskOutcome(NO_ANSWER, date(2026, 10, 30)))
    assert [r[3:5] for r in new_actions(path, before)] == [("Notitie", "Gebeld, geen gehoor.")]
    steps = review(read_register(path), PEILDATUM).plan.steps
    assert [(s.action, s.due_now) for s in steps if s.debtor_id == "1001"] == [("Telefoongesprek", True)]


def test_a_dispute_needs_its_reason_and_is_logged_with_it(register_with_a_call):
    path, register, call = register_with_a_call
    untouched = digest(path)
    with pytest.raises(OutcomeInvalid) as refused:
        record(path, register, call, TaskOutcome(DISPUTE, date(2026, 10, 30)))
    assert refused.value.problems == ("Schrijf bij een betwisting de reden in de notitie.",)
    assert digest(path) == untouched
    before = len(register.actions)
    record(path, register, call, TaskOutcome(DISPUTE, date(2026, 10, 30), note="Levering  onvolledig."))
    assert [r[3:5] for r in new_actions(path, before)] == [
        ("Telefoongesprek", "Telefoongesprek: betwisting."),
        ("Betwisting", "Levering onvolledig."),
    ]


def test_an_arrangement_goes_to_acties_and_regelingen_and_the_plan_follows_it(register_with_a_call):
    path, register, call = register_with_a_call
    terms = (Instalment(date(2026, 11, 15), Decimal("500.00")), Instalment(date(2026, 12, 15), Decimal("500.00")))
    before = len(register.actions)
    record(path, register, call, TaskOutcome(ARRANGEMENT, date(2026, 10, 30), instalments=terms))
    assert [r[3:5] for r in new_actions(path, before)] == [
        ("Telefoongesprek", "Telefoongesprek: betalingsregeling."),
        ("Betalingsregeling", "Regeling in 2 termijn(en): 15-11-2026 € 500,00; 15-12-2026 € 500,00."),
    ]
    after = read_register(path)
    assert [
        (r.debtor_id, r.instalment, r.due_date.date(), r.amount_cents) for r in after.arrangements.itertuples()
    ] == [
        ("1001", 1, date(2026, 11, 15), 50000),
        ("1001", 2, date(2026, 12, 15), 50000),
    ]
    plan = review(after, PEILDATUM).plan
    assert [(p.debtor_id, p.until) for p in plan.pauses] == [("1001", date(2026, 11, 15))]
    # A second arrangement for the same debtor is refused: Regelingen holds one per debtor.
    untouched = digest(path)
    with pytest.raises(OutcomeInvalid) as refused:
        record(path, after, call, TaskOutcome(ARRANGEMENT, date(2026, 10, 30), instalments=terms))
    assert refused.value.problems[0].startswith("Debiteur 1001 heeft al een regeling in het blad Regelingen")
    assert digest(path) == untouched


def test_every_problem_of_an_outcome_is_named_at_once_and_nothing_is_written(register_with_a_call):
    path, register, call = register_with_a_call
    untouched = digest(path)
    bad = TaskOutcome(
        ARRANGEMENT,
        date(2026, 10, 30),
        instalments=(
            Instalment(date(2026, 12, 1), Decimal("0")),
            Instalment(date(2026, 10, 1), Decimal("100.00")),
            *(Instalment(date(2027, 1, n), Decimal("1.00")) for n in (1, 2, 3)),
        ),
    )
    with pytest.raises(OutcomeInvalid) as refused:
        record(path, register, call, bad)
    assert refused.value.problems == (
        "Een betalingsregeling heeft 1 tot en met 4 termijnen.",
        "Termijn 1: het bedrag moet groter dan nul zijn.",
        "Termijn 2: de vervaldatum ligt voor de datum van het gesprek.",
        "De vervaldatums van de termijnen lopen op, elke termijn een andere dag.",
    )
    late_promise = TaskOutcome(
        PROMISE, date(2026, 10, 30), promised_amount=Decimal("10.00"), promised_date=date(2026, 10, 1)
    )
    with pytest.raises(OutcomeInvalid) as refused:
        record(path, register, call, late_promise)
    assert refused.value.problems == ("De toegezegde datum ligt voor de datum van het gesprek.",)
    assert digest(path) == untouched


def test_only_tasks_have_outcomes(register_with_a_call):
    path, register, call = register_with_a_call
    letter = next(s for s in review(register, PEILDATUM).plan.steps if s.action == "Betalingsherinnering")
    assert outcomes_for(call) == (SPOKEN, PROMISE, DISPUTE, ARRANGEMENT, NO_ANSWER)
    assert outcomes_for(letter) == ()
    with pytest.raises(OutcomeInvalid) as refused:
        record(path, register, letter, TaskOutcome(DONE, date(2026, 10, 30)))
    assert refused.value.problems == (
        "'Betalingsherinnering' is een brief: die wordt vastgelegd als hij gemaakt is, niet hier.",
    )


def test_what_the_controller_is_told_after_recording():
    from debiteuren.dunning import ProposedStep

    trustee = ProposedStep("1001", "Bakkerij B.V.", "zakelijk", 5, "Vordering bij curator indienen", ("F-1",), 100,
                           PEILDATUM, True, None, "Failliet")  # fmt: skip
    done = TaskOutcome(DONE, PEILDATUM)
    stays = "'Vordering bij curator indienen' blijft in de actielijst staan tot de vordering is afgeboekt"
    assert outcome_notes(trustee, done, PEILDATUM, [trustee])[0].startswith(stays)
    assert outcome_notes(trustee, done, PEILDATUM, []) == ()  # the plan moved on
    later = TaskOutcome(DONE, date(2026, 11, 2))  # after the peildatum: not counted yet, so not "stays" either
    assert outcome_notes(trustee, later, PEILDATUM, [trustee]) == (
        "De datum ligt na de peildatum 31-10-2026: de actielijst van deze peildatum telt het nog niet mee.",
    )
    dispute = TaskOutcome(DISPUTE, PEILDATUM, note="Levering onvolledig")
    assert outcome_notes(trustee, dispute, PEILDATUM, [trustee]) == (
        "Het aanmanen stopt pas als u bij de betwiste facturen 'Betwist' op ja zet (blad Facturen).",
    )
