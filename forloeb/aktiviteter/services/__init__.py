"""Writes for sessions and attendance, keyword-only, typed, one transaction each, one module per
concern: `oprettelse` (creating a session, and the rules every saved session keeps), `fremmoede`
(attendance) and `rettelser` (correcting and cancelling a session). `faelles` holds the session's
row lock they share.

Only the providing organisation's course staff may write (`regler.kan_holde_aktiviteter`); anyone
else gets PermissionDenied. A broken rule raises a Danish `ValidationError` keyed by the form field
it is about, and then nothing is saved.
"""
