"""Where citizens' documents are stored, chosen by the setting DOKUMENTLAGER
(mikrolaan/indstillinger/dokumentlager.py).

`database` keeps each file as a row (models.Fil, storage.DatabaseLager), so every web and worker
node reaches every document through PostgreSQL; `s3` keeps them in an S3-compatible bucket
(s3.S3Lager); `fil` in a local folder, for a single machine. borgere.lager.KrypteretLager encrypts
on top of whichever is chosen: what lands here is ciphertext.
"""
