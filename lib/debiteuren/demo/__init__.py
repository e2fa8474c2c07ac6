"""The demo register and the empty register, generated deterministically.

``build_demo`` writes the workbook a tidy Dutch controller would keep for the
fictional wholesaler "Voorbeeld Groothandel B.V.": debtors, two years of
invoices, payments, the dunning log, a payment arrangement, the settings, the
default dunning policy and an example rate; every sheet an Excel Table named
like the sheet, with the Dutch headers of ``register/schema.py``, dates as
dd-mm-jjjj, euro amounts, drop-down lists for the choice columns and a frozen
header row. ``build_empty`` writes the same structure without data. The same
seed gives the same file, byte for byte.

    python -m debiteuren.demo [MAP]

regenerates both into MAP (default: the repository's ``workbook/``).

The bulk is vectorised (numpy) so the benchmark can ask for 10,000 debtors. A
small story on top makes sure a monthly review at ``end`` finds what it should:
large overdue debtors, a payer who is slipping, a disputed invoice, a promise
to pay, an arrangement, a bankrupt and a handed-over debtor, and debtors at
every step of the dunning policy. ``DemoRegister.roles`` names them.

Money is integer cents throughout; a cell gets the exact decimal text of its
cents ("1493.67"), never a float computed on the way.

The package: ``days`` (day-number arithmetic), ``names`` (fictional names, places, trades,
bank accounts), ``story`` (the company, the story's roles and dossier entries, the
Toelichting), ``generator`` (the data, ``generate_demo``), ``workbook`` (the file,
``build_demo``, ``build_empty``, the command).

>>> data = generate_demo()
>>> len(data.debtors), len(data.arrangements), data.roles["worsening"]
(60, 3, ('10002',))
"""

from .generator import DEMO_PEILDATUM, DEMO_SEED, DemoRegister, generate_demo
from .workbook import build_demo, build_empty, main

__all__ = ["DEMO_PEILDATUM", "DEMO_SEED", "DemoRegister", "build_demo", "build_empty", "generate_demo", "main"]
