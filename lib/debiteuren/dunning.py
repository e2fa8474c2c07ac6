"""The dunning plan: the next step per debtor, with its reason and earliest date.

The policy (Aanmaanschema, design §5) and the log (Acties) decide where every
overdue invoice stands; the plan groups invoices of a debtor that are at the same
step into one proposal, so one letter covers them all. The rules:

- **Which invoices.** Open on the peildatum (after payments and credit notes),
  past their due date, not disputed. Paid or credited invoices drop out, so a
  step whose invoices were settled meanwhile disappears.
- **Where an invoice stands.** The highest policy step logged for it in Acties
  (a log row without Factuurnummers counts for every invoice of that debtor that
  was overdue on the row's date). Steps are never skipped or repeated: the next
  step is the one after the last one done.
- **When.** The first step: due date + its Dagen. A later step: the end of the
  previous step's term + its Dagen (a task like a phone call has no term: its own
  date). A 14-day letter's term runs from the day after presumed delivery; terms
  we set are extended under the Algemene termijnenwet. Handing over also needs the
  invoice to be at least ``HAND_OVER_DAYS`` overdue.
- **Pauses.** Status ``oninbaar`` or ``uit handen``: no more steps. ``failliet``:
  one task, file the claim with the trustee. A promise to pay (Betalingsbelofte)
  whose date has not passed pauses the debtor and schedules a call the day before;
  a broken promise resumes the dunning. An arrangement (Regelingen) replaces the
  steps by its instalments; a missed instalment resumes at the notice of default
  (the policy step of the Ingebrekestelling / Veertiendagenbrief).

Everything is computed from the register as of the peildatum; the same register
and peildatum always give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .law.deadlines import fourteen_day_term, notice_term_end
from .register.model import DunningStep, Register

HAND_OVER_DAYS = 60
TRUSTEE_TASK = "Vordering indienen bij curator"
CALL = "Telefoongesprek"
HAND_OVER = "Uit handen"
REMINDER = "Betalingsherinnering"
NOTICE_OF_DEFAULT = "Ingebrekestelling"
FOURTEEN_DAY_LETTER = "Veertiendagenbrief"
LETTERS = (REMINDER, NOTICE_OF_DEFAULT, FOURTEEN_DAY_LETTER)
_DAY = timedelta(days=1)
ACTION_LIST_COLUMNS = (
    "Debiteurnummer", "Naam", "Soort", "Stap", "Actie", "Nu uitvoeren", "Vanaf",
    "Betalen uiterlijk", "Facturen", "Bedrag", "Reden",
)  # fmt: skip


class _Item(NamedTuple):
    """An overdue invoice as the plan handles it."""

    invoice_id: str
    due_date: date
    open_cents: int


@dataclass(frozen=True)
class ProposedStep:
    """One proposal: what to do for which invoices of a debtor, from when, and why."""

    debtor_id: str
    name: str
    kind: str  # zakelijk / consument
    step: int  # the policy's step number; 0 for tasks outside the policy
    action: str
    invoice_ids: tuple[str, ...]
    amount_cents: int  # what is open on those invoices
    earliest: date
    due_now: bool  # earliest <= peildatum
    deadline: date | None  # pay-by date / end of term when taken on the peildatum
    reason: str


@dataclass(frozen=True)
class Pause:
    """A debtor with overdue invoices that the plan leaves alone, and why."""

    debtor_id: str
    name: str
    until: date | None
    reason: str


@dataclass(frozen=True)
class DunningPlan:
    peildatum: date
    steps: tuple[ProposedStep, ...]
    pauses: tuple[Pause, ...]

    def due(self) -> tuple[ProposedStep, ...]:
        """The steps to take now."""
        return tuple(s for s in self.steps if s.due_now)

    def action_list(self) -> pd.DataFrame:
        """The Actielijst result sheet: proposed steps, then paused debtors (Dutch headers)."""
        from .money import cents_to_decimal

        rows = [
            {
                "Debiteurnummer": s.debtor_id,
                "Naam": s.name,
                "Soort": s.kind,
                "Stap": s.step,
                "Actie": s.action,
                "Nu uitvoeren": "ja" if s.due_now else "nee",
                "Vanaf": s.earliest,
                "Betalen uiterlijk": s.deadline,
                "Facturen": ", ".join(s.invoice_ids),
                "Bedrag": cents_to_decimal(s.amount_cents),
                "Reden": s.reason,
            }
            for s in self.steps
        ]
        rows += [
            {
                "Debiteurnummer": p.debtor_id,
                "Naam": p.name,
                "Soort": None,
                "Stap": None,
                "Actie": "Gepauzeerd",
                "Nu uitvoeren": "nee",
                "Vanaf": p.until,
                "Betalen uiterlijk": None,
                "Facturen": None,
                "Bedrag": None,
                "Reden": p.reason,
            }
            for p in self.pauses
        ]
        return pd.DataFrame(rows, columns=ACTION_LIST_COLUMNS, dtype=object)


def _fmt(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def _step_for(policy: tuple[DunningStep, ...], number: int, kind: str) -> DunningStep | None:
    for step in policy:
        if step.step == number and step.applies_to in (kind, "alle"):
            return step
    return None


def step_term_end(action: str, taken: date, term_days: int | None) -> date:
    """The last day the debtor has after a step taken on ``taken``."""
    if action == FOURTEEN_DAY_LETTER:
        return fourteen_day_term(taken).last_day
    if not term_days:
        return taken
    if action == NOTICE_OF_DEFAULT:
        return notice_term_end(taken, term_days)
    return taken + timedelta(days=term_days)


def parse_invoice_list(text) -> tuple[str, ...]:
    if text is None or (isinstance(text, float) and pd.isna(text)) or pd.isna(text):
        return ()
    return tuple(part.strip() for part in str(text).replace(";", ",").split(",") if part.strip())


def _day(value) -> date | None:
    return None if pd.isna(value) else value.date()


def plan(register: Register, open_invoices: pd.DataFrame, peildatum: date) -> DunningPlan:
    """The dunning plan on ``peildatum`` from the open invoices (ledger) and the register.

    ``open_invoices`` has at least invoice_id, debtor_id, due_date, open_cents and
    disputed, as the ledger returns them for the peildatum.
    """
    policy = register.policy
    step_of_action = {s.action: s.step for s in policy}
    cutoff = pd.Timestamp(peildatum)
    overdue = open_invoices.loc[
        (open_invoices["open_cents"] > 0) & (open_invoices["due_date"] < cutoff) & ~open_invoices["disputed"]
    ]
    if overdue.empty:
        return DunningPlan(peildatum, (), ())
    debtors = register.debtors.drop_duplicates("debtor_id").set_index("debtor_id")
    info = dict(zip(debtors.index, zip(debtors["name"], debtors["kind"], debtors["status"])))
    # Only the overdue debtors matter; slice their log, payments and arrangements once.
    wanted = set(overdue["debtor_id"])
    actions = register.actions.loc[
        (register.actions["action_date"] <= cutoff) & register.actions["debtor_id"].isin(wanted)
    ]
    done_by_invoice = _steps_done(overdue, actions, step_of_action)
    closed = set(actions.loc[actions["kind"].isin([HAND_OVER, "Afgeboekt"]), "debtor_id"])
    promising = set(actions.loc[(actions["kind"] == "Betalingsbelofte") & actions["promised_date"].notna(), "debtor_id"])
    arrangements = register.arrangements.loc[register.arrangements["debtor_id"].isin(wanted)]
    arranged = set(arrangements["debtor_id"])
    needs_cash = (promising | arranged) & wanted
    payments = register.payments.loc[
        (register.payments["payment_date"] <= cutoff) & register.payments["debtor_id"].isin(needs_cash)
    ]

    def own(frame: pd.DataFrame, debtor_id: str) -> pd.DataFrame | None:
        rows = frame.loc[frame["debtor_id"] == debtor_id]
        return None if rows.empty else rows

    steps: list[ProposedStep] = []
    pauses: list[Pause] = []
    # Plain arrays: pandas row access per invoice is far too slow on a large register.
    items = [
        _Item(invoice_id, due.date(), int(cents))
        for invoice_id, due, cents in zip(overdue["invoice_id"], overdue["due_date"], overdue["open_cents"])
    ]
    for debtor_id, positions in sorted(overdue.groupby("debtor_id").indices.items()):
        invoices = [items[i] for i in positions]
        name, kind, status = (str(v) for v in info[debtor_id])
        open_total = sum(item.open_cents for item in invoices)
        ids = tuple(item.invoice_id for item in invoices)

        if status in ("oninbaar", "uit handen"):
            pauses.append(Pause(debtor_id, name, None, f"Status '{status}': geen aanmaningen meer."))
            continue
        if status == "failliet":
            if debtor_id in closed:
                pauses.append(Pause(debtor_id, name, None, "Failliet; vordering is al bij de curator of afgeboekt."))
            else:
                steps.append(
                    ProposedStep(debtor_id, name, kind, 0, TRUSTEE_TASK, ids, open_total, peildatum, True, None,
                                 "Debiteur is failliet: dien de vordering in bij de curator en stop met aanmanen.")
                )
            continue

        resume_at, jump_to_notice = None, False
        log = own(actions, debtor_id) if debtor_id in needs_cash else None
        cash = own(payments, debtor_id) if debtor_id in needs_cash else None
        if debtor_id in arranged:
            state = _arrangement_state(own(arrangements, debtor_id), log, cash, peildatum)
            if state is not None:
                missed, reason, next_due = state
                if not missed:
                    pauses.append(Pause(debtor_id, name, next_due, reason))
                    continue
                resume_at, jump_to_notice = reason, True

        promise = _promise_state(log, cash, peildatum) if debtor_id in promising else None
        if promise is not None:
            kept_pending, promised_date, reason = promise
            if kept_pending:
                call_day = promised_date - _DAY
                pauses.append(Pause(debtor_id, name, promised_date, reason))
                steps.append(
                    ProposedStep(debtor_id, name, kind, 0, CALL, ids, open_total, call_day, call_day <= peildatum, None,
                                 f"Bel een dag voor de toegezegde datum {_fmt(promised_date)} om de belofte te bevestigen.")
                )
                continue
            resume_at = resume_at or reason

        groups: dict[tuple[int, str], list] = {}
        for row in invoices:
            last_step, last_date, last_action = done_by_invoice.get(row.invoice_id, (0, None, None))
            if jump_to_notice:
                notice = _step_for(policy, _notice_step(policy, kind), kind)
                if notice is not None and last_step < notice.step - 1:
                    # A broken arrangement goes straight back to the notice of default.
                    last_step, last_date, last_action = notice.step - 1, peildatum - timedelta(days=notice.days), None
            nxt = _step_for(policy, last_step + 1, kind)
            if nxt is None:
                continue  # the policy has no further step for this invoice
            due = row.due_date
            if last_step == 0:
                earliest = due + timedelta(days=nxt.days)
            else:
                previous = _step_for(policy, last_step, kind)
                term = previous.term_days if previous is not None else None
                action = last_action or (previous.action if previous else "")
                earliest = step_term_end(action, last_date, term) + timedelta(days=nxt.days)
            if nxt.action == HAND_OVER:
                earliest = max(earliest, due + timedelta(days=HAND_OVER_DAYS))
            groups.setdefault((nxt.step, nxt.action), []).append((row, earliest))

        for (number, action), members in sorted(groups.items()):
            now = [(r, e) for r, e in members if e <= peildatum]
            later = [(r, e) for r, e in members if e > peildatum]
            for chosen, due_now in ((now, True), (later, False)):
                if not chosen:
                    continue
                earliest = max(e for _, e in chosen) if due_now else min(e for _, e in chosen)
                if not due_now:
                    chosen = [(r, e) for r, e in chosen if e == earliest]
                invoice_ids = tuple(r.invoice_id for r, _ in chosen)
                amount = int(sum(r.open_cents for r, _ in chosen))
                policy_step = _step_for(policy, number, kind)
                deadline = _deadline(action, peildatum, policy_step.term_days if policy_step else None)
                reason = _reason(number, action, chosen, peildatum, resume_at)
                steps.append(
                    ProposedStep(debtor_id, name, kind, number, action, invoice_ids, amount, earliest, due_now,
                                 deadline if due_now else None, reason)
                )
    steps.sort(key=lambda s: (not s.due_now, s.debtor_id, s.step))
    return DunningPlan(peildatum, tuple(steps), tuple(pauses))


def _notice_step(policy, kind) -> int:
    for step in policy:
        if step.action in (NOTICE_OF_DEFAULT, FOURTEEN_DAY_LETTER) and step.applies_to in (kind, "alle"):
            return step.step
    return 1


def _deadline(action: str, taken: date, term_days: int | None) -> date | None:
    if action not in LETTERS:
        return None
    return step_term_end(action, taken, term_days)


def _reason(number, action, chosen, peildatum, resume_at) -> str:
    oldest = min(r.due_date for r, _ in chosen)
    days = (peildatum - oldest).days
    count = len(chosen)
    what = f"{count} factu{'ren' if count != 1 else 'ur'} vervallen, de oudste {days} dagen"
    text = f"Stap {number}: {action.lower() if action == CALL else action}; {what}."
    if resume_at:
        text += f" {resume_at}"
    return text


def _steps_done(invoices: pd.DataFrame, log: pd.DataFrame, step_of_action) -> dict:
    """invoice_id -> (last step, its date, its action) from the log, for all invoices at once.

    A log row names its invoices, or (no Factuurnummers) counts for every invoice
    of the debtor that was past due on its date. Per invoice the highest step
    wins; among rows of that step, the latest.
    """
    steps = log.loc[log["kind"].isin(list(step_of_action))]
    if steps.empty or invoices.empty:
        return {}
    steps = steps.assign(step=steps["kind"].map(step_of_action).astype(np.int64))
    named = steps.loc[steps["invoice_ids"].notna()]
    named = named.assign(invoice_id=named["invoice_ids"].map(lambda t: list(parse_invoice_list(t))))
    named = named.explode("invoice_id").merge(invoices[["debtor_id", "invoice_id"]], on=["debtor_id", "invoice_id"])
    blanket = steps.loc[steps["invoice_ids"].isna()]
    blanket = blanket.merge(invoices[["debtor_id", "invoice_id", "due_date"]], on="debtor_id")
    blanket = blanket.loc[blanket["due_date"] < blanket["action_date"]]
    columns = ["invoice_id", "step", "action_date", "kind"]
    rows = pd.concat([named[columns], blanket[columns]], ignore_index=True)
    if rows.empty:
        return {}
    last = rows.sort_values(["invoice_id", "step", "action_date"], kind="stable").drop_duplicates("invoice_id", keep="last")
    return {
        invoice_id: (int(step), taken.date(), kind)
        for invoice_id, step, taken, kind in last.itertuples(index=False)
    }


def _paid_since(payments: pd.DataFrame | None, since: date) -> int:
    if payments is None:
        return 0
    return int(payments.loc[payments["payment_date"] >= pd.Timestamp(since), "amount_cents"].sum())


def _arrangement_state(arrangement, log, payments, peildatum):
    """(missed, Dutch reason, next due date) of a running arrangement, or None when it is over."""
    instalments = arrangement.sort_values("instalment")
    starts = None
    if log is not None:
        agreed = log.loc[log["kind"] == "Betalingsregeling", "action_date"]
        if not agreed.empty:
            starts = agreed.max().date()
    if starts is None:
        starts = instalments["due_date"].min().date() - timedelta(days=31)
    paid = _paid_since(payments, starts)
    total = int(instalments["amount_cents"].sum())
    if paid >= total:
        return None
    due_so_far = int(instalments.loc[instalments["due_date"] < pd.Timestamp(peildatum), "amount_cents"].sum())
    upcoming = instalments.loc[instalments["due_date"] >= pd.Timestamp(peildatum), "due_date"]
    next_due = upcoming.min().date() if not upcoming.empty else None
    if paid < due_so_far:
        missed = instalments.loc[instalments["amount_cents"].cumsum() > paid].iloc[0]
        return True, (
            f"Termijn {int(missed['instalment'])} van de betalingsregeling (vervaldatum "
            f"{_fmt(missed['due_date'].date())}) is niet betaald: de regeling vervalt en het aanmanen gaat verder."
        ), next_due
    reason = f"Betalingsregeling loopt ({len(instalments)} termijnen)"
    if next_due is not None:
        reason += f"; volgende termijn op {_fmt(next_due)}"
    return False, reason + ".", next_due


def _promise_state(log, payments, peildatum):
    """(pending, promised date, Dutch reason) of the latest promise to pay, or None."""
    if log is None:
        return None
    promises = log.loc[(log["kind"] == "Betalingsbelofte") & log["promised_date"].notna()]
    if promises.empty:
        return None
    latest = promises.sort_values("action_date", kind="stable").iloc[-1]
    promised = latest["promised_date"].date()
    amount = latest["promised_cents"]
    if promised >= peildatum:
        from .money import format_eur

        what = f" van {format_eur(int(amount), cents=True)}" if not pd.isna(amount) else ""
        return True, promised, f"Betalingsbelofte{what} voor {_fmt(promised)}: aanmanen staat stil tot die datum."
    paid = _paid_since(payments, latest["action_date"].date())
    if pd.isna(amount) or paid < int(amount):
        return False, promised, f"De betalingsbelofte voor {_fmt(promised)} is niet nagekomen."
    return None
