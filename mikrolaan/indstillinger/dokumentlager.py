"""Where citizens' documents are stored (DOKUMENTLAGER), and STORAGES with the static files."""

from django.core.exceptions import ImproperlyConfigured

from .miljoe import DATA_DIR, PRODUCTION, _required, env

# Citizens' documents (borgere.lager.KrypteretLager encrypts on top of this storage): outside
# STATIC/MEDIA URLs, only reachable through a view that checks access; deliberately no MEDIA_URL.
# `database` (the default) keeps them in PostgreSQL beside the rows that point to them, so every
# node reaches them and one backup holds both; `s3` in an S3-compatible bucket (for very many
# documents); `fil` in DOKUMENT_MAPPE, for one machine only. `manage.py flyt_dokumenter` copies the
# folder's files into the database or bucket (README, "Flere maskiner").
DOKUMENT_MAPPE = DATA_DIR / "dokumenter"
DOKUMENTLAGER = env.str("DOKUMENTLAGER", default="database")
if DOKUMENTLAGER == "database":
    _dokumentlager = {"BACKEND": "mikrolaan.lager.database.DatabaseLager"}
elif DOKUMENTLAGER == "fil":
    _dokumentlager = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOKUMENT_MAPPE, "base_url": None},
    }
elif DOKUMENTLAGER == "s3":
    _s3_endpoint = env.str("DOKUMENTLAGER_S3_ENDPOINT_URL", default="")
    if _s3_endpoint and not _s3_endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"DOKUMENTLAGER_S3_ENDPOINT_URL must be an http(s):// URL, not {_s3_endpoint!r}."
        )
    _s3_adressering = env.str("DOKUMENTLAGER_S3_ADRESSERING", default="") or None
    if _s3_adressering not in {None, "path", "virtual", "auto"}:
        raise ImproperlyConfigured(
            f"DOKUMENTLAGER_S3_ADRESSERING must be path, virtual or auto, not {_s3_adressering!r}."
        )
    _dokumentlager = {
        "BACKEND": "mikrolaan.lager.s3.S3Lager",
        "OPTIONS": {
            "bucket_name": _required("DOKUMENTLAGER_S3_BUCKET"),
            # Empty: AWS itself; set for MinIO, Ceph or another S3-compatible store.
            "endpoint_url": _s3_endpoint or None,
            "region_name": env.str("DOKUMENTLAGER_S3_REGION", default="") or None,
            "addressing_style": _s3_adressering,
            # Empty: boto3 finds credentials itself (AWS_* variables, an instance role).
            "access_key": env.str("DOKUMENTLAGER_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("DOKUMENTLAGER_S3_SECRET_ACCESS_KEY", default="") or None,
            # A key prefix inside the bucket, so the bucket may hold other things too.
            "location": env.str("DOKUMENTLAGER_S3_PRAEFIKS", default="dokumenter"),
        },
    }
else:
    raise ImproperlyConfigured(
        f"DOKUMENTLAGER must be 'database', 's3' or 'fil', not {DOKUMENTLAGER!r}."
    )

STORAGES = {
    "default": _dokumentlager,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
