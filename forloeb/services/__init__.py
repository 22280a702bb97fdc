"""Writes of the programme, one module per part of its course: `indskrivning` (admission under the
place agreement's capacity), `faser` (the move to the main phase, phase extensions), `udskrivning`
(discharge and the follow-ups after it) and `rettelser` (the corrections of a mistake: undoing the
move to the main phase, reopening a discharge, handing the programme to another course staff
member). `faelles` holds what they share, among it the programme's row lock `_laas`."""
