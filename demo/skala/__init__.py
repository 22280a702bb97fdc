"""National-scale data for measuring Mikrolån (issue 13): `manage.py demodata --skala national`.

Bulk-loaded, not made through the services (that would take hours), but every row is one the
services could have written: the check constraints, the PostgreSQL triggers and the invariants of
the models hold (one open referral per citizen, four eyes on loans, instalments never paid beyond
their amount, a waiting list only at a full agreement, ...). Repeatable: the same seed on the same
day gives the same rows, save the CPR numbers' ciphertexts (Fernet takes a fresh IV each time).
"""

from .opret import BorgereFindesError, opret_skaladata
from .stoerrelser import SKALAER, Skala

__all__ = ["SKALAER", "BorgereFindesError", "Skala", "opret_skaladata"]
