"""The application's database role: every right it needs, and on the audit trail no more than
INSERT and SELECT.

Migrations run as the role that owns the tables (docker-compose's one-shot `migrate` service);
web, worker and beat connect as a separate role that is neither superuser nor owner, so it cannot
TRUNCATE, disable a trigger, or set `session_replication_role` (superuser only). `tildel` is run by
that owner after every migration (`manage.py tildel_rettigheder ROLLE`): it is idempotent, and the
default privileges cover tables a later migration creates before it is run again.
"""

import re

from django.db import connection

# Insert-only for the application: the access log, the change history, and the log of the
# retention job's deletions (which go through the owner's SECURITY DEFINER functions instead).
REVISIONSTABELLER = ("revision_adgangslog", "auditlog_logentry", "revision_sletningslog")
SLETTEFUNKTIONER = ("revision_slet_adgangslog(timestamptz)", "revision_slet_logposter(bigint[])")

_ROLLENAVN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RolleFejl(Exception):
    pass


def tildel(*, rolle: str) -> list[str]:
    """Grant `rolle` what the application needs in the current schema; the statements run."""
    if not _ROLLENAVN.match(rolle):
        raise RolleFejl(f"Ugyldigt rollenavn: {rolle!r} (små bogstaver, cifre og _).")
    with connection.cursor() as cursor:
        cursor.execute(
            # A member of the owner role could SET ROLE to it (and the owner itself is one).
            "SELECT rolsuper, pg_has_role(rolname, current_user, 'MEMBER') "
            "FROM pg_roles WHERE rolname = %s",
            [rolle],
        )
        raekke = cursor.fetchone()
        if raekke is None:
            raise RolleFejl(f"Rollen {rolle} findes ikke; opret den først (se README).")
        superbruger, ejer = raekke
        if superbruger or ejer:
            raise RolleFejl(
                f"Rollen {rolle} må hverken være superbruger eller (medlem af) tabellernes ejer: "
                "så kunne den slette revisionssporet."
            )
        cursor.execute("SELECT current_schema()")
        skema = connection.ops.quote_name(cursor.fetchone()[0])
        r = connection.ops.quote_name(rolle)
        tabeller = ", ".join(REVISIONSTABELLER)
        saetninger = [
            f"GRANT USAGE ON SCHEMA {skema} TO {r}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {skema} TO {r}",
            # Also what an earlier, looser set-up may have granted.
            f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {skema} FROM {r}",
            f"REVOKE UPDATE, DELETE ON {tabeller} FROM {r}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {skema} TO {r}",
            f"GRANT EXECUTE ON FUNCTION {', '.join(SLETTEFUNKTIONER)} TO {r}",
            # Tables a later migration creates (by this same owner) are usable at once; the audit
            # tables are narrowed again when this runs after that migration.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {skema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {skema} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        ]
        for saetning in saetninger:
            cursor.execute(saetning)
    return saetninger
