"""Writes of the loan app, one module per part of the loan's life: `livsforloeb` (application to
write-off), `indbetalinger` (repayments and their allocation) and `bankimport` (bank statements)."""
