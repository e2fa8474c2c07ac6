"""Notebook views over the library (design §3): widgets that wire events to library calls.

``MaandReview`` (notebooks/maandreview.ipynb), ``Dossier`` (notebooks/dossier.ipynb),
``Vordering`` (notebooks/vordering.ipynb). They hold no rules.
"""

from .dossier import Dossier
from .maandreview import MaandReview
from .vordering import Vordering

__all__ = ["Dossier", "MaandReview", "Vordering"]
