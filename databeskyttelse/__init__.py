"""Data protection across every app: the citizen's insight export (GDPR art. 15) and retention.

Both read or remove data from every floor below (borgere, visitation, forloeb, laan, the
notifications and the access log), so they live on the top floor, beside the overviews.

- `indsigt`: everything held about one citizen, as PDF and JSON, for an administrator;
- `sletning`: the retention run that anonymises or deletes closed cases after the retention period.
"""
