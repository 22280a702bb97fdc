"""DOKUMENTLAGER=s3: documents in an S3-compatible bucket through django-storages, tested against
moto's S3 server on loopback (a real HTTP S3 API, no AWS), with KrypteretLager encrypting on top."""

import logging

import boto3
import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer

from borgere.lager import MARKOER
from borgere.models import Dokument
from tests.byg import filer
from tests.byg.fabrikker import PDF_INDHOLD, DokumentFactory

BUCKET = "mikrolaan-dokumenter"
NOEGLER = {"aws_access_key_id": "test-noegle", "aws_secret_access_key": "test-hemmelighed"}
REGION = "eu-north-1"


@pytest.fixture(scope="module")
def s3_server():
    # moto's request log would fill the output with a line per request.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    vaert, port = server.get_host_and_port()
    yield f"http://{vaert}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server):
    klient = boto3.client("s3", endpoint_url=s3_server, region_name=REGION, **NOEGLER)
    klient.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield klient
    for objekt in klient.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        klient.delete_object(Bucket=BUCKET, Key=objekt["Key"])
    klient.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def s3lager(settings, s3_server, bucket):
    """STORAGES["default"] as mikrolaan/indstillinger/dokumentlager.py builds it for
    DOKUMENTLAGER=s3."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mikrolaan.lager.s3.S3Lager",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": REGION,
                "access_key": NOEGLER["aws_access_key_id"],
                "secret_key": NOEGLER["aws_secret_access_key"],
                "location": "dokumenter",
            },
        },
    }
    return storages["default"]


def _objekt(bucket, navn: str) -> bytes:
    return bucket.get_object(Bucket=BUCKET, Key=f"dokumenter/{navn}")["Body"].read()


def test_an_upload_is_stored_encrypted_in_the_bucket_and_downloads_as_uploaded(
    s3lager, bucket, sagsdata, klient
):
    indhold = filer.PDF + b"% Budget for Anna Testesen, konto 1234 5678901\n"

    svar = klient(sagsdata.sagsbehandler).post(
        reverse("borgere:dokument_upload", args=[sagsdata.borger.pk]),
        {"type": "budget", "fil": filer.upload("budget.pdf", indhold, "application/pdf")},
    )

    assert svar.status_code == 302
    dokument = Dokument.objects.get(filnavn="budget.pdf")
    raa = _objekt(bucket, dokument.fil.name)
    assert raa.startswith(MARKOER) and b"Testesen" not in raa and b"%PDF" not in raa
    hent = klient(sagsdata.sagsbehandler).get(
        reverse("borgere:dokument_hent", args=[sagsdata.borger.pk, dokument.pk])
    )
    assert b"".join(hent.streaming_content) == indhold


def test_a_taken_name_is_never_overwritten(s3lager):
    foerste = s3lager.save("borgere/abc", ContentFile(b"foerste"))
    anden = s3lager.save("borgere/abc", ContentFile(b"anden"))

    assert foerste == "borgere/abc" and anden != foerste
    assert s3lager.open(foerste).read() == b"foerste"


def test_a_missing_object_is_file_not_found(s3lager):
    with pytest.raises(FileNotFoundError):
        s3lager.open("borgere/findes-ikke")
    with pytest.raises(FileNotFoundError):
        s3lager.erstat("borgere/findes-ikke", b"x")


def test_key_rotation_re_encrypts_documents_in_the_bucket(s3lager, bucket, settings, db):
    dokument = DokumentFactory()
    foer = _objekt(bucket, dokument.fil.name)
    ny = Fernet.generate_key().decode()
    settings.CPR_ENCRYPTION_KEYS = [ny, *settings.CPR_ENCRYPTION_KEYS]

    call_command("roter_noegler")

    efter = _objekt(bucket, dokument.fil.name)
    assert efter != foer
    assert Fernet(ny).decrypt(efter[len(MARKOER) :]) == PDF_INDHOLD
