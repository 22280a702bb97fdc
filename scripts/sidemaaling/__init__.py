"""The page benchmark behind `scripts/benchmark.py` (issue 13): each key page against a plain
Django baseline for the same rows, timed in one run on the same database.

- `data`: which rows of an existing database the pages are measured on (a citizen, a session with
  ten participants, a place agreement), found once before timing.
- `sider`: the pages (URL, user, method) and the baseline each is compared with.
- `basis`: the baselines — the Django admin where the model has one, otherwise a generic
  ListView/DetailView over the same rows in the site's layout — and the URLconf that serves them.
- `maaling`: the timing (server time, queries and SQL time per request via
  `connection.execute_wrapper`).
- `planer`: EXPLAIN (ANALYZE, BUFFERS) of each page's slowest query, with sequential scans of
  large tables flagged.
- `tabel`: the targets and the table (text or Markdown).
- `cli`: the command line and the throw-away database for `--skala`.
"""
