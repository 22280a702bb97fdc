"""CPR numbers: validation, authenticated encryption at rest, a keyed blind index, masking.

- Validation is python-stdnum's `dk.cpr` (date and length; modulus 11 is not enforced, since CPR
  numbers without a valid check digit have been issued since 2007).
- The number is stored encrypted with Fernet (AES-CBC + HMAC). `CPR_ENCRYPTION_KEYS` lists keys
  newest first; MultiFernet encrypts with the first and decrypts with any, so keys can rotate.
- Exact search uses a blind index: HMAC-SHA256 of the digits under a separate key
  (`CPR_INDEX_KEY`), so the database never holds anything that can be reversed without a key.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as E


def normaliser(vaerdi: str) -> str:
    """The ten digits of a valid CPR number, or a Danish ValidationError."""
    try:
        return stdnum_cpr.validate(vaerdi)
    except InvalidLength:
        raise ValidationError(
            _("Et CPR-nummer har 10 cifre, fx 010190-1234."), code="laengde"
        ) from None
    except InvalidComponent:
        raise ValidationError(
            _("CPR-nummeret indeholder ikke en gyldig fødselsdato."), code="dato"
        ) from None
    except (InvalidFormat, E):
        raise ValidationError(
            _("Et CPR-nummer må kun indeholde cifre og bindestreg."), code="format"
        ) from None


def er_cpr(vaerdi: str) -> bool:
    """Whether a search text is a full CPR number (so search goes through the blind index)."""
    try:
        normaliser(vaerdi.strip())
    except ValidationError:
        return False
    return True


@cache
def _fernet(noegler: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(n) for n in noegler])


def _noegler() -> MultiFernet:
    return _fernet(tuple(settings.CPR_ENCRYPTION_KEYS))


def krypter(cifre: str) -> str:
    return _noegler().encrypt(cifre.encode()).decode()


def dekrypter(token: str) -> str:
    return _noegler().decrypt(token.encode()).decode()


def genkrypter(token: str) -> str:
    """Re-encrypt under the current (first) key, for key rotation."""
    return _noegler().rotate(token.encode()).decode()


def blindindeks(cifre: str) -> str:
    return hmac.new(settings.CPR_INDEX_KEY.encode(), cifre.encode(), hashlib.sha256).hexdigest()


def maskeret(cifre: str) -> str:
    """ddmmåå-xxxx: the birth date part, never the serial number."""
    return f"{cifre[:6]}-xxxx"


def formateret(cifre: str) -> str:
    """ddmmåå-ssss: the number in clear as Danes write it. Callers access-log the reveal."""
    return f"{cifre[:6]}-{cifre[6:]}"
