"""One row per create form sent: a double click or a resent request creates one row, not two.

Each create form carries a one-time key (`EngangsFormMixin`, a hidden field issued when the form
is rendered). The view creates its row through `opret_en_gang`, which stores the key in the same
transaction as the row: the key's unique constraint lets only the first of two parallel requests
commit, and the other is sent to what the first created, with "Formularen er allerede sendt".
"""
