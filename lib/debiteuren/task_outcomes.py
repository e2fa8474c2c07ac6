"""A task from the action list marked done, and what came of it, as rows for the register's log.

The dunning plan proposes tasks besides letters: a phone call, filing a claim with a
trustee. When the controller has done one, she says what came of it;
this module turns that into the rows the register keeps (design §4) and appends them
through the write-back, so the next review moves on:

- the task itself, logged under its own kind (``Telefoongesprek``; a task the Acties list
  has no kind for becomes a ``Notitie``), for the step's invoices;
- after a call, its outcome: a ``Betalingsbelofte`` with the promised amount and date
  (the plan pauses until that date), a ``Betwisting`` with its reason, or a
  ``Betalingsregeling`` whose instalments also go to the Regelingen sheet (the plan
  follows the arrangement);
- a call that reached no one is a ``Notitie``: the call was not made, so it stays on the list.

>>> from debiteuren.dunning import ProposedStep
>>> call = ProposedStep("1001", "Bakkerij B.V.", "zakelijk", 2, "Telefoongesprek", ("F-1", "F-2"), 121000,
...                     date(2026, 10, 20), True, None, "Stap 2")
>>> outcome = TaskOutcome(PROMISE, date(2026, 11, 2), promised_amount=Decimal("1210.00"),
...                       promised_date=date(2026, 11, 16), by="Anne")
>>> rows = outcome_rows(call, outcome)
>>> rows.actions[["Soort", "Factuurnummers", "Toegezegd bedrag", "Toegezegde datum"]].values.tolist()
[['Telefoongesprek', 'F-1, F-2', None, None], ['Betalingsbelofte', 'F-1, F-2', Decimal('1210.00'), datetime.date(2026, 11, 16)]]
>>> rows.actions["Omschrijving"].tolist()[1]
'Belooft € 1.210,00 te betalen uiterlijk 16-11-2026.'
>>> check_outcome(call, TaskOutcome(PROMISE, date(2026, 11, 2)))
('Een betalingsbelofte heeft een toegezegd bedrag groter dan nul.', 'Een betalingsbelofte heeft een toegezegde datum.')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from .dunning import CALL, ProposedStep
from .dutch import format_date
from .errors import InvalidInput
from .money import format_eur
from .register.schema import ACTION_KINDS, MAX_INSTALMENTS

# What came of a task (the keys the app and the tests use).
SPOKEN = "gesproken"
PROMISE = "belofte"
DISPUTE = "betwisting"
ARRANGEMENT = "regeling"
NO_ANSWER = "geen gehoor"
DONE = "uitgevoerd"
OUTCOME_LABELS = {
    SPOKEN: "Gesproken, niets toegezegd",
    PROMISE: "Betalingsbelofte",
    DISPUTE: "Betwisting",
    ARRANGEMENT: "Betalingsregeling",
    NO_ANSWER: "Geen gehoor (het gesprek blijft op de lijst)",
    DONE: "Uitgevoerd",
}
CALL_OUTCOMES = (SPOKEN, PROMISE, DISPUTE, ARRANGEMENT, NO_ANSWER)
NOTE = "Notitie"
ACTION_COLUMNS = ("Datum", "Debiteurnummer", "Factuurnummers", "Soort", "Omschrijving",
                  "Toegezegd bedrag", "Toegezegde datum", "Door")  # fmt: skip
ARRANGEMENT_COLUMNS = ("Debiteurnummer", "Termijn", "Vervaldatum", "Bedrag")


@dataclass(frozen=True)
class Instalment:
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class TaskOutcome:
    """What the controller says about a task she did: the outcome key, the day, and its details."""

    result: str
    done_on: date
    note: str = ""
    by: str = ""
    promised_amount: Decimal | None = None
    promised_date: date | None = None
    instalments: tuple[Instalment, ...] = ()


@dataclass(frozen=True)
class OutcomeRows:
    actions: pd.DataFrame  # rows for Acties (Dutch headers)
    arrangements: pd.DataFrame | None  # rows for Regelingen, for an arrangement


class OutcomeInvalid(InvalidInput):
    """The outcome cannot be recorded as given; ``problems`` are Dutch sentences, all of them at once."""

    def __init__(self, problems: tuple[str, ...]):
        super().__init__("\n".join(problems))
        self.problems = problems


def outcomes_for(step: ProposedStep) -> tuple[str, ...]:
    """The outcomes a task can have; none for a letter (letters are logged when they are made)."""
    from .dunning_letters import is_letter

    if is_letter(step):
        return ()
    return CALL_OUTCOMES if step.action == CALL else (DONE,)


def check_outcome(step: ProposedStep, outcome: TaskOutcome, *, has_arrangement: bool = False) -> tuple[str, ...]:
    """Every reason the outcome cannot be recorded, in Dutch; empty when it can."""
    allowed = outcomes_for(step)
    if not allowed:
        return (f"'{step.action}' is een brief: die wordt vastgelegd als hij gemaakt is, niet hier.",)
    problems = []
    if outcome.result not in allowed:
        choices = ", ".join(f"'{OUTCOME_LABELS[k]}'" for k in allowed)
        problems.append(f"Kies wat het resultaat was: {choices}.")
    if outcome.done_on is None:
        problems.append("Vul de datum in waarop de taak is gedaan.")
    if outcome.result == PROMISE:
        if outcome.promised_amount is None or outcome.promised_amount <= 0:
            problems.append("Een betalingsbelofte heeft een toegezegd bedrag groter dan nul.")
        if outcome.promised_date is None:
            problems.append("Een betalingsbelofte heeft een toegezegde datum.")
        elif outcome.done_on is not None and outcome.promised_date < outcome.done_on:
            problems.append("De toegezegde datum ligt voor de datum van het gesprek.")
    if outcome.result == DISPUTE and not outcome.note.strip():
        problems.append("Schrijf bij een betwisting de reden in de notitie.")
    if outcome.result == ARRANGEMENT:
        terms = outcome.instalments
        if has_arrangement:
            problems.append(
                f"Debiteur {step.debtor_id} heeft al een regeling in het blad Regelingen: pas die daar aan "
                "(een debiteur heeft één regeling)."
            )
        if not 1 <= len(terms) <= MAX_INSTALMENTS:
            problems.append(f"Een betalingsregeling heeft 1 tot en met {MAX_INSTALMENTS} termijnen.")
        for n, term in enumerate(terms, start=1):
            if term.amount is None or term.amount <= 0:
                problems.append(f"Termijn {n}: het bedrag moet groter dan nul zijn.")
            if term.due_date is None:
                problems.append(f"Termijn {n}: vul de vervaldatum in.")
            elif outcome.done_on is not None and term.due_date < outcome.done_on:
                problems.append(f"Termijn {n}: de vervaldatum ligt voor de datum van het gesprek.")
        days = [t.due_date for t in terms if t.due_date is not None]
        if days != sorted(set(days)):
            problems.append("De vervaldatums van de termijnen lopen op, elke termijn een andere dag.")
    return tuple(problems)


def outcome_rows(step: ProposedStep, outcome: TaskOutcome, *, has_arrangement: bool = False) -> OutcomeRows:
    """The Acties rows (and Regelingen rows) for ``outcome``; ``OutcomeInvalid`` when it cannot be recorded."""
    problems = check_outcome(step, outcome, has_arrangement=has_arrangement)
    if problems:
        raise OutcomeInvalid(problems)
    note = " ".join(outcome.note.split())
    invoices = ", ".join(step.invoice_ids) or None
    by = outcome.by.strip() or None

    def row(kind: str, text: str, amount=None, promised=None) -> dict:
        return {
            "Datum": outcome.done_on,
            "Debiteurnummer": step.debtor_id,
            "Factuurnummers": invoices,
            "Soort": kind,
            "Omschrijving": text,
            "Toegezegd bedrag": amount,
            "Toegezegde datum": promised,
            "Door": by,
        }

    def with_note(text: str) -> str:
        return f"{text} {note}" if note else text

    rows, arrangements = [], None
    if outcome.result == NO_ANSWER:
        rows.append(row(NOTE, with_note("Gebeld, geen gehoor.")))
    else:
        kind = step.action if step.action in ACTION_KINDS else NOTE
        said = f"{step.action}: {OUTCOME_LABELS[outcome.result].lower()}."
        # The note goes with the outcome's own row when there is one, so it is said once.
        rows.append(row(kind, with_note(said) if outcome.result in (SPOKEN, DONE) else said))
    if outcome.result == PROMISE:
        text = (
            f"Belooft {format_eur(outcome.promised_amount)} te betalen uiterlijk {format_date(outcome.promised_date)}."
        )
        rows.append(row("Betalingsbelofte", with_note(text), outcome.promised_amount, outcome.promised_date))
    elif outcome.result == DISPUTE:
        rows.append(row("Betwisting", note))
    elif outcome.result == ARRANGEMENT:
        terms = outcome.instalments
        listed = "; ".join(f"{format_date(t.due_date)} {format_eur(t.amount)}" for t in terms)
        rows.append(row("Betalingsregeling", with_note(f"Regeling in {len(terms)} termijn(en): {listed}.")))
        arrangements = pd.DataFrame(
            [(step.debtor_id, n, t.due_date, t.amount) for n, t in enumerate(terms, start=1)],
            columns=list(ARRANGEMENT_COLUMNS),
            dtype=object,
        )
    return OutcomeRows(pd.DataFrame(rows, columns=list(ACTION_COLUMNS), dtype=object), arrangements)


def outcome_notes(
    step: ProposedStep, outcome: TaskOutcome, peildatum: date, steps_after: Sequence[ProposedStep]
) -> tuple[str, ...]:
    """What the controller should know once ``outcome`` is recorded, in Dutch: that a dispute stops the dunning
    only with 'Betwist' set, that a day after ``peildatum`` does not count yet, and that a task done stays on
    the list (``steps_after``: the plan reviewed again) when the plan still proposes it now."""
    notes = []
    if outcome.result == DISPUTE:
        notes.append("Het aanmanen stopt pas als u bij de betwiste facturen 'Betwist' op ja zet (blad Facturen).")
    if outcome.done_on > peildatum:
        notes.append(
            f"De datum ligt na de peildatum {format_date(peildatum)}: de actielijst van deze peildatum "
            "telt het nog niet mee."
        )
    elif outcome.result == DONE and any(
        (s.debtor_id, s.action, s.due_now) == (step.debtor_id, step.action, True) for s in steps_after
    ):  # e.g. filing with a trustee: the plan closes a bankrupt debtor only at Uit handen or Afgeboekt
        notes.append(
            f"'{step.action}' blijft in de actielijst staan tot de vordering is afgeboekt of uit handen is "
            "gegeven (blad Acties)."
        )
    return tuple(notes)


def has_arrangement(register, debtor_id: str) -> bool:
    """True when the register's Regelingen sheet has rows for the debtor."""
    return bool((register.arrangements["debtor_id"] == debtor_id).any())


def record_task_outcome(
    target, register, step: ProposedStep, outcome: TaskOutcome, *, generated_at: datetime, peildatum: date
):
    """Append the outcome's rows to Acties (and Regelingen) of ``target``; returns the ``WriteReport``.

    ``register`` is the register the step came from (to see an arrangement already there).
    Raises ``OutcomeInvalid`` before anything is written, and what ``write_back`` raises
    (``WriteBackRefused``...) with nothing written.
    """
    from .register.writeback import write_back

    rows = outcome_rows(step, outcome, has_arrangement=has_arrangement(register, step.debtor_id))
    appends = {"Regelingen": rows.arrangements} if rows.arrangements is not None else None
    return write_back(
        target,
        (),
        rows.actions,
        generated_at=generated_at,
        peildatum=peildatum,
        appends=appends,
        key_types=register.key_types,
    )
