"""The production stack, checked by reading docker-compose.yml and the Dockerfile.

Docker cannot run on the development and CI machines (client only, no engine), so these tests are
what stands between a typo in the compose file and a production start that fails.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from borgere.services import DOKUMENT_MAKS_BYTES

REPO = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_line(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def healthcheck_line(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_the_stack_has_database_broker_web_worker_and_beat(services):
    assert set(services) >= {"db", "redis", "web", "worker", "beat"}


def test_the_database_is_postgresql_16_on_a_named_volume(compose, services):
    db = services["db"]

    assert db["image"].startswith("postgres:16")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]


def test_the_database_is_healthy_when_pg_isready_says_so(services):
    assert "pg_isready" in healthcheck_line(services["db"])


def test_redis_keeps_its_queue_on_disk_and_never_evicts_a_message(compose, services):
    redis = services["redis"]
    command = command_line(redis)

    assert redis["image"].startswith("redis:7")
    assert re.search(r"--appendonly\s+yes", command)
    assert re.search(r"--maxmemory-policy\s+noeviction", command)
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert redis["volumes"][0].split(":")[0] in compose["volumes"]


def test_redis_is_healthy_when_it_answers_ping(services):
    assert "redis-cli ping" in healthcheck_line(services["redis"])


def test_a_one_shot_service_migrates_as_the_owner_and_then_grants_the_app_role(services):
    migrate = services["migrate"]
    command = command_line(migrate)

    assert migrate["environment"]["DATABASE_URL"].startswith("postgresql://mikrolaan_ejer:")
    assert migrate["restart"] == "no"
    # `&&`: a failed migration must stop the start, not grant on (or serve) an old schema.
    assert re.search(
        r"manage\.py migrate --no-input\s+&& python manage\.py tildel_rettigheder mikrolaan_app",
        command,
    )


def test_web_starts_only_after_the_migrations_succeeded_and_does_not_migrate_itself(services):
    web = services["web"]

    assert web["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "migrate" not in command_line(web)
    assert "gunicorn mikrolaan.wsgi" in command_line(web)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_connect_as_the_application_role_not_the_owner(services, name):
    assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://mikrolaan_app:")


def test_the_database_init_script_makes_the_owner_and_a_non_superuser_app_role(services):
    db = services["db"]
    mount = next(v for v in db["volumes"] if v.endswith(":/docker-entrypoint-initdb.d:ro"))
    script = (REPO / mount.split(":")[0] / "roller.sh").read_text()

    assert db["environment"]["POSTGRES_USER"] == "postgres"
    assert re.search(r"CREATE ROLE mikrolaan_ejer LOGIN NOSUPERUSER", script)
    assert re.search(r"CREATE ROLE mikrolaan_app LOGIN NOSUPERUSER", script)
    assert "OWNER TO mikrolaan_ejer" in script
    for password in ("MIKROLAAN_EJER_PASSWORD", "MIKROLAAN_APP_PASSWORD"):
        assert password in db["environment"]


def test_web_is_healthy_when_healthz_answers(services):
    test = services["web"]["healthcheck"]["test"]
    code = test[-1]

    assert test[:3] == ["CMD", "python", "-c"]
    assert "http://127.0.0.1:8000/healthz" in code
    # It must at least be valid Python: the image has no curl to fall back on.
    compile(code, "healthcheck", "exec")


def test_worker_runs_celery_worker_and_beat_runs_celery_beat(services):
    assert command_line(services["worker"]).startswith("celery -A mikrolaan worker")
    assert command_line(services["beat"]).startswith("celery -A mikrolaan beat")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_a_healthy_database_and_broker(services, name):
    depends_on = services[name]["depends_on"]

    assert depends_on["db"] == {"condition": "service_healthy"}
    assert depends_on["redis"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_wait_for_web_which_runs_the_migrations(services, name):
    assert services[name]["depends_on"]["web"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_in_production_against_the_stacks_db_and_redis(services, name):
    service = services[name]
    environment = service["environment"]

    assert environment["DJANGO_ENV"] == "production"
    assert environment["DATABASE_URL"].startswith("postgresql://")
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert service["env_file"] in (".env", [".env"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_keep_documents_in_storage_every_replica_reaches(compose, services, name):
    service = services[name]

    # The database unless .env chooses s3; never the per-container folder.
    assert service["environment"]["DOKUMENTLAGER"] == "${DOKUMENTLAGER:-database}"
    # DATA_DIR stays a named volume, for the files of an installation from before (flyt_dokumenter).
    assert any(v.endswith(":/app/data") for v in service["volumes"])
    assert all(v.split(":")[0] in compose["volumes"] for v in service["volumes"])


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_web_worker_and_beat_can_be_scaled(services, name):
    """`docker compose up --scale web=2 --scale worker=2`: a fixed container name or host port
    would make the second replica fail to start."""
    service = services[name]

    assert "container_name" not in service
    assert "ports" not in service


def test_the_proxy_balances_over_every_web_replica_and_resolves_the_name_again(
    services, nginx_conf
):
    upstream = re.search(r"upstream mikrolaan_web \{(.*?)\}", nginx_conf, flags=re.DOTALL).group(1)

    # Docker's DNS answers `web` with every replica; `resolve` keeps asking as replicas come and go.
    assert re.search(r"^resolver 127\.0\.0\.11 valid=\d+s", nginx_conf, flags=re.MULTILINE)
    assert re.search(r"^\s*zone mikrolaan_web \d+k;", upstream, flags=re.MULTILINE)
    assert re.findall(r"^\s*server (.+);", upstream, flags=re.MULTILINE) == ["web:8000 resolve"]
    # No sticky sessions: sessions live in the database, any replica serves any request.
    assert "ip_hash" not in upstream and "sticky" not in upstream
    # `resolve` in an upstream needs nginx 1.27.3 or later.
    major, minor = (int(d) for d in services["proxy"]["image"].split(":")[1].split(".")[:2])
    assert (major, minor) >= (1, 28)


def test_beat_sends_only_while_it_holds_the_lock_so_it_may_run_twice():
    assert settings.CELERY_BEAT_SCHEDULER == "mikrolaan.beat:EnBeatScheduler"


def test_the_image_runs_as_a_user_that_is_not_root():
    dockerfile = (REPO / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)

    assert users, "the Dockerfile never switches away from root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_the_image_serves_the_project_with_gunicorn():
    dockerfile = (REPO / "Dockerfile").read_text()

    assert re.search(r'^CMD \["gunicorn", "mikrolaan\.wsgi"', dockerfile, flags=re.MULTILINE)
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, flags=re.MULTILINE)


def test_secrets_and_local_state_stay_out_of_the_image():
    ignored = set((REPO / ".dockerignore").read_text().split())

    assert {".env", ".git", ".venv", "node_modules", "data"} <= ignored


def test_the_runtime_image_installs_pango_for_the_loan_agreement_pdf():
    dockerfile = (REPO / "Dockerfile").read_text()
    # The packages must be in the last stage, the image that runs: the build stage is thrown away.
    runtime = re.split(r"^FROM ", dockerfile, flags=re.MULTILINE)[-1]
    # One RUN is one logical line: join its continuations, then take each install command.
    installs = " ".join(re.findall(r"apt-get install([^&\n]*)", runtime.replace("\\\n", " ")))

    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"} <= set(installs.split())
    # WeasyPrint embeds the fonts it uses; the slim image has none.
    assert re.search(r"\bfonts-\S+", installs)


# --- The reverse proxy (issue 12, points 4 and 6) -------------------------------------------


@pytest.fixture(scope="module")
def nginx_conf() -> str:
    return (REPO / "deploy" / "nginx.conf").read_text()


def test_the_proxy_is_nginx_with_the_repositorys_config_in_front_of_a_healthy_web(services):
    proxy = services["proxy"]

    assert proxy["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert any(v.startswith("./deploy/tls:/etc/nginx/tls") for v in proxy["volumes"])
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert proxy["depends_on"]["web"] == {"condition": "service_healthy"}


def test_the_app_trusts_exactly_the_one_proxy_of_the_stack(services):
    assert services["web"]["environment"]["ANTAL_PROXYER"] == "1"


def test_only_the_proxy_publishes_a_port(services):
    # The app trusts the proxy's X-Forwarded-For: a port around it would let a client forge it.
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]


def test_the_proxy_terminates_tls_and_redirects_plain_http(nginx_conf):
    assert re.search(r"listen 443 ssl;", nginx_conf)
    assert re.search(r"ssl_certificate /etc/nginx/tls/fullchain\.pem;", nginx_conf)
    assert re.search(r"ssl_protocols TLSv1\.2 TLSv1\.3;", nginx_conf)
    assert "return 301 https://$host$request_uri;" in nginx_conf


def test_the_proxy_replaces_x_forwarded_for_so_the_client_cannot_write_it(nginx_conf):
    """One trusted entry (ANTAL_PROXYER=1): the address nginx saw, whatever the client sent."""
    satte = re.findall(r"proxy_set_header X-Forwarded-For (\S+);", nginx_conf)

    assert satte and set(satte) == {"$remote_addr"}
    assert "$proxy_add_x_forwarded_for" not in nginx_conf
    assert "proxy_set_header X-Forwarded-Proto https;" in nginx_conf


def test_the_proxy_caps_the_body_a_little_over_the_upload_limit_and_hides_its_version(
    nginx_conf,
):
    graense = re.search(r"client_max_body_size (\d+)m;", nginx_conf)

    assert graense
    assert int(graense.group(1)) * 1024 * 1024 == settings.MAKS_REQUEST_BYTES > DOKUMENT_MAKS_BYTES
    assert re.search(r"^server_tokens off;", nginx_conf, flags=re.MULTILINE)


def test_the_tls_key_stays_out_of_git_and_the_image():
    assert "deploy/tls" in (REPO / ".dockerignore").read_text().split()
    assert (REPO / "deploy" / "tls" / ".gitignore").read_text().splitlines()[1:] == [
        "*",
        "!.gitignore",
    ]
