#!/bin/sh
# Run once by the postgres image on the first start (empty data directory), as its superuser.
# Two roles, neither a superuser:
#   mikrolaan_ejer  owns the database, its schema and every table; `migrate` runs as it.
#   mikrolaan_app   what web, worker and beat connect as; `manage.py tildel_rettigheder` (run by
#                   the migrate service after every migration) grants it DML on the case tables
#                   and only INSERT/SELECT on the audit trail.
# Idempotent, so a DBA can run it again by hand (psql -f is not enough: it reads the passwords).
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v ejer_kode="$MIKROLAAN_EJER_PASSWORD" -v app_kode="$MIKROLAAN_APP_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE mikrolaan_ejer LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB'
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mikrolaan_ejer') \gexec
SELECT 'CREATE ROLE mikrolaan_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOINHERIT'
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mikrolaan_app') \gexec
ALTER ROLE mikrolaan_ejer PASSWORD :'ejer_kode';
ALTER ROLE mikrolaan_app PASSWORD :'app_kode';
ALTER DATABASE :"DBNAME" OWNER TO mikrolaan_ejer;
ALTER SCHEMA public OWNER TO mikrolaan_ejer;
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE :"DBNAME" TO mikrolaan_app;
SQL
