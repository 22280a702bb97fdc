"""The larger self-contained sections of mikrolaan/settings.py, one concern per module.

`mikrolaan.settings` stays the one settings module Django loads; it imports these in the order the
sections always had, so a start-up with several bad values still stops at the same first one.
Every module reads the environment through `miljoe`, which reads it once.
"""
