"""The route a claim takes, month by month: a consumer and a business debtor, with and without fatal terms.

Each month-end the review is run, every due step taken and logged as the monthly
run logs it (letters dated the day they are made, three days after the peildatum;
calls on the peildatum), and the next month reads that log. Each letter's kind,
date, pay-by date, invoices with their own step, interest and collection costs
are checked against figures worked out by hand below.

Invoices (2026): F1 € 1.000,00 due 1 July, F2 € 500,00 due 14 August, F3 € 250,00
due 20 September. Rates: wettelijke rente 4 % (2026), handelsrente 10,40 % from
1 July 2026 (the shipped table). Interest = principal × rate × days / 365, the total
rounded half-up to cents; days count first and last interest day.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from fractions import Fraction
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from debiteuren.dunning import ProposedStep
from debiteuren.dunning_letters import build_letter, log_entries
from debiteuren.letters import LetterError
from debiteuren.letters.pdf import convert_to_pdf, find_soffice
from debiteuren.letters.render import render_letter
from debiteuren.register import read_register
from debiteuren.register.model import Settings
from debiteuren.review import review
from registers import d, make_register

INVOICES = [
    dict(invoice_id="F1", debtor_id="1001", invoice_date="2026-06-01", due_date="2026-07-01", amount="1.000,00"),
    dict(invoice_id="F2", debtor_id="1001", invoice_date="2026-07-15", due_date="2026-08-14", amount="500,00"),
    dict(invoice_id="F3", debtor_id="1001", invoice_date="2026-08-21", due_date="2026-09-20", amount="250,00"),
]
MONTHS = [d(day) for day in ("2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31")]
MADE_AFTER = timedelta(days=3)  # letters are made (and dated) three days after the peildatum
H, C, I, V, U = "Betalingsherinnering", "Telefoongesprek", "Ingebrekestelling", "Veertiendagenbrief", "Uit handen"


def register_for(kind, actions, fatal, vat=False, payments=()):
    return make_register(
        debtors=[dict(debtor_id="1001", name="A. Bakker", kind=kind)],
        invoices=INVOICES,
        payments=list(payments),
        actions=list(actions),
        settings=Settings(
            company_name="Voorbeeld B.V.", iban="NL91ABNA0417164300", terms_are_fatal=fatal, collection_costs_vat=vat
        ),
    )


def walk(kind, fatal, payments=(), made=None):
    """Every step taken, month by month: (peildatum, kind, letter date, pay-by, ((invoice, step), ...), interest, costs).

    ``made``: a list that receives every Letter made, for a closer look.
    """
    actions, taken = [], []
    for peildatum in MONTHS:
        register = register_for(kind, actions, fatal, payments=payments)
        result = review(register, peildatum)
        letters = [s for s in result.plan.due() if s.action != C]
        assert len(letters) <= 1  # one letter per debtor per day
        for step in result.plan.due():
            if step.action == C:
                actions.append(
                    dict(
                        action_date=peildatum.isoformat(),
                        debtor_id="1001",
                        invoice_ids=", ".join(step.invoice_ids),
                        kind=C,
                    )
                )
                taken.append((peildatum, C, step.invoice_ids))
                continue
            letter, _ = build_letter(register, result, step, peildatum + MADE_AFTER)
            if made is not None:
                made.append(letter)
            for soort, ids, what in log_entries(step, letter):
                actions.append(
                    dict(
                        action_date=letter.letter_date.isoformat(),
                        debtor_id="1001",
                        invoice_ids=", ".join(ids),
                        kind=soort,
                        description=what,
                    )
                )
            taken.append(
                (
                    peildatum,
                    letter.kind,
                    letter.letter_date,
                    letter.pay_by,
                    tuple((line.number, line.state) for line in letter.invoices),
                    letter.interest,
                    letter.collection_costs,
                )
            )
    return taken


def eur(text):
    return Decimal(text)


def test_consumer_without_fatal_terms_is_put_in_default_before_the_fourteen_day_letter():
    assert walk("consument", fatal=False) == [
        # Due 1 July + 7 = 8 July; made Monday 3 August, pay within 7 days: 10 August. No interest, no costs.
        (d("2026-07-31"), "betalingsherinnering", d("2026-08-03"), d("2026-08-10"), (("F1", H),), 0, 0),
        # F2: due 14 August + 7 = 21 August. F1: the reminder's term ended 10 August, so a call.
        (d("2026-08-31"), "betalingsherinnering", d("2026-09-03"), d("2026-09-10"), (("F2", H),), 0, 0),
        (d("2026-08-31"), C, ("F1",)),
        # F1: call 31 August + 5 = 5 September: the notice of default the route inserts (no costs: the
        # consumer is not in verzuim yet). F3 (due 20 September + 7 = 27 September) rides along as a
        # reminder. Made Saturday 3 October, 7 days: Saturday 10 -> Monday 12 October (Atw).
        (d("2026-09-30"), C, ("F2",)),
        (d("2026-09-30"), "ingebrekestelling", d("2026-10-03"), d("2026-10-12"), (("F1", I), ("F3", H)), 0, 0),
        # F1 in verzuim from 13 October: the 14-day letter, made Tuesday 3 November, presumed delivered
        # Thursday 5 November, last day 19 November. Interest 13 October - 3 November, 22 days:
        # 1.000 × 4 % × 22/365 = 2,41. Costs: staffel(1.000) = 15 % = 150,00. F2 (call 30 September + 5)
        # gets its notice in the same letter, without costs.
        (d("2026-10-31"), C, ("F3",)),
        (
            d("2026-10-31"),
            "veertiendagenbrief",
            d("2026-11-03"),
            d("2026-11-19"),
            (("F1", V), ("F2", I)),
            eur("2.41"),
            eur("150.00"),
        ),
        # F1's term passed (and 60 days overdue): hand-over, which takes the debtor's other claims along.
        # Its costs: only F1's valid 14-day letter, 150,00. Interest to 3 December: F1 13 October -
        # 3 December, 52 days: 5,698; F2 in verzuim from 20 November (its notice went with the 14-day
        # letter, so the letter's term), 14 days: 500 × 4 % × 14/365 = 0,767; F3 none: 6,465 -> 6,47.
        (
            d("2026-11-30"),
            "overdracht",
            d("2026-12-03"),
            d("2026-12-03"),
            (("F1", U), ("F2", V), ("F3", I)),
            eur("6.47"),
            eur("150.00"),
        ),
    ]


def test_consumer_with_fatal_terms_gets_the_fourteen_day_letter_after_the_call():
    assert walk("consument", fatal=True) == [
        (d("2026-07-31"), "betalingsherinnering", d("2026-08-03"), d("2026-08-10"), (("F1", H),), 0, 0),
        (d("2026-08-31"), "betalingsherinnering", d("2026-09-03"), d("2026-09-10"), (("F2", H),), 0, 0),
        (d("2026-08-31"), C, ("F1",)),
        # In verzuim the day after each due date, so the 14-day letter covers all three claims (6:96 lid 7):
        # costs over 1.750,00: 15 % = 262,50. Made Saturday 3 October: delivery skips Sunday and Monday,
        # Tuesday 6 (1), Wednesday 7 (2); last day 21 October. Interest to 3 October:
        # F1 2 July - 3 October, 94 days: 10,301; F2 15 August, 50 days: 2,740; F3 21 September,
        # 13 days: 250 × 4 % × 13/365 = 0,356; 13,397 -> 13,40.
        (
            d("2026-09-30"),
            "veertiendagenbrief",
            d("2026-10-03"),
            d("2026-10-21"),
            (("F1", V), ("F2", V), ("F3", V)),
            eur("13.40"),
            eur("262.50"),
        ),
        # F1 and F2 are 60 days overdue: handed over with their share of the letter's costs,
        # 262,50 × 1.500/1.750 = 225,00. Interest to 3 November: F1 125 days 13,699; F2 81 days 4,438: 18,14.
        (
            d("2026-10-31"),
            "overdracht",
            d("2026-11-03"),
            d("2026-11-03"),
            (("F1", U), ("F2", U)),
            eur("18.14"),
            eur("225.00"),
        ),
        # F3 (due 20 September + 60 = 19 November) follows with the rest: 262,50 × 250/1.750 = 37,50,
        # never a second minimum of 40,00. Interest 21 September - 3 December, 74 days: 2,027 -> 2,03.
        (d("2026-11-30"), "overdracht", d("2026-12-03"), d("2026-12-03"), (("F3", U),), eur("2.03"), eur("37.50")),
    ]


@pytest.mark.parametrize("fatal", [False, True], ids=["niet-fataal", "fataal"])
def test_business_debtor_route_is_the_same_with_or_without_fatal_terms(fatal):
    assert walk("zakelijk", fatal=fatal) == [
        (d("2026-07-31"), "betalingsherinnering", d("2026-08-03"), d("2026-08-10"), (("F1", H),), 0, 0),
        (d("2026-08-31"), "betalingsherinnering", d("2026-09-03"), d("2026-09-10"), (("F2", H),), 0, 0),
        (d("2026-08-31"), C, ("F1",)),
        # Never a reminder and a notice the same day: F3's reminder is part of F1's notice of default.
        # Costs over F1 only: 150,00. Handelsrente from the day after the due date to 3 October:
        # F1 94 days × 10,40 %: 26,784; F3 13 days: 250 × 10,40 % × 13/365 = 0,926; 27,71.
        (d("2026-09-30"), C, ("F2",)),
        (
            d("2026-09-30"),
            "ingebrekestelling",
            d("2026-10-03"),
            d("2026-10-12"),
            (("F1", I), ("F3", H)),
            eur("27.71"),
            eur("150.00"),
        ),
        # Hand-over of F1 with F2 (due for its notice). Fatal terms: both in verzuim since their due dates,
        # staffel over 1.500,00 = 225,00. Not fatal: F1 is in verzuim after the notice of 3 October (term
        # through 12 October): staffel(1.000,00) = 150,00; F2 had no notice yet: only 40,00 (6:96 lid 4
        # BW); 190,00. Interest to 3 November: F1 125 days 35,616; F2 81 days 11,540; 47,16.
        (d("2026-10-31"), C, ("F3",)),
        (
            d("2026-10-31"),
            "overdracht",
            d("2026-11-03"),
            d("2026-11-03"),
            (("F1", U), ("F2", I)),
            eur("47.16"),
            eur("225.00") if fatal else eur("190.00"),
        ),
        # F3: notice made Thursday 3 December, 7 days: 10 December; staffel(250) = 37,50 < 40,00, so 40,00.
        # Interest 21 September - 3 December, 74 days: 5,271 -> 5,27.
        (
            d("2026-11-30"),
            "ingebrekestelling",
            d("2026-12-03"),
            d("2026-12-10"),
            (("F3", I),),
            eur("5.27"),
            eur("40.00"),
        ),
        # Made Sunday 3 January 2027: interest 105 days: 7,479 -> 7,48.
        (d("2026-12-31"), "overdracht", d("2027-01-03"), d("2027-01-03"), (("F3", U),), eur("7.48"), eur("40.00")),
    ]


def test_a_fourteen_day_letter_dated_before_verzuim_is_refused():
    # The consumer's notice of 3 October gave until 12 October: verzuim from 13 October.
    actions = [
        dict(action_date="2026-08-03", debtor_id="1001", invoice_ids="F1", kind=H),
        dict(action_date="2026-08-31", debtor_id="1001", invoice_ids="F1", kind=C),
        dict(action_date="2026-10-03", debtor_id="1001", invoice_ids="F1", kind=I),
    ]
    register = register_for("consument", actions, fatal=False)
    result = review(register, d("2026-10-13"))
    step = next(s for s in result.plan.due() if s.action == V)
    assert step.invoices_at(V) == ("F1",) and step.invoices_at(H) == ("F2", "F3")
    with pytest.raises(LetterError, match="nog niet in verzuim"):
        build_letter(register, result, step, d("2026-10-12"))
    letter, _ = build_letter(register, result, step, d("2026-10-13"))
    assert letter.collection_costs == eur("150.00")


def test_a_fourteen_day_letter_sent_before_verzuim_gives_no_costs_in_the_hand_over():
    # The old route: a 14-day letter as the first notice (terms not fatal). It put the consumer in
    # verzuim, but could not make the costs due (art. 6:96 lid 6 BW; HR 25-11-2016).
    actions = [
        dict(action_date="2026-08-03", debtor_id="1001", invoice_ids="F1", kind=H),
        dict(action_date="2026-08-31", debtor_id="1001", invoice_ids="F1", kind=C),
        dict(action_date="2026-09-05", debtor_id="1001", invoice_ids="F1", kind=V),
    ]
    register = register_for("consument", actions, fatal=False)
    result = review(register, d("2026-10-31"))
    # Handed over anyway (the controller's choice; the plan would send a new 14-day letter first).
    step = ProposedStep("1001", "A. Bakker", "consument", 5, U, ("F1",), 100000, d("2026-10-31"), True, None, "")
    letter, _ = build_letter(register, result, step, d("2026-11-03"))
    assert letter.collection_costs == 0
    assert letter.claim.costs_basis[0].startswith("Geen incassokosten uit de veertiendagenbrief van 05-09-2026")
    assert "verstuurd vóór het verzuim" in letter.claim.costs_basis[0]


def test_hand_over_claims_the_vat_the_fourteen_day_letter_stated():
    actions = [
        dict(action_date="2026-08-03", debtor_id="1001", invoice_ids="F1", kind=H),
        dict(action_date="2026-08-31", debtor_id="1001", invoice_ids="F1", kind=C),
        dict(action_date="2026-10-03", debtor_id="1001", invoice_ids="F1", kind=V),
    ]
    register = register_for("consument", actions, fatal=True, vat=True)
    result = review(register, d("2026-10-31"))
    step = next(s for s in result.plan.due() if s.action == U)
    letter, _ = build_letter(register, result, step, d("2026-11-03"))
    # staffel(1.000) = 150,00; 21 % btw = 31,50.
    assert (letter.collection_costs, letter.collection_costs_vat) == (eur("150.00"), eur("31.50"))
    # The creditor's express statement that it cannot deduct the VAT (art. 2 lid 3 Besluit) is in the specification.
    assert letter.claim.costs_basis[-1] == (
        "Btw over de incassokosten: 21 %, € 31,50. Wij kunnen de btw over de incassokosten niet verrekenen "
        "(art. 2 lid 3 Besluit vergoeding voor buitengerechtelijke incassokosten)."
    )


def test_controleer_refuses_a_schedule_that_breaks_the_consumer_route(tmp_path):
    from debiteuren.register import RegisterInvalid, read_register
    from workbooks import write_register

    path = write_register(
        tmp_path,
        Aanmaanschema=[
            ["Stap", "Actie", "Voor", "Dagen", "Termijn"],
            [1, "Betalingsherinnering", "alle", 7, 7],
            [2, "Veertiendagenbrief", "consument", 5, 10],
            [3, "Ingebrekestelling", "alle", 5, None],
            [4, "Uit handen", "alle", 0, None],
        ],
    )
    with pytest.raises(RegisterInvalid) as refused:
        read_register(path)
    assert [str(p) for p in refused.value.problems] == [
        "Blad 'Aanmaanschema', rij 3, kolom 'Termijn': '10' is ongeldig; verwacht: leeg of 14 bij stap 2 "
        "(Veertiendagenbrief): de wet geeft de consument veertien dagen vanaf de dag na bezorging "
        "(art. 6:96 lid 6 BW).",
        "Blad 'Aanmaanschema', rij 4, kolom 'Termijn': (leeg) is ongeldig; verwacht: een termijn in dagen bij "
        "stap 3 (Ingebrekestelling): pas na een redelijke termijn is de debiteur in verzuim (art. 6:82 BW).",
        "Blad 'Aanmaanschema', rij 4, kolom 'Stap': '3' is ongeldig; verwacht: een stap vóór stap 2 "
        "(Veertiendagenbrief): een consument moet in verzuim zijn vóór de veertiendagenbrief, anders zijn er "
        "geen incassokosten (art. 6:96 lid 6 BW).",
    ]


def test_the_default_schedule_and_a_business_only_notice_pass(tmp_path):
    from debiteuren.register import read_register
    from debiteuren.register.model import DEFAULT_POLICY
    from workbooks import write_register

    rows = [[s.step, s.action, s.applies_to, s.days, s.term_days] for s in DEFAULT_POLICY]
    path = write_register(tmp_path, Aanmaanschema=[["Stap", "Actie", "Voor", "Dagen", "Termijn"], *rows])
    assert set(read_register(path).policy) == set(DEFAULT_POLICY)


def test_the_hand_over_says_per_invoice_on_what_its_interest_rests():
    # The walk without fatal terms, up to the hand-over of 30 November (made 3 December).
    actions = [
        dict(action_date="2026-08-03", debtor_id="1001", invoice_ids="F1", kind=H),
        dict(action_date="2026-08-31", debtor_id="1001", invoice_ids="F1", kind=C),
        dict(action_date="2026-09-03", debtor_id="1001", invoice_ids="F2", kind=H),
        dict(action_date="2026-09-30", debtor_id="1001", invoice_ids="F2", kind=C),
        dict(action_date="2026-10-03", debtor_id="1001", invoice_ids="F1", kind=I),
        dict(action_date="2026-10-03", debtor_id="1001", invoice_ids="F3", kind=H),
        dict(action_date="2026-10-31", debtor_id="1001", invoice_ids="F3", kind=C),
        dict(action_date="2026-11-03", debtor_id="1001", invoice_ids="F1", kind=V),
        dict(action_date="2026-11-03", debtor_id="1001", invoice_ids="F2", kind=I),
    ]
    register = register_for("consument", actions, fatal=False)
    result = review(register, d("2026-11-30"))
    [step] = [s for s in result.plan.due() if s.action == U]
    letter, _ = build_letter(register, result, step, d("2026-12-03"))
    assert letter.claim.interest_basis == (
        "Factuur F1: hoofdsom € 1.000,00; eerste rentedag 13-10-2026: de eerste dag van verzuim, na de termijn "
        "van de ingebrekestelling van 03-10-2026 (art. 6:82 BW).",
        # F2's notice went out with F1's 14-day letter: its term was the letter's, to 19 November.
        "Factuur F2: hoofdsom € 500,00; eerste rentedag 20-11-2026: de eerste dag van verzuim, na de termijn "
        "van de ingebrekestelling van 03-11-2026 (art. 6:82 BW).",
        "Factuur F3: hoofdsom € 250,00; geen rente: de consument is voor deze factuur niet in verzuim.",
    )
    assert [(p.invoice, p.start, p.end, p.days, p.interest) for p in letter.claim.interest_periods] == [
        # 1.000 × 4 % × 52/365 = 5,70; 500 × 4 % × 14/365 = 0,77.
        ("F1", d("2026-10-13"), d("2026-12-03"), 52, eur("5.70")),
        ("F2", d("2026-11-20"), d("2026-12-03"), 14, eur("0.77")),
    ]
    assert letter.claim.costs_basis[0].startswith(
        "Uit de veertiendagenbrief van 03-11-2026 (bezorgd vermoed 05-11-2026, termijn tot en met 19-11-2026) "
        "voor factuur F1:"
    )
    # The log states the same figures: 1.750,00 + 6,47 + 150,00.
    assert log_entries(step, letter) == [
        (
            U,
            ("F1", "F2", "F3"),
            "Overdracht ter incasso verstuurd; vordering € 1.906,47: hoofdsom € 1.750,00, rente € 6,47, "
            "incassokosten € 150,00",
        )
    ]


def test_a_fourteen_day_letter_sent_before_verzuim_is_followed_by_a_valid_one():
    # The old route's 14-day letter of Saturday 5 September was the first notice: it put the consumer
    # in verzuim from the day after its term (sending on a Saturday, delivery skips Sunday and Monday:
    # Tuesday 8 (1), Wednesday 9 (2); last day Wednesday 23 September), so a new 14-day letter is due
    # from Thursday 24 September, not the hand-over.
    actions = [
        dict(action_date="2026-08-03", debtor_id="1001", invoice_ids="F1", kind=H),
        dict(action_date="2026-08-31", debtor_id="1001", invoice_ids="F1", kind=C),
        dict(action_date="2026-09-05", debtor_id="1001", invoice_ids="F1", kind=V),
    ]
    register = register_for("consument", actions, fatal=False)
    before = review(register, d("2026-09-23")).plan.steps
    assert [(s.action, s.invoice_ids, s.earliest, s.due_now) for s in before if "F1" in s.invoice_ids] == [
        (V, ("F1",), d("2026-09-24"), False)
    ]
    [step] = [s for s in review(register, d("2026-09-30")).plan.due() if s.action == V]
    assert "ging vóór het verzuim uit" in step.reason
    letter, _ = build_letter(register, review(register, d("2026-09-30")), step, d("2026-10-01"))
    assert letter.collection_costs > 0
    # With fatal terms the first letter was valid: the hand-over follows.
    fatal = register_for("consument", actions, fatal=True)
    assert [s.action for s in review(fatal, d("2026-10-31")).plan.due() if "F1" in s.invoice_ids] == [U]


# ---------------------------------------------------------------------------
# the hand-over by 6:44, against an independent calculation


def by_hand(principal, first_day, last_day, rate_pct, payments=()):
    """(interest paid by each payment, principal left, interest still owed) of one claim, in cents.

    One day at a time in exact fractions: each day from ``first_day`` through ``last_day``
    earns principal × rate / 365; a payment on a day (that day's interest included, art.
    6:119a lid 1: "tot en met de dag") goes to the interest accrued first, then to the
    principal (art. 6:44 BW). One rate, no anniversary: periods under a year only.
    Shares no code with the engine.
    """
    cents = lambda x: int((2 * x + 1) // 2)  # noqa: E731 - half up
    p, owed, paid, day = Fraction(principal) * 100, Fraction(0), [], first_day
    todo = dict(payments)
    while day <= last_day:
        owed += p * Fraction(str(rate_pct)) / 100 / 365
        if day in todo:
            amount = Fraction(todo[day]) * 100
            to_interest = min(amount, cents(owed))
            paid.append(to_interest)
            owed = owed - to_interest if to_interest < cents(owed) else Fraction(0)
            p -= amount - to_interest
        day += timedelta(days=1)
    return paid, int(p), cents(owed)


def test_business_hand_over_allocates_a_partial_payment_by_6_44_month_by_month():
    # € 600,00 paid on 15 September without naming an invoice. 6:43: F1 and F2 are due, both at
    # 10,40 %: the oldest first, F1. F1 owes € 40,00 of collection costs since 2 July, the day after its
    # due date (art. 6:96 lid 4 BW, no reminder needed), so 6:44 puts the payment first on them; then
    # F1's interest 2 July - 15 September, 76 days: 1.000 × 10,40 % × 76/365 = 21,6548 -> 21,65; the rest,
    # 600 - 40 - 21,65 = 538,35, on principal: 461,65 left.
    made = []
    taken = walk(
        "zakelijk",
        fatal=False,
        payments=[dict(payment_date="2026-09-15", debtor_id="1001", amount="600,00")],
        made=made,
    )
    assert [t[:2] for t in taken if t[1] != C] == [
        (d(m), k)
        for m, k in [
            ("2026-07-31", "betalingsherinnering"),
            ("2026-08-31", "betalingsherinnering"),
            ("2026-09-30", "ingebrekestelling"),
            ("2026-10-31", "overdracht"),
            ("2026-11-30", "ingebrekestelling"),
            ("2026-12-31", "overdracht"),
        ]
    ]
    notice = next(letter for letter in made if letter.kind == "ingebrekestelling")
    # The notice of 3 October runs F1's € 40,00 (due since 2 July) through 6:44 as the hand-over does, so
    # it claims the principal the hand-over will: 461,65. Interest F1 461,65 × 10,40 % × 18/365
    # (16 September - 3 October) = 2,3677 -> 2,37; F3 (a reminder in the same letter, no costs)
    # 250 × 10,40 % × 13/365 = 0,926 -> 0,93; 3,30. The € 40,00 owed is paid; the staffel if the term
    # passes, 15 % × 461,65 = 69,2475 -> 69,25, less that € 40,00: 29,25 still to come.
    assert [(line.number, line.open_amount) for line in notice.invoices] == [
        ("F1", eur("461.65")),
        ("F3", eur("250.00")),
    ]
    assert (notice.interest, notice.costs_due_now, notice.costs_paid, notice.costs_owed_now) == (
        eur("3.30"),
        eur("40.00"),
        eur("40.00"),
        eur("0.00"),
    )
    assert (notice.costs_whole, notice.collection_costs) == (eur("69.25"), eur("29.25"))
    # It demands principal and interest (nothing of the costs is open): 461,65 + 250 + 3,30 = 714,95.
    assert notice.amount_to_pay == eur("714.95")
    hand_over = next(letter for letter in made if letter.kind == "overdracht")
    assert hand_over.letter_date == d("2026-11-03")
    # by_hand knows no costs: it gets the part of the payment that reached interest and principal.
    f1 = by_hand("1000.00", d("2026-07-02"), d("2026-11-03"), "10.40", {d("2026-09-15"): "560.00"})
    f2 = by_hand("500.00", d("2026-08-15"), d("2026-11-03"), "10.40")
    # F1: 461,65 × 10,40 % × 49/365 (16 September - 3 November) = 6,4454 -> 6,45 owed.
    # F2: 500 × 10,40 % × 81/365 (15 August - 3 November) = 11,5397 -> 11,54; nothing paid on it.
    assert f1 == ([2165], 46165, 645) and f2 == ([], 50000, 1154)
    assert [(line.number, line.open_amount) for line in hand_over.invoices] == [
        ("F1", eur("461.65")),
        ("F2", eur("500.00")),
    ]
    assert hand_over.interest == eur("17.99") == Decimal(f1[2] + f2[2]) / 100
    # Not fatal: F1 is in verzuim after the notice's term (through 12 October), the staffel over the
    # principal of that day: 15 % × 461,65 = 69,2475 -> 69,25 (€ 40,00 of it due since 2 July, 29,25 since
    # 13 October). F2 had no notice whose term passed: € 40,00 (since 15 August). 109,25, less the € 40,00
    # the payment of 15 September settled: 69,25 still owed.
    assert hand_over.collection_costs == eur("69.25")
    assert hand_over.claim.costs_basis[0].startswith(
        "Ingebrekestelling van 03-10-2026 (termijn tot en met 12-10-2026) voor factuur F1: in verzuim vanaf "
        "13-10-2026 (art. 6:82 BW)."
    )
    assert hand_over.claim.costs_basis[1].startswith(
        "Factuur F2: geen ingebrekestelling waarvan de termijn vóór 03-11-2026 verstreek, en de betaaltermijnen "
        "zijn niet fataal"
    )
    assert hand_over.total_due == eur("961.65") + eur("17.99") + eur("69.25")
    [payment] = hand_over.claim.payments
    assert (
        payment.date,
        payment.invoice,
        payment.amount,
        payment.to_costs,
        payment.to_interest,
        payment.to_principal,
    ) == (d("2026-09-15"), "F1", eur("600.00"), eur("40.00"), eur("21.65"), eur("538.35"))
    # The periods say the same: F1's base drops to 461,65 the day after the payment.
    assert [(p.invoice, p.start, p.base) for p in hand_over.claim.interest_periods if p.invoice == "F1"] == [
        ("F1", d("2026-07-02"), eur("1000.00")),
        ("F1", d("2026-09-16"), eur("461.65")),
    ]
    # Acties: the same figures.
    main = log_entries(
        ProposedStep("1001", "A. Bakker", "zakelijk", 5, U, ("F1", "F2"), 0, None, True, None, ""), hand_over
    )[0][2]
    assert "hoofdsom € 961,65, rente € 17,99, incassokosten € 69,25" in main


DEMO = Path(__file__).resolve().parent.parent / "workbook" / "debiteuren.xlsx"


@pytest.mark.parametrize("fatal", [True, False], ids=["fataal", "niet-fataal"])
def test_hand_over_of_demo_debtor_10023_by_6_44(fatal):
    # Invoice 2026-0409: € 1.107,26 due 17 July 2026, consumer, wettelijke rente 4 % (2026); € 369,08 paid
    # on 14 October 2026 (designated); a 14-day letter of 5 August 2026 (presumed delivered 7 August, term
    # through 21 August). Hand-over dated 30 November 2026.
    if not DEMO.exists():
        pytest.skip("the demo register workbook/debiteuren.xlsx is not built")
    register = read_register(DEMO)
    register = dataclasses.replace(register, settings=dataclasses.replace(register.settings, terms_are_fatal=fatal))
    result = review(register, d("2026-11-30"))
    step = ProposedStep("10023", "Jan de Ruiter", "consument", 4, U, ("2026-0409",), 73818, None, True, None, "")
    letter, _ = build_letter(register, result, step, d("2026-11-30"))
    if fatal:
        # In verzuim the day after the due date: interest from 18 July. The 14-day letter is valid, so its
        # costs are due from 22 August, fixed on the principal then: 15 % × 1.107,26 = 166,09. The payment of
        # 14 October goes first to them (6:44): 166,09, then 18 July - 14 October, 89 days:
        # 1.107,26 × 4 % × 89/365 = 10,7996 -> 10,80 to interest, 369,08 - 166,09 - 10,80 = 192,19 to
        # principal: 915,07 left; 15 October - 30 November, 47 days: 915,07 × 4 % × 47/365 = 4,7133 -> 4,71.
        # by_hand knows no costs: it gets the part of the payment that reached interest and principal.
        first, expected, to_costs = d("2026-07-18"), ([1080], 91507, 471), eur("166.09")
    else:
        # In verzuim after the 14-day letter's term (it is a written demand too, art. 6:82 BW): from
        # 22 August. 22 August - 14 October, 54 days: 1.107,26 × 4 % × 54/365 = 6,5526 -> 6,55 to interest,
        # 362,53 to principal: 744,73 left; 47 days: 744,73 × 4 % × 47/365 = 3,8359 -> 3,84 (issue 14's
        # "€ 744,73 + € 3,84"; the old hand-over took the whole payment off the principal: € 738,18 + € 8,17).
        first, expected, to_costs = d("2026-08-22"), ([655], 74473, 384), eur("0")
    paid = str(eur("369.08") - to_costs)
    assert by_hand("1107.26", first, d("2026-11-30"), "4", {d("2026-10-14"): paid}) == expected
    assert (letter.principal, letter.interest) == (Decimal(expected[1]) / 100, Decimal(expected[2]) / 100)
    [payment] = letter.claim.payments
    assert (payment.to_costs, payment.to_interest, payment.to_principal) == (
        to_costs,
        Decimal(expected[0][0]) / 100,
        eur("369.08") - to_costs - Decimal(expected[0][0]) / 100,
    )
    # The costs the payment settled are not claimed again.
    assert letter.collection_costs + letter.collection_costs_vat == 0
    assert letter.claim.interest_periods[0].start == first
    assert letter.claim.prescription[0].startswith("Factuur 2026-0409: niet verjaard; verjaart op ")


@pytest.mark.parametrize("claim_paid_late", [False, True], ids=["nee", "ja"])
def test_letters_claim_interest_on_an_invoice_paid_late_only_when_the_setting_says_so(claim_paid_late):
    # F1 (€ 1.000,00 due 1 July) paid in full, late, on 31 August; F2 (€ 500,00 due 14 August) open.
    # By 6:44 the payment went first to F1's interest, 2 July - 31 August, 61 days:
    # 1.000 × 10,40 % × 61/365 = 17,3808 -> 17,38; so 17,38 of F1's principal is still owed, and on it
    # 1 September - 3 November, 64 days: 17,38 × 10,40 % × 64/365 = 0,3169 -> 0,32.
    # F2: 15 August - 3 November, 81 days: 500 × 10,40 % × 81/365 = 11,5397 -> 11,54.
    register = make_register(
        debtors=[dict(debtor_id="1001", name="A. Bakker", kind="zakelijk")],
        invoices=INVOICES[:2],
        payments=[dict(payment_date="2026-08-31", debtor_id="1001", invoice_id="F1", amount="1.000,00")],
        # Fatal terms: the staffel is due without a notice of default (6:83 sub a BW).
        settings=Settings(
            company_name="Voorbeeld B.V.",
            iban="NL91ABNA0417164300",
            claim_paid_late_interest=claim_paid_late,
            terms_are_fatal=True,
        ),
    )
    assert by_hand("1000.00", d("2026-07-02"), d("2026-11-03"), "10.40", {d("2026-08-31"): "1000.00"}) == (
        [1738],
        1738,
        32,
    )
    result = review(register, d("2026-10-31"))
    step = ProposedStep("1001", "A. Bakker", "zakelijk", 5, U, ("F2",), 50000, None, True, None, "")
    letter, _ = build_letter(register, result, step, d("2026-11-03"))
    if claim_paid_late:
        assert [(line.number, line.open_amount) for line in letter.invoices] == [
            ("F2", eur("500.00")),
            ("F1", eur("17.38")),
        ]
        assert letter.interest == eur("11.54") + eur("0.32")
        assert any(line.startswith("Factuur F1: te laat betaald") for line in letter.claim.interest_basis)
        assert [(p.invoice, p.to_interest, p.to_principal) for p in letter.claim.payments] == [
            ("F1", eur("17.38"), eur("982.62"))
        ]
    else:
        assert [(line.number, line.open_amount) for line in letter.invoices] == [("F2", eur("500.00"))]
        assert letter.interest == eur("11.54")
        assert letter.claim.payments == ()
    # The costs rest on the open invoice only: staffel(500) = 75,00.
    assert letter.collection_costs == eur("75.00")


def test_consumer_hand_over_allocates_a_partial_payment_by_6_44_month_by_month():
    # Fatal terms: in verzuim the day after each due date; the 14-day letter of 3 October covers F1-F3
    # (262,50 over 1.750,00, term through 21 October). € 300,00 arrives on 10 October without an invoice:
    # 6:43, all three due at 4 %: the oldest, F1. F1's interest 2 July - 10 October, 101 days:
    # 1.000 × 4 % × 101/365 = 11,0685 -> 11,07 to interest, 288,93 to principal: 711,07 left.
    made = []
    taken = walk(
        "consument",
        fatal=True,
        payments=[dict(payment_date="2026-10-10", debtor_id="1001", amount="300,00")],
        made=made,
    )
    assert [t[1] for t in taken if t[1] != C] == [
        "betalingsherinnering",
        "betalingsherinnering",
        "veertiendagenbrief",
        "overdracht",
        "overdracht",
    ]
    first, second = [letter for letter in made if letter.kind == "overdracht"]
    f1 = by_hand("1000.00", d("2026-07-02"), d("2026-11-03"), "4", {d("2026-10-10"): "300.00"})
    f2 = by_hand("500.00", d("2026-08-15"), d("2026-11-03"), "4")
    # F1: 711,07 × 4 % × 24/365 (11 October - 3 November) = 1,8703 -> 1,87.
    # F2: 500 × 4 % × 81/365 = 4,4384 -> 4,44.
    assert f1 == ([1107], 71107, 187) and f2 == ([], 50000, 444)
    assert [(line.number, line.open_amount) for line in first.invoices] == [
        ("F1", eur("711.07")),
        ("F2", eur("500.00")),
    ]
    assert first.interest == eur("6.31") == Decimal(f1[2] + f2[2]) / 100
    [payment] = first.claim.payments
    assert (payment.invoice, payment.to_interest, payment.to_principal) == ("F1", eur("11.07"), eur("288.93"))
    # The letter's costs over the principal 6:44 leaves of its three invoices: 711,07 + 500 + 250 = 1.461,07,
    # 15 % = 219,16 (paid within the term, so over what was left). This hand-over's share:
    # 219,16 × 1.211,07 / 1.461,07 = 181,66; the next one F3's: 219,16 × 250 / 1.461,07 = 37,50; together 219,16.
    assert (first.collection_costs, second.collection_costs) == (eur("181.66"), eur("37.50"))
    # F3 alone, 21 September - 3 December, 74 days: 250 × 4 % × 74/365 = 2,0274 -> 2,03.
    assert (second.principal, second.interest) == (eur("250.00"), eur("2.03"))


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is niet geïnstalleerd")
def test_the_hand_over_pdf_states_the_6_44_figures(tmp_path):
    # The business walk with € 600,00 paid on 15 September (figures worked out in the test above).
    made = []
    walk(
        "zakelijk",
        fatal=False,
        payments=[dict(payment_date="2026-09-15", debtor_id="1001", amount="600,00")],
        made=made,
    )
    hand_over = next(letter for letter in made if letter.kind == "overdracht")
    [pdf] = convert_to_pdf([render_letter(hand_over, tmp_path).docx], tmp_path)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "15-09-2026 F1 € 600,00 € 40,00 € 21,65 € 538,35" in text  # the payment's 6:44 split
    assert "Hoofdsom € 961,65" in text and "€ 17,99" in text and "€ 69,25" in text
    assert "Totaal vordering € 1.048,89" in text  # 961,65 + 17,99 + 69,25
    assert "Factuur F1: niet verjaard; verjaart op 04-10-2031" in text


def test_consumer_hand_over_puts_a_payment_after_the_fourteen_day_term_on_the_costs_first():
    # Fatal terms; the 14-day letter of 3 October covers F1-F3 (term through 21 October). Its costs are
    # due from 22 October, fixed on the principal then, 1.750,00: 15 % = 262,50. The first hand-over
    # (3 November, F1 and F2) takes 262,50 × 1.500 / 1.750 = 225,00 of it: F1 150,00, F2 75,00 by principal.
    # € 300,00 arrives on 25 October without an invoice: 6:43, all due at 4 %: the oldest, F1. 6:44 within
    # F1: costs 150,00 first; interest 2 July - 25 October, 116 days: 1.000 × 4 % × 116/365 = 12,7123 -> 12,71;
    # principal 300 - 150 - 12,71 = 137,29: 862,71 left. 26 October - 3 November, 9 days:
    # 862,71 × 4 % × 9/365 = 0,8508 -> 0,85; F2 500 × 4 % × 81/365 = 4,4384 -> 4,44; together 5,29.
    made = []
    walk(
        "consument",
        fatal=True,
        payments=[dict(payment_date="2026-10-25", debtor_id="1001", amount="300,00")],
        made=made,
    )
    first, second = [letter for letter in made if letter.kind == "overdracht"]
    f1 = by_hand("1000.00", d("2026-07-02"), d("2026-11-03"), "4", {d("2026-10-25"): "150.00"})
    assert f1 == ([1271], 86271, 85)
    [payment] = first.claim.payments
    assert (payment.invoice, payment.to_costs, payment.to_interest, payment.to_principal) == (
        "F1", eur("150.00"), eur("12.71"), eur("137.29"),
    )  # fmt: skip
    assert [(line.number, line.open_amount) for line in first.invoices] == [
        ("F1", eur("862.71")),
        ("F2", eur("500.00")),
    ]
    assert first.interest == eur("5.29")
    # 225,00 of costs less the 150,00 the payment settled.
    assert first.collection_costs == eur("75.00")
    assert any("gingen eerst naar die kosten" in line for line in first.claim.costs_basis)
    # F3's share, 262,50 × 250 / 1.750 = 37,50, untouched: the payment reached F1 only.
    assert (second.principal, second.collection_costs) == (eur("250.00"), eur("37.50"))


@pytest.mark.parametrize(
    "paid_on, expected",
    [
        # Paid 20 October, after the notice's term (through Monday 12 October): the staffel over the
        # principal of 12 October, 15 % × 1.000,00 = 150,00 (40,00 due since 2 July, 110,00 since 13 October),
        # is all due: 6:44 puts 150,00 on it; interest 2 July - 20 October, 111 days:
        # 1.000 × 10,40 % × 111/365 = 31,6274 -> 31,63; principal 300 - 150 - 31,63 = 118,37: 881,63 left;
        # 21 October - 3 November, 14 days: 881,63 × 10,40 % × 14/365 = 3,5169 -> 3,52.
        ("2026-10-20", dict(to_costs="150.00", to_interest="31.63", left="881.63", interest="3.52", costs="0.00")),
        # Paid 10 October, inside the term: only the € 40,00 is due (6:96 lid 4 BW); interest 2 July -
        # 10 October, 101 days: 28,7781 -> 28,78; principal 300 - 40 - 28,78 = 231,22: 768,78 left, the base of
        # the staffel on 12 October: 15 % × 768,78 = 115,317 -> 115,32, less the 40,00 paid: 75,32 owed.
        # 11 October - 3 November, 24 days: 768,78 × 10,40 % × 24/365 = 5,2572 -> 5,26.
        ("2026-10-10", dict(to_costs="40.00", to_interest="28.78", left="768.78", interest="5.26", costs="75.32")),
    ],
    ids=["na-de-termijn", "binnen-de-termijn"],
)
def test_business_staffel_without_fatal_terms_is_due_after_the_notice_term(paid_on, expected):
    # F1 € 1.000,00 due 1 July, business, terms not fatal; an Ingebrekestelling of Saturday 3 October
    # (7 days: Saturday 10 October, extended to Monday 12 October); € 300,00 paid on F1. Hand-over 3 November.
    actions = [dict(action_date="2026-10-03", debtor_id="1001", invoice_ids="F1", kind=I)]
    payments = [dict(payment_date=paid_on, debtor_id="1001", invoice_id="F1", amount="300,00")]
    register = register_for("zakelijk", actions, fatal=False, payments=payments)
    result = review(register, d("2026-10-31"))
    step = ProposedStep("1001", "A. Bakker", "zakelijk", 5, U, ("F1",), 0, None, True, None, "")
    letter, _ = build_letter(register, result, step, d("2026-11-03"))
    [payment] = letter.claim.payments
    assert (payment.to_costs, payment.to_interest) == (eur(expected["to_costs"]), eur(expected["to_interest"]))
    assert (letter.principal, letter.interest) == (eur(expected["left"]), eur(expected["interest"]))
    assert letter.collection_costs == eur(expected["costs"])
    nl, en = letter.claim.costs_basis, letter.claim.costs_basis_en
    assert nl[0].startswith(
        "Ingebrekestelling van 03-10-2026 (termijn tot en met 12-10-2026) voor factuur F1: in verzuim vanaf "
        "13-10-2026 (art. 6:82 BW)."
    )
    assert en[0].startswith(
        "Notice of default of 03/10/2026 (term up to and including 12/10/2026) for invoice F1: in default from "
        "13/10/2026 (Article 6:82 of the Dutch Civil Code)."
    )


def test_business_without_fatal_terms_or_notice_owes_only_forty_euro_per_invoice():
    # No Ingebrekestelling in Acties and terms not fatal: F1 and F2 (1.500,00) are not in verzuim, so no
    # staffel (it would be 225,00): € 40,00 per invoice, 80,00, and the specification says why.
    register = register_for("zakelijk", [], fatal=False)
    result = review(register, d("2026-10-31"))
    step = ProposedStep("1001", "A. Bakker", "zakelijk", 5, U, ("F1", "F2"), 0, None, True, None, "")
    letter, _ = build_letter(register, result, step, d("2026-11-03"))
    assert letter.collection_costs == eur("80.00")
    [nl] = letter.claim.costs_basis
    [en] = letter.claim.costs_basis_en
    assert nl.startswith(
        "Factuur F1, F2: geen ingebrekestelling waarvan de termijn vóór 03-11-2026 verstreek, en de "
        "betaaltermijnen zijn niet fataal: de debiteur is niet in verzuim (art. 6:82 BW) en is alleen € 40,00 "
        "per factuur verschuldigd, vanaf de dag na de vervaldatum."
    )
    assert "€ 40,00 per onbetaalde factuur (art. 6:96 lid 4 BW) × 2 = € 80,00" in nl
    assert en.startswith(
        "Invoice F1, F2: no notice of default whose term ended before 03/11/2026, and the payment terms are not "
        "strict: the debtor is not in default (Article 6:82 of the Dutch Civil Code) and owes only €40.00 per "
        "invoice, from the day after its due date."
    )


def test_business_staffel_with_fatal_terms_rests_on_the_principal_of_the_due_date():
    # Fatal terms: F1 (1.000,00, due 1 July) and F2 (500,00, due 14 August) are in verzuim the day after
    # their due dates (6:83 sub a BW), and the collection costs are due from then, on the principal of the
    # due date: staffel(1.500,00) = 225,00 (not the principal the hand-over leaves after the payment).
    # € 40,00 per invoice, the rest 145,00 by principal: F1 96,67, F2 48,33; F1 136,67 from 2 July, F2 88,33
    # from 15 August. € 600,00 on 15 September, no invoice named: 6:43, the oldest, F1; 6:44: costs 136,67,
    # interest 2 July - 15 September, 76 days: 21,65; principal 600 - 136,67 - 21,65 = 441,68: 558,32 left.
    # Interest to 3 November: F1 558,32 × 10,40 % × 49/365 = 7,7951 -> 7,80; F2 11,54 (as above); 19,34.
    made = []
    walk(
        "zakelijk",
        fatal=True,
        payments=[dict(payment_date="2026-09-15", debtor_id="1001", amount="600,00")],
        made=made,
    )
    hand_over = next(letter for letter in made if letter.kind == "overdracht")
    assert by_hand("1000.00", d("2026-07-02"), d("2026-11-03"), "10.40", {d("2026-09-15"): "463.33"}) == (
        [2165],
        55832,
        780,
    )
    [payment] = hand_over.claim.payments
    assert (payment.to_costs, payment.to_interest, payment.to_principal) == (
        eur("136.67"),
        eur("21.65"),
        eur("441.68"),
    )
    assert [(line.number, line.open_amount) for line in hand_over.invoices] == [
        ("F1", eur("558.32")),
        ("F2", eur("500.00")),
    ]
    assert hand_over.interest == eur("19.34")
    # 225,00 less the 136,67 the payment settled.
    assert hand_over.collection_costs == eur("88.33")
    assert hand_over.claim.costs_basis[0].startswith(
        "Fatale betaaltermijnen: de debiteur is in verzuim vanaf de dag na elke vervaldatum (art. 6:83 sub a "
        "BW); de incassokosten zijn vanaf die dag verschuldigd, over de hoofdsom op de vervaldatum."
    )
    assert "over de samengetelde hoofdsom van 2 facturen, € 1.500,00" in hand_over.claim.costs_basis[0]


@pytest.mark.parametrize(
    "fatal, vat, expected",
    [
        # Not fatal. € 600,00 on 15 September, no invoice named: 6:43, both due at 10,40 %, the oldest, F1.
        # F1's € 40,00 is due since 2 July (6:96 lid 4 BW), so 6:44: 40,00 to it, interest 2 July -
        # 15 September, 76 days: 1.000 × 10,40 % × 76/365 = 21,6548 -> 21,65; principal
        # 600 - 40 - 21,65 = 538,35: 461,65 left. F2's € 40,00 (due since 15 August) is unpaid.
        # The notice: € 40,00 × 2 = 80,00 already owed, 40,00 of it paid, 40,00 open and demanded.
        # If its term passes: the staffel over 461,65 + 500 = 961,65: 15 % = 144,2475 -> 144,25,
        # less the 40,00 paid: 104,25.
        # Interest to 3 October: F1 461,65 × 10,40 % × 18/365 (16 September - 3 October) = 2,3677 -> 2,37;
        # F2 500 × 10,40 % × 50/365 (15 August - 3 October) = 7,1233 -> 7,12; 9,49.
        # To 13 October (the hand-over): F1 28 days: 461,65 × 10,40 % × 28/365 = 3,6831 -> 3,68;
        # F2 60 days: 500 × 10,40 % × 60/365 = 8,5479 -> 8,55; 12,23.
        (
            False,
            False,
            dict(
                f1="461.65",
                due_now="80.00",
                paid="40.00",
                whole="144.25",
                costs="104.25",
                costs_vat="0",
                interest="9.49",
                later="12.23",
                to_pay="1011.14",
            ),
        ),
        # Not fatal, with 21 % VAT on the costs (the creditor cannot deduct it): € 40,00 + 8,40 = 48,40 per
        # invoice. The payment: 48,40 to F1's costs, 21,65 to interest, 529,95 to principal: 470,05 left.
        # Owed: 2 × 48,40 = 96,80, paid 48,40. The staffel over 470,05 + 500 = 970,05: 15 % = 145,5075 ->
        # 145,51, VAT 21 % = 30,5571 -> 30,56; 176,07 in all. Of the 48,40 paid, 48,40 × 30,56/176,07 =
        # 8,4006 -> 8,40 was VAT: 145,51 - 40,00 = 105,51 and 30,56 - 8,40 = 22,16 still owed.
        # Interest to 3 October: F1 470,05 × 10,40 % × 18/365 = 2,4107 -> 2,41; F2 7,12; 9,53.
        # To 13 October: F1 470,05 × 10,40 % × 28/365 = 3,7501 -> 3,75; F2 8,55; 12,30.
        # Demanded: 970,05 + 9,53 + 48,40 = 1.027,98.
        (
            False,
            True,
            dict(
                f1="470.05",
                due_now="96.80",
                paid="48.40",
                whole="176.07",
                costs="105.51",
                costs_vat="22.16",
                interest="9.53",
                later="12.30",
                to_pay="1027.98",
            ),
        ),
        # Fatal: in verzuim the day after each due date (6:83 sub a BW), so the whole staffel is due from
        # then, on the principal of the due date: staffel(1.500) = 225,00 (F1 40 + 145 × 1.000/1.500 =
        # 136,67 from 2 July; F2 88,33 from 15 August). The payment: 136,67 to F1's costs, 21,65 to
        # interest, 441,68 to principal: 558,32 left. The notice: all 225,00 owed, 136,67 paid, 88,33
        # demanded; passing its term adds no costs.
        # Interest to 3 October: F1 558,32 × 10,40 % × 18/365 = 2,8635 -> 2,86; F2 7,12; 9,98.
        # To 13 October: F1 558,32 × 10,40 % × 28/365 = 4,4543 -> 4,45; F2 8,55; 13,00.
        (
            True,
            False,
            dict(
                f1="558.32",
                due_now="225.00",
                paid="136.67",
                whole="225.00",
                costs="88.33",
                costs_vat="0",
                interest="9.98",
                later="13.00",
                to_pay="1156.63",
            ),
        ),
    ],
    ids=["niet-fataal", "niet-fataal-btw", "fataal"],
)
def test_business_notice_claims_what_the_hand_over_claims_once_its_term_passed(fatal, vat, expected):  # fmt: skip
    payments = [dict(payment_date="2026-09-15", debtor_id="1001", amount="600,00")]
    register = register_for("zakelijk", [], fatal=fatal, vat=vat, payments=payments)
    step = ProposedStep("1001", "A. Bakker", "zakelijk", 4, I, ("F1", "F2"), 0, None, True, None, "")
    notice, _ = build_letter(register, review(register, d("2026-09-30")), step, d("2026-10-03"))
    assert notice.pay_by == d("2026-10-12")  # Saturday 10 October, extended to Monday 12 (Atw)
    assert [(line.number, line.open_amount) for line in notice.invoices] == [
        ("F1", eur(expected["f1"])),
        ("F2", eur("500.00")),
    ]
    assert (
        notice.costs_due_now,
        notice.costs_paid,
        notice.costs_whole,
        notice.collection_costs,
        notice.collection_costs_vat,
    ) == tuple(eur(expected[k]) for k in ("due_now", "paid", "whole", "costs", "costs_vat"))
    assert notice.in_default is fatal
    assert notice.interest == eur(expected["interest"])
    # It demands principal, interest and the costs already owed and open.
    assert notice.amount_to_pay == eur(expected["to_pay"])
    assert notice.amount_to_pay == notice.principal + notice.interest + notice.costs_owed_now
    # The term passes unpaid: the hand-over of 13 October, the first day of verzuim after it.
    logged = [dict(action_date="2026-10-03", debtor_id="1001", invoice_ids="F1, F2", kind=I)]
    register = register_for("zakelijk", logged, fatal=fatal, vat=vat, payments=payments)
    hand_over_step = dataclasses.replace(step, action=U)
    hand_over, _ = build_letter(register, review(register, d("2026-10-13")), hand_over_step, d("2026-10-13"))
    # The same principal and costs; the interest has run on ten more days.
    assert [(line.number, line.open_amount) for line in hand_over.invoices] == [
        (line.number, line.open_amount) for line in notice.invoices
    ]
    assert (hand_over.collection_costs, hand_over.collection_costs_vat) == (
        notice.collection_costs,
        notice.collection_costs_vat,
    )
    assert hand_over.interest == eur(expected["later"])
    assert hand_over.total_due == notice.total_due + hand_over.interest - notice.interest
    [payment] = hand_over.claim.payments
    assert payment.to_costs == notice.costs_paid
