"""The image, built from the Dockerfile and run as the pods run it, with no Docker engine (`make image-check`).

deploy/image-check.sh builds the Dockerfile with buildah on a stand-in base image (Debian bookworm's Python
3.11, made with debootstrap: no registry here serves python:3.11-slim). Then podman runs it as the
monolith's pods do: the containers' commands and settings from the rendered deploy/local/monolith layer
(secrets from deploy/make-secrets.sh), its user, a read-only root with only /tmp writable, no
capabilities, no privilege escalation, its memory and CPU limits; host networking to this machine's
PostgreSQL and Redis in place of the cluster's Services. Root and apt-get are needed (CI has both), so
this is out of the default run: `make image-check`.
"""

import html
import json
import os
import re
import secrets
import subprocess
import time

import psycopg2
import pytest
import requests

from tests.live import redis_test_url
from tests.test_deploy import docs, env_of
from tools.localshop import ROOT, free_port

pytestmark = pytest.mark.image_check

LAYER = "local/monolith"  # what a user applies, with the generated secrets
PODMAN = ["podman", "--runtime", "runc"]  # crun fails on this machine's cgroups (v1)
# The server the databases are made on; each run makes its own database and drops it.
POSTGRES = os.environ.get("KUBESHOP_IMAGE_CHECK_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
HOST = "kubeshop.local"  # the name the Gateway's route serves, in DJANGO_ALLOWED_HOSTS
RUN_ID = secrets.token_hex(4)
LABEL = "kubeshop.image-check=true"  # on every image and container it makes (see deploy/image-check.sh)


def cpus(quantity: str) -> float:
    return int(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)


def mebibytes(quantity: str) -> str:
    assert quantity.endswith("Mi"), quantity
    return quantity.removesuffix("Mi") + "m"


def pod(name: str) -> dict:
    return docs(LAYER, "Deployment")[name]["spec"]["template"]["spec"]


@pytest.fixture(scope="module")
def image():
    tag = f"localhost/kubeshop-image-check:{RUN_ID}"
    built = subprocess.run([ROOT / "deploy" / "image-check.sh", tag], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr[-5000:]
    yield tag
    subprocess.run([*PODMAN, "rmi", "--force", tag], capture_output=True)
    assert subprocess.run([*PODMAN, "image", "exists", tag]).returncode == 1, f"{tag} is left behind"


@pytest.fixture
def database():
    """An empty database for each test: the shop's test sees it unmigrated whichever test runs first."""
    name = f"kubeshop_image_check_{RUN_ID}_{secrets.token_hex(2)}"
    server = psycopg2.connect(POSTGRES, connect_timeout=5)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.close()


class Containers:
    """podman as the kubelet would start the pod's containers, and what it takes to stop them."""

    def __init__(self, image: str, database: str, redis: str):
        self.image, self.database, self.redis, self.names = image, database, redis, []
        self.metrics_port = free_port()  # for the one serving container of a test

    def argv(self, name: str, box: dict, spec: dict, *, port: int = 0, detach: bool = False) -> tuple[list, dict]:
        env = {k: self.here(v) for k, v in env_of(LAYER, box).items()}
        if "KUBESHOP_METRICS_PORT" in env:  # the pod's own port, here one of the host's
            env |= {"KUBESHOP_METRICS_PORT": str(self.metrics_port), "KUBESHOP_METRICS_ADDRESS": "127.0.0.1"}
        security, limits, locked = spec["securityContext"], box["resources"]["limits"], box["securityContext"]
        assert locked["readOnlyRootFilesystem"] and locked["capabilities"] == {"drop": ["ALL"]}
        (tmp,) = [v["emptyDir"] for v in spec["volumes"] if v["name"] == "tmp"]
        args = [f"--bind=127.0.0.1:{port}" if a.startswith("--bind=") else a for a in box.get("args", [])]
        argv = [*PODMAN, "run", "--name", name, "--label", LABEL, *(["--detach"] if detach else [])]
        argv += ["--network=host", "--user", f"{security['runAsUser']}:{security['runAsGroup']}"]
        # Only /tmp is writable, as in the pod (podman would also make /run and /var/tmp writable).
        argv += ["--read-only", "--read-only-tmpfs=false", f"--tmpfs=/tmp:rw,size={mebibytes(tmp['sizeLimit'])}"]
        argv += ["--cap-drop=ALL", "--security-opt=no-new-privileges"]
        argv += [f"--memory={mebibytes(limits['memory'])}", f"--cpus={cpus(limits['cpu'])}"]
        argv += ["--ulimit=nofile=4096:4096", "--ulimit=nproc=4096:4096"]  # no higher than this host allows
        argv += [f"--env={k}" for k in env]  # the values from podman's environment: PEM keys span lines
        argv += ["--entrypoint", box["command"][0], self.image, *box["command"][1:], *args]
        self.names.append(name)
        return argv, env

    def here(self, value: str) -> str:
        """The cluster's Services become this machine's PostgreSQL and Redis."""
        value = re.sub(r"^postgres://[^@]+@postgres:5432/\w+$", self.database, value)
        return re.sub(r"^redis://redis:6379/0$", self.redis, value)

    def run(self, name: str, box: dict, spec: dict) -> subprocess.CompletedProcess:
        argv, env = self.argv(name, box, spec)
        return subprocess.run(argv, env=os.environ | env, capture_output=True, text=True, timeout=300)

    def start(self, name: str, box: dict, spec: dict, port: int = 0) -> None:
        argv, env = self.argv(name, box, spec, port=port, detach=True)
        subprocess.run(argv, env=os.environ | env, check=True, capture_output=True)

    def logs(self, name: str) -> str:
        done = subprocess.run([*PODMAN, "logs", name], capture_output=True, text=True)
        return done.stdout + done.stderr

    def terminate(self, name: str, grace: float) -> tuple[int, float]:
        """SIGTERM as the kubelet sends it; the exit code and the seconds it took (killed after `grace`)."""
        started = time.monotonic()
        subprocess.run([*PODMAN, "kill", "--signal=TERM", name], check=True, capture_output=True)
        try:
            waited = subprocess.run([*PODMAN, "wait", name], capture_output=True, text=True, timeout=grace)
        except subprocess.TimeoutExpired:
            return -1, time.monotonic() - started
        return int(waited.stdout.strip()), time.monotonic() - started

    def remove_all(self) -> None:
        for name in self.names:
            subprocess.run([*PODMAN, "rm", "--force", name], capture_output=True)


@pytest.fixture
def containers(image, database):
    made = Containers(image, database, redis_test_url("image-check"))
    yield made
    made.remove_all()


def get(port: int, path: str) -> requests.Response:
    return requests.get(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST}, timeout=10)


def wait_answering(port: int, name: str, containers: Containers, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz").status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{name} did not answer /healthz within {within} s:\n{containers.logs(name)[-5000:]}")


def gunicorn_errors(logs: str) -> list[str]:
    """gunicorn's own error lines (the control socket on a read-only home, say), plain or JSON."""
    found = []
    for line in logs.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            if record.get("level") == "ERROR" and str(record.get("logger", "")).startswith("gunicorn"):
                found.append(line)
        elif "[ERROR]" in line:
            found.append(line)
    return found


def grace_period(spec: dict, box: dict) -> int:
    """The seconds between the kubelet's SIGTERM and its SIGKILL: the grace period less the preStop pause."""
    pause = box.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", ["sleep", "0"])
    return spec["terminationGracePeriodSeconds"] - int(pause[1])


def test_the_image_serves_the_shop_read_only_as_its_user_and_stops_cleanly(containers):
    spec = pod("shop")
    (migrate,), (app,) = spec["initContainers"], spec["containers"]
    port = free_port()
    web = f"kubeshop-image-check-{RUN_ID}-shop"
    startup = app["startupProbe"]
    containers.start(web, app, spec, port)
    wait_answering(port, web, containers, within=startup["periodSeconds"] * startup["failureThreshold"])

    # Before the init container: alive, and not ready (the database is not migrated).
    not_ready = get(port, "/readyz")
    assert not_ready.status_code == 503 and "migrations not applied" in not_ready.json()["detail"]

    migrated = containers.run(f"kubeshop-image-check-{RUN_ID}-migrate", migrate, spec)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert get(port, "/readyz").status_code == 200
    # README step 4: the demo catalog, then the storefront shows it, with its static files from the image.
    seed = dict(migrate, command=["python", "manage.py", "seed_demo"])
    seeded = containers.run(f"kubeshop-image-check-{RUN_ID}-seed", seed, spec)
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    page = get(port, "/")
    assert page.status_code == 200
    from catalog.demo import DEMO_CATALOG

    (first_product, *_), *_ = DEMO_CATALOG.values()
    assert html.escape(first_product["name"]) in page.text
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text)
    assert stylesheet and get(port, stylesheet[1]).status_code == 200
    assert len(get(port, "/api/products").json()) > 0  # the API as the monolith serves it
    # gunicorn's master serves its workers' sums on the metrics port, from files in the writable /tmp.
    assert "kubeshop_http_requests" in get(containers.metrics_port, "/metrics").text

    code, seconds = containers.terminate(web, grace_period(spec, app))
    logs = containers.logs(web)
    print(f"\nimage-check: gunicorn stopped on SIGTERM with exit code {code} in {seconds:.1f} s")
    assert code == 0, logs[-5000:]
    assert not gunicorn_errors(logs) and "Traceback" not in logs, logs[-5000:]


def test_the_outbox_dispatcher_beats_its_heartbeat_in_the_image_and_stops_cleanly_on_sigterm(containers):
    spec = pod("outbox")
    (migrate,), worker = spec["initContainers"], spec["containers"][0]
    migrated = containers.run(f"kubeshop-image-check-{RUN_ID}-outbox-migrate", migrate, spec)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    name = f"kubeshop-image-check-{RUN_ID}-outbox"
    containers.start(name, worker, spec)
    probe = worker["livenessProbe"]["exec"]["command"]
    deadline = time.monotonic() + worker["startupProbe"]["periodSeconds"] * worker["startupProbe"]["failureThreshold"]
    while subprocess.run([*PODMAN, "exec", name, *probe], capture_output=True).returncode != 0:
        assert time.monotonic() < deadline, containers.logs(name)[-5000:]
        time.sleep(1)
    code, seconds = containers.terminate(name, grace_period(spec, worker))
    print(f"\nimage-check: the outbox dispatcher stopped on SIGTERM with exit code {code} in {seconds:.1f} s")
    assert code == 0, containers.logs(name)[-5000:]
    assert "Traceback" not in containers.logs(name)
