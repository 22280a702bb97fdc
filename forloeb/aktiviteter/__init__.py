"""Sessions (aktiviteter) and attendance (deltagelse): what course staff log, and their calendar.

- `services`: the writes, a module per concern: `oprettelse` (create a session with its
  attendance), `fremmoede` (set attendance), `rettelser` (correct or cancel a session);
- `selectors`: the reads, each starting from `synlige_for`, and which phase offers which type;
- `kalender`: the signed feed token and the iCalendar feed calendar apps fetch without a login;
- `views` and `forms`: the pages (templates/forloeb/aktivitet*.html, _deltagelse*.html).

The rules a session keeps:
- its type is offered by the phase every participant is in on the session date
  (`Aktivitet.TYPER_I_FASE`);
- its date lies inside every participant's programme: not before the start, not after the main
  phase's planned end, not after a discharge;
- its participants are active programmes at the user's own (providing) organisation;
- only that organisation's course staff create sessions and set attendance
  (`forloeb.regler.kan_holde_aktiviteter`).
"""
