"""The dunning plan: the next step per debtor, with its reason and earliest date.

The policy (Aanmaanschema, design §5) and the log (Acties) decide where every
overdue invoice stands; the plan groups invoices of a debtor that are at the same
step into one proposal, so one letter covers them all. The rules:

- **Which invoices.** Open on the peildatum (after payments and credit notes),
  past their due date, not disputed. Paid or credited invoices drop out, so a
  step whose invoices were settled meanwhile disappears.
- **The route.** Per kind of debtor the policy rows for that kind (or ``alle``),
  in order of Stap, numbered 1..n. A consumer owes collection costs only after a
  valid 14-day letter sent on or after the first day of *verzuim* (art. 6:96 lid
  6 BW; HR 25-11-2016, ECLI:NL:HR:2016:2704). Without fatal payment terms
  (``Betaaltermijnen zijn fataal: nee``) a consumer is in verzuim only after the
  term of a notice of default, so when the policy has no Ingebrekestelling before
  the consumer's Veertiendagenbrief, the route gets one (without costs) right
  before it. A consumer's 14-day letter is never proposed before the first day of
  verzuim (the day after the due date under fatal terms, else the day after the
  notice's term).
- **Where an invoice stands.** The highest route step logged for it in Acties
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

- **One letter per debtor per day.** All invoices of a debtor whose letter step
  is due go into one proposal; the most advanced step decides the kind of letter
  and ``claims`` keeps each invoice's own step. A consumer's 14-day letter covers
  every claim in verzuim that has had no 14-day letter yet (6:96 lid 7 BW: the
  costs over their summed principal). Tasks (a call) stay separate proposals.

Everything is computed from the register as of the peildatum; the same register
and peildatum always give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd

from .dutch import format_date
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
# Steps that make a letter (to the debtor, or to the collection agency): one per debtor per day.
LETTER_STEPS = (*LETTERS, HAND_OVER)
# A notice of default without a term in the policy gets this many days (a reasonable term, art. 6:82 BW).
DEFAULT_NOTICE_DAYS = 14
_DAY = timedelta(days=1)
ACTION_LIST_COLUMNS = (
    "Debiteurnummer", "Naam", "Soort", "Stap", "Actie", "Nu uitvoeren", "Vanaf",
    "Betalen uiterlijk", "Facturen", "Bedrag", "Reden",
)  # fmt: skip


class ClaimState(NamedTuple):
    """One invoice in a proposal, at its own step of the route."""

    invoice_id: str
    step: int
    action: str


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
    deadline: date | None  # pay-by date / end of term of a letter sent on the peildatum (``DunningPlan.dated``)
    reason: str
    # Each invoice's own step (one letter per debtor per day); empty: all at ``step``/``action``.
    claims: tuple[ClaimState, ...] = ()
    term_days: int | None = None  # the policy's term of the step (its pay-by date counts it from the letter)

    def claim_states(self) -> tuple[ClaimState, ...]:
        """Every invoice with its own step (the proposal's step when ``claims`` is empty)."""
        return self.claims or tuple(ClaimState(i, self.step, self.action) for i in self.invoice_ids)

    def invoices_at(self, action: str) -> tuple[str, ...]:
        """The invoices of this proposal at ``action``."""
        return tuple(c.invoice_id for c in self.claim_states() if c.action == action)


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

    def dated(self, letter_date: date) -> DunningPlan:
        """The plan with each letter's pay-by date counted from ``letter_date``, the day the letters go out.

        The plan is made for the peildatum; letters are dated the day they are made (often days
        later), and their term runs from that day, so the Actielijst and the review show that date.
        """
        steps = tuple(
            replace(s, deadline=_deadline(s.action, letter_date, s.term_days)) if s.deadline is not None else s
            for s in self.steps
        )
        return replace(self, steps=steps)

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
    return format_date(day)


def notice_term_days(policy: tuple[DunningStep, ...]) -> int:
    """The term of a notice of default: the policy's Ingebrekestelling term, else 14 days."""
    return next((s.term_days for s in policy if s.action == NOTICE_OF_DEFAULT and s.term_days), DEFAULT_NOTICE_DAYS)


def term_days_for(policy: tuple[DunningStep, ...], action: str) -> int | None:
    """The term (days) the policy gives a step's letter (a notice of default always has one)."""
    if action == NOTICE_OF_DEFAULT:
        return notice_term_days(policy)
    return next((s.term_days for s in policy if s.action == action), None)


def route(policy: tuple[DunningStep, ...], kind: str, terms_are_fatal: bool) -> tuple[DunningStep, ...]:
    """The steps a debtor of ``kind`` walks, in order, numbered from 1.

    Without fatal payment terms a consumer is put in verzuim by a notice of default
    before the 14-day letter; when the policy has none for consumers, one is
    inserted (no costs; the 14-day letter follows on the first day of verzuim).

    >>> from debiteuren.register.model import DEFAULT_POLICY
    >>> [s.action for s in route(DEFAULT_POLICY, "consument", False)]
    ['Betalingsherinnering', 'Telefoongesprek', 'Ingebrekestelling', 'Veertiendagenbrief', 'Uit handen']
    >>> [(s.step, s.action) for s in route(DEFAULT_POLICY, "consument", True)][2:]
    [(3, 'Veertiendagenbrief'), (4, 'Uit handen')]
    >>> [s.action for s in route(DEFAULT_POLICY, "zakelijk", False)]
    ['Betalingsherinnering', 'Telefoongesprek', 'Ingebrekestelling', 'Uit handen']
    """
    steps = sorted((s for s in policy if s.applies_to in (kind, "alle")), key=lambda s: s.step)
    if kind == "consument" and not terms_are_fatal:
        for at, step in enumerate(steps):
            if step.action == NOTICE_OF_DEFAULT:
                break
            if step.action == FOURTEEN_DAY_LETTER:
                notice = DunningStep(step.step, NOTICE_OF_DEFAULT, "consument", step.days, notice_term_days(policy))
                steps[at : at + 1] = [notice, replace(step, days=0)]
                break
    return tuple(replace(s, step=number) for number, s in enumerate(steps, start=1))


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


def consumer_verzuim_days(register: Register, invoices: pd.DataFrame, peildatum: date) -> dict[str, date]:
    """invoice_id -> the first day of verzuim of each consumer invoice (of ``invoices``) that is in verzuim.

    Fatal payment terms: the day after the due date (art. 6:83 sub a BW). Otherwise
    the day after the term of the first notice in Acties (an Ingebrekestelling, or a
    Veertiendagenbrief, which is a written demand with a term too) covering the invoice
    (art. 6:82 BW). ``invoices`` has invoice_id, debtor_id and due_date.
    """
    return {i: start for i, (start, _, _) in consumer_verzuim(register, invoices, peildatum).items()}


def consumer_verzuim(register: Register, invoices: pd.DataFrame, peildatum: date) -> dict[str, tuple]:
    """invoice_id -> (first day of verzuim, the notice's kind, its date) for consumer invoices in verzuim.

    Under fatal payment terms the notice is ``("", None)``: the due date passing did it.
    """
    kinds = register.debtors.drop_duplicates("debtor_id").set_index("debtor_id")["kind"]
    consumer = invoices.loc[invoices["debtor_id"].map(kinds) == "consument"]
    if consumer.empty:
        return {}
    if register.settings.terms_are_fatal:
        return {i: (due.date() + _DAY, "", None) for i, due in zip(consumer["invoice_id"], consumer["due_date"])}
    log = register.actions
    notices = log.loc[
        log["kind"].isin([NOTICE_OF_DEFAULT, FOURTEEN_DAY_LETTER])
        & (log["action_date"] <= pd.Timestamp(peildatum))
        & log["debtor_id"].isin(set(consumer["debtor_id"]))
    ]
    # One letter per debtor per day: a notice logged beside a 14-day letter of the same day gave
    # the 14-day letter's (longer) term, so every notice of that day counts from the longest term.
    ends: dict[tuple, date] = {}
    for row in notices.itertuples(index=False):
        sent = row.action_date.date()
        end = step_term_end(row.kind, sent, term_days_for(register.policy, row.kind))
        ends[(row.debtor_id, sent)] = max(end, ends.get((row.debtor_id, sent), end))
    # Per debtor its consumer invoices as plain (id, due date) pairs: a large register has many notices.
    owned: dict[str, list] = {}
    for invoice_id, debtor_id, due in zip(consumer["invoice_id"], consumer["debtor_id"], consumer["due_date"]):
        owned.setdefault(debtor_id, []).append((invoice_id, due))
    first: dict[str, tuple] = {}
    for row in notices.itertuples(index=False):
        sent = row.action_date.date()
        start = ends[(row.debtor_id, sent)] + _DAY
        named = set(parse_invoice_list(row.invoice_ids))
        for invoice_id, due in owned.get(row.debtor_id, ()):
            if (invoice_id in named) if named else (due < row.action_date):
                if invoice_id not in first or start < first[invoice_id][0]:
                    first[invoice_id] = (start, str(row.kind), sent)
    return first


def plan(register: Register, open_invoices: pd.DataFrame, peildatum: date) -> DunningPlan:
    """The dunning plan on ``peildatum`` from the open invoices (ledger) and the register.

    ``open_invoices`` has at least invoice_id, debtor_id, due_date, open_cents and
    disputed, as the ledger returns them for the peildatum.
    """
    fatal = register.settings.terms_are_fatal
    routes = {kind: route(register.policy, kind, fatal) for kind in ("zakelijk", "consument")}
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
    mine = register.actions.loc[register.actions["debtor_id"].isin(wanted)]
    actions = mine.loc[mine["action_date"] <= cutoff]
    overdue_kind = overdue["debtor_id"].map(debtors["kind"])
    done_by_invoice: dict = {}
    for kind, steps_of_kind in routes.items():
        step_of_action = {s.action: s.step for s in steps_of_kind}
        # Letters are dated the day they are made, often after the peildatum: a step logged
        # later is still done, so a second review of the same peildatum never repeats it.
        done_by_invoice.update(_steps_done(overdue.loc[overdue_kind == kind], mine, step_of_action))
    verzuim = consumer_verzuim_days(register, overdue, peildatum)
    closed = set(actions.loc[actions["kind"].isin([HAND_OVER, "Afgeboekt"]), "debtor_id"])
    promising = set(
        actions.loc[(actions["kind"] == "Betalingsbelofte") & actions["promised_date"].notna(), "debtor_id"]
    )
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
                    ProposedStep(
                        debtor_id,
                        name,
                        kind,
                        0,
                        TRUSTEE_TASK,
                        ids,
                        open_total,
                        peildatum,
                        True,
                        None,
                        "Debiteur is failliet: dien de vordering in bij de curator en stop met aanmanen.",
                    )
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
                    ProposedStep(
                        debtor_id,
                        name,
                        kind,
                        0,
                        CALL,
                        ids,
                        open_total,
                        call_day,
                        call_day <= peildatum,
                        None,
                        f"Bel een dag voor de toegezegde datum {_fmt(promised_date)} om de belofte te bevestigen.",
                    )
                )
                continue
            resume_at = resume_at or reason

        walk = routes.get(kind, ())
        entries = []  # (invoice, next step, earliest)
        restarted: set[str] = set()
        for row in invoices:
            last_step, last_date, last_action = done_by_invoice.get(row.invoice_id, (0, None, None))
            if jump_to_notice:
                notice = _notice_step(walk)
                if notice is not None and last_step < notice.step - 1:
                    # A broken arrangement goes straight back to the notice of default.
                    last_step, last_date, last_action = notice.step - 1, peildatum - timedelta(days=notice.days), None
            if (
                kind == "consument"
                and last_action == FOURTEEN_DAY_LETTER
                and 0 < last_step <= len(walk)
                and walk[last_step - 1].action == FOURTEEN_DAY_LETTER
                and (row.invoice_id not in verzuim or verzuim[row.invoice_id] > last_date)
            ):
                # A 14-day letter sent before verzuim put the consumer in verzuim but made no costs due
                # (art. 6:96 lid 6 BW); it cannot be repaired, so a new, valid one starts over.
                last_step -= 1
                restarted.add(row.invoice_id)
            if last_step >= len(walk):
                continue  # the policy has no further step for this invoice
            nxt = walk[last_step]
            if last_step == 0:
                earliest = row.due_date + timedelta(days=nxt.days)
            else:
                previous = walk[last_step - 1]
                action = last_action or previous.action
                term = previous.term_days if action == previous.action else term_days_for(register.policy, action)
                earliest = step_term_end(action, last_date, term) + timedelta(days=nxt.days)
            if nxt.action == HAND_OVER:
                earliest = max(earliest, row.due_date + timedelta(days=HAND_OVER_DAYS))
            if nxt.action == FOURTEEN_DAY_LETTER and row.invoice_id in verzuim:
                # Never before the first day of verzuim (art. 6:96 lid 6 BW).
                earliest = max(earliest, verzuim[row.invoice_id])
            entries.append((row, nxt, earliest))

        letter_now = [e for e in entries if e[2] <= peildatum and e[1].action in LETTER_STEPS]
        if letter_now:
            main = max((n for _, n, _ in letter_now), key=lambda n: n.step)
            members = {r.invoice_id: (r, n, e) for r, n, e in letter_now}
            if kind == "consument" and main.action == FOURTEEN_DAY_LETTER:
                # 6:96 lid 7 BW: the 14-day letter covers every claim in verzuim without one yet.
                for r, n, e in entries:
                    starts = verzuim.get(r.invoice_id)
                    if n.step <= main.step and starts is not None and starts <= peildatum:
                        members[r.invoice_id] = (r, main, e)
            chosen = [members[r.invoice_id] for r, _, _ in entries if r.invoice_id in members]
            earliest = max(e for _, n, e in letter_now)
            claims = tuple(ClaimState(r.invoice_id, n.step, n.action) for r, n, _ in chosen)
            reason = _reason(main.step, main.action, [(r, e) for r, _, e in chosen], peildatum, resume_at)
            others = [f"{c.invoice_id} ({c.action.lower()})" for c in claims if c.action != main.action]
            if others:
                reason += " In dezelfde brief, met een eigen stap: " + ", ".join(others) + "."
            again = [c.invoice_id for c in claims if c.invoice_id in restarted]
            if again:
                reason += (
                    f" De eerdere veertiendagenbrief voor {', '.join(again)} ging vóór het verzuim uit en "
                    "maakte geen incassokosten verschuldigd; deze brief begint opnieuw."
                )
            steps.append(
                ProposedStep(
                    debtor_id,
                    name,
                    kind,
                    main.step,
                    main.action,
                    tuple(c.invoice_id for c in claims),
                    int(sum(r.open_cents for r, _, _ in chosen)),
                    earliest,
                    True,
                    _deadline(main.action, peildatum, main.term_days),
                    reason,
                    claims if len({c.action for c in claims}) > 1 else (),
                    main.term_days,
                )
            )
            entries = [x for x in entries if x[0].invoice_id not in members]

        groups: dict[tuple[int, str], list] = {}
        for row, nxt, earliest in entries:
            groups.setdefault((nxt.step, nxt.action), []).append((row, earliest))
        for (number, action), members_ in sorted(groups.items()):
            now = [(r, e) for r, e in members_ if e <= peildatum]
            later = [(r, e) for r, e in members_ if e > peildatum]
            for chosen_, due_now in ((now, True), (later, False)):
                if not chosen_:
                    continue
                earliest = max(e for _, e in chosen_) if due_now else min(e for _, e in chosen_)
                if not due_now:
                    chosen_ = [(r, e) for r, e in chosen_ if e == earliest]
                invoice_ids = tuple(r.invoice_id for r, _ in chosen_)
                amount = int(sum(r.open_cents for r, _ in chosen_))
                term = walk[number - 1].term_days
                deadline = _deadline(action, peildatum, term)
                reason = _reason(number, action, chosen_, peildatum, resume_at)
                steps.append(
                    ProposedStep(
                        debtor_id,
                        name,
                        kind,
                        number,
                        action,
                        invoice_ids,
                        amount,
                        earliest,
                        due_now,
                        deadline if due_now else None,
                        reason,
                        term_days=term,
                    )
                )
    steps.sort(key=lambda s: (not s.due_now, s.debtor_id, s.step))
    return DunningPlan(peildatum, tuple(steps), tuple(pauses))


def _notice_step(walk: tuple[DunningStep, ...]) -> DunningStep | None:
    return next((s for s in walk if s.action in (NOTICE_OF_DEFAULT, FOURTEEN_DAY_LETTER)), None)


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
    last = rows.sort_values(["invoice_id", "step", "action_date"], kind="stable").drop_duplicates(
        "invoice_id", keep="last"
    )
    return {
        invoice_id: (int(step), taken.date(), kind) for invoice_id, step, taken, kind in last.itertuples(index=False)
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
        return (
            True,
            (
                f"Termijn {int(missed['instalment'])} van de betalingsregeling (vervaldatum "
                f"{_fmt(missed['due_date'].date())}) is niet betaald: de regeling vervalt en het aanmanen gaat verder."
            ),
            next_due,
        )
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
