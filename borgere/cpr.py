"""CPR numbers: validation, authenticated encryption at rest, a keyed blind index, masking.

- Validation is python-stdnum's `dk.cpr` (date and length; modulus 11 is not enforced, since CPR
  numbers without a valid check digit have been issued since 2007).
- The number is stored encrypted with Fernet (AES-CBC + HMAC). `CPR_ENCRYPTION_KEYS` lists keys
  newest first; MultiFernet encrypts with the first and decrypts with any, so keys can rotate.
- Exact search uses a blind index: HMAC-SHA256 of the digits under a separate key
  (`CPR_INDEX_KEY`), so the database never holds anything that can be reversed without a key.
- Free text (notes, business ideas, reasons) must not hold a CPR number in clear:
  `find_cpr_i_tekst` finds CPR-shaped numbers, `masker_cpr_i_tekst` hides their serial numbers
  (borgere/fritekst.py applies them to forms and models).
- Uploaded documents are encrypted with the same keys (`krypter_bytes`, borgere/lager.py).

Rotating keys: put a new key first in `CPR_ENCRYPTION_KEYS` and keep the old ones after it; then
`manage.py roter_noegler` re-encrypts every CPR number and document under the new key, after which
the old key may be removed. The blind index key cannot be rotated that way, because a hash cannot
be re-keyed: set the new `CPR_INDEX_KEY` and run `manage.py roter_noegler --genindekser`, which
decrypts each CPR number and recomputes its index. Until it has finished, search by CPR does not
find the citizens not yet re-indexed (search by name still does), so do it in a quiet hour.
"""

import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
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


@cache
def _nyeste(noegle: str) -> Fernet:
    return Fernet(noegle)


def er_under_nyeste_noegle(token: bytes | str) -> bool:
    """Whether a token is encrypted under the newest key, so rotation can skip it (Fernet tokens do
    not name their key: only the newest key's HMAC check tells)."""
    if isinstance(token, str):
        token = token.encode()
    try:
        _nyeste(settings.CPR_ENCRYPTION_KEYS[0]).decrypt(token)
    except InvalidToken:
        return False
    return True


def krypter_bytes(data: bytes) -> bytes:
    return _noegler().encrypt(data)


def dekrypter_bytes(token: bytes) -> bytes:
    return _noegler().decrypt(token)


def genkrypter_bytes(token: bytes) -> bytes:
    return _noegler().rotate(token)


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


# Ten digits, the date part and serial number optionally split by a dash or a space, not part of a
# longer run of digits (an account or phone number of more digits is not a CPR number). ASCII digits
# only: `\d` would also match other scripts' digits, which no one types a CPR number in.
_CPR_I_TEKST = re.compile(r"(?<![0-9])([0-9]{6})[- ]?([0-9]{4})(?![0-9])")


def _gyldig_dato(dato: str, loebenummer: str) -> bool:
    # stdnum's date rules (the century follows from the serial number's first digit). A birth
    # date in the future counts too: masking a number too many is cheaper than one too few.
    try:
        stdnum_cpr.get_birth_date(dato + loebenummer)
    except InvalidComponent:
        return False
    return True


def find_cpr_i_tekst(tekst: str) -> list[tuple[int, int]]:
    """The (start, end) spans of CPR-shaped numbers in a text: ten digits holding a valid date,
    with or without a dash. Modulus 11 is not checked (see the module's docstring)."""
    return [
        fund.span()
        for fund in _CPR_I_TEKST.finditer(tekst or "")
        if _gyldig_dato(fund.group(1), fund.group(2))
    ]


def masker_cpr_i_tekst(tekst: str) -> str:
    """The text with each CPR-shaped number written ddmmåå-xxxx (the serial number hidden).
    Idempotent: a masked number is no longer CPR-shaped."""
    if not tekst:
        return tekst
    dele, forrige = [], 0
    for start, slut in find_cpr_i_tekst(tekst):
        dele += [tekst[forrige:start], maskeret(tekst[start : start + 6])]
        forrige = slut
    return "".join(dele) + tekst[forrige:] if dele else tekst
