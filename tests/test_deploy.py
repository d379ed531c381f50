"""The deployment, proved without a cluster: kustomize renders both overlays, every document passes the
Kubernetes schemas, hadolint passes the Dockerfile, the manifests keep the deployment's rules, and the
split shop started locally from the rendered manifests sells through a whole checkout."""
import base64
import json
import os
import re
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.db import connection

from kubeshop import keys
from kubeshop.registry import DOMAIN_SERVICES, SERVICES, peer_url_variables
from tests.live import _postgres_server_url, redis_test_url
from tests.test_end_to_end import Visit, buy_and_check
from tools.localshop import ROOT, LocalService, free_port, fresh_database

BIN = Path(sys.executable).parent  # kubectl, kubernetes-validate, hadolint, gunicorn, locust (requirements-dev.txt)
OVERLAYS = ["split", "monolith"]
DB_CONNECT_TIMEOUT = 2  # seconds (kubeshop/settings.py): readiness answers before its probe gives up
LOAD_TARGETS = {"catalog", "cart", "orders"}  # called directly by the locust load generator (deploy/load)


@cache
def rendered(overlay: str) -> str:
    command = [BIN / "kubectl", "kustomize", ROOT / "deploy" / "overlays" / overlay]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@cache
def docs(overlay: str, *kinds: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in yaml.safe_load_all(rendered(overlay)) if d["kind"] in kinds}


def workloads(overlay: str) -> dict[str, dict]:
    return docs(overlay, "Deployment", "StatefulSet", "Job")


def container(workload: dict) -> dict:
    (only,) = workload["spec"]["template"]["spec"]["containers"]
    return only


def is_web(workload: dict) -> bool:
    return workload["metadata"]["labels"]["app.kubernetes.io/component"] == "web"


def env_of(overlay: str, box: dict) -> dict[str, str]:
    """A container's environment as Kubernetes gives it: ConfigMap and Secret refs resolved, $(VAR) expanded."""
    stores = {n: d.get("data", {}) for n, d in docs(overlay, "ConfigMap").items()}
    for name, secret in docs(overlay, "Secret").items():
        stores[name] = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    env = {}
    for source in box.get("envFrom", []):
        env.update(stores[(source.get("configMapRef") or source["secretRef"])["name"]])
    for var in box.get("env", []):
        if "value" in var:
            env[var["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env.get(m[1], m[0]), var["value"])
        else:
            ref = var["valueFrom"].get("configMapKeyRef") or var["valueFrom"]["secretKeyRef"]
            env[var["name"]] = stores[ref["name"]][ref["key"]]
    return env


def selects(selector: dict, labels: dict) -> bool:
    test = {"In": lambda k, vs: labels.get(k) in vs, "NotIn": lambda k, vs: labels.get(k) not in vs,
            "Exists": lambda k, vs: k in labels, "DoesNotExist": lambda k, vs: k not in labels}  # fmt: skip
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()) and all(
        test[e["operator"]](e["key"], e.get("values", [])) for e in selector.get("matchExpressions", [])
    )


def sources_allowed(overlay: str, target: str) -> set[str]:
    """The workloads whose pods the NetworkPolicies let reach `target`'s pods; '*' when anyone may."""
    pods = {n: w["spec"]["template"]["metadata"]["labels"] for n, w in workloads(overlay).items()}
    allowed = set()
    for policy in docs(overlay, "NetworkPolicy").values():
        if selects(policy["spec"]["podSelector"], pods[target]):
            for rule in policy["spec"].get("ingress", []):
                allowed |= {"*"} if not rule.get("from") else set()
                for peer in rule.get("from", []):
                    if "podSelector" in peer and "namespaceSelector" not in peer:
                        allowed |= {n for n, labels in pods.items() if selects(peer["podSelector"], labels)}
    return allowed


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_overlay_renders_and_every_document_passes_the_kubernetes_schemas(overlay, tmp_path):
    (tmp_path / "rendered.yaml").write_text(rendered(overlay))
    command = [BIN / "kubernetes-validate", "--strict", "--kubernetes-version=1.37.0", "--quiet", "rendered.yaml"]
    checked = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
    assert len(list(yaml.safe_load_all(rendered(overlay)))) >= 14


def test_the_dockerfile_passes_hadolint():
    linted = subprocess.run([BIN / "hadolint", ROOT / "Dockerfile"], capture_output=True, text=True)
    assert (linted.returncode, linted.stdout) == (0, "")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_is_limited_and_locked_down_and_every_web_container_is_probed(overlay):
    for name, workload in workloads(overlay).items():
        box, pod = container(workload), workload["spec"]["template"]["spec"]
        assert set(box["resources"]["requests"]) == set(box["resources"]["limits"]) == {"cpu", "memory"}, name
        security = box["securityContext"]
        assert security["runAsNonRoot"] and pod["securityContext"]["runAsUser"] > 0, name
        assert (security["readOnlyRootFilesystem"], security["allowPrivilegeEscalation"]) == (True, False), name
        assert security["capabilities"]["drop"] == ["ALL"], name
        assert "/tmp" in {m["mountPath"] for m in box["volumeMounts"]}, name
        if is_web(workload):
            assert box["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert box["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert box["readinessProbe"]["timeoutSeconds"] > DB_CONNECT_TIMEOUT, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_web_pod_is_given_time_for_its_pre_stop_pause_and_gunicorns_graceful_timeout(overlay):
    image_cmd = (ROOT / "Dockerfile").read_text().split("\nCMD")[-1]
    for workload in filter(is_web, workloads(overlay).values()):
        box, flags = container(workload), dict(a.split("=", 1) for a in container(workload)["args"])
        pause = int(box["lifecycle"]["preStop"]["exec"]["command"][-1])
        grace = workload["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        assert grace >= pause + int(flags["--graceful-timeout"])
        assert re.search(r'"--graceful-timeout", "(\d+)"', image_cmd)[1] == flags["--graceful-timeout"]


def test_every_split_service_has_its_name_its_peers_its_own_database_and_secrets_from_a_secret():
    deployments, databases = docs("split", "Deployment"), set()
    for name in DOMAIN_SERVICES:
        box = container(deployments[name])
        env = env_of("split", box)
        assert env["KUBESHOP_SERVICE"] == name
        assert {variable: env[variable] for variable in peer_url_variables(name)} == {
            DOMAIN_SERVICES[peer].url_env: f"http://{peer}:8000" for peer in SERVICES[name].peers
        }
        databases.add(env["DATABASE_URL"].rsplit("/", 1)[1])
        for secret in ("DJANGO_SECRET_KEY", "KUBESHOP_SERVICE_TOKEN", "KUBESHOP_JWT_PUBLIC_KEY"):
            (var,) = [v for v in box["env"] if v["name"] == secret]
            assert "secretKeyRef" in var["valueFrom"], (name, secret)
        # Only the service holding the accounts can sign identity tokens.
        assert ("KUBESHOP_JWT_PRIVATE_KEY" in env) == SERVICES[name].owns_accounts, name
    assert databases == set(DOMAIN_SERVICES)
    outbox, orders = container(deployments["outbox"]), container(deployments["orders"])
    assert outbox["command"] == ["python", "manage.py", "deliver_outbox"]
    assert env_of("split", outbox) == env_of("split", orders)
    assert env_of("monolith", container(docs("monolith", "Deployment")["shop"]))["KUBESHOP_SERVICE"] == "all"


def test_the_autoscalers_scale_catalog_and_orders_on_cpu():
    autoscalers = {h["spec"]["scaleTargetRef"]["name"]: h for h in docs("split", "HorizontalPodAutoscaler").values()}
    assert set(autoscalers) == {"catalog", "orders"}
    for name, hpa in autoscalers.items():
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
        assert "replicas" not in docs("split", "Deployment")[name]["spec"]  # or every apply would undo the HPA


def test_network_policies_let_each_service_be_reached_only_by_the_services_that_call_it():
    for name in DOMAIN_SERVICES:
        callers = {c for c in DOMAIN_SERVICES if name in SERVICES[c].peers}
        callers |= {"outbox"} if name in SERVICES["orders"].peers else set()  # the outbox calls as orders does
        callers |= {"locust"} if name in LOAD_TARGETS else set()
        assert sources_allowed("split", name) == ({"*"} if name == "frontend" else callers), name
    app_pods = {n for n, w in workloads("split").items() if n not in ("postgres", "redis", "locust")}
    assert sources_allowed("split", "postgres") == app_pods
    assert sources_allowed("split", "redis") == app_pods
    policies = docs("split", "NetworkPolicy").values()
    assert any(p["spec"]["podSelector"] == {} and "ingress" not in p["spec"] for p in policies)  # default deny
    (ingress,) = docs("split", "Ingress").values()
    routes = {p["path"]: p["backend"]["service"]["name"] for p in ingress["spec"]["rules"][0]["http"]["paths"]}
    assert routes == {"/": "frontend", "/admin/": "catalog"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migrations_run_in_one_job_per_database_named_by_the_image_tag(overlay):
    jobs = docs(overlay, "Job").values()
    for workload in filter(is_web, docs(overlay, "Deployment").values()):
        box = container(workload)
        same_database = [j for j in jobs if env_of(overlay, container(j)) == env_of(overlay, box)]
        assert len(same_database) == 1
        assert same_database[0]["metadata"]["name"].endswith("-" + box["image"].rsplit(":", 1)[1])
        assert container(same_database[0])["command"] == ["python", "manage.py", "migrate", "--noinput"]
        assert "initContainers" not in workload["spec"]["template"]["spec"]


def start_up_check(overlay: str, workload: str, **replace: str) -> subprocess.CompletedProcess:
    """`manage.py check` with a rendered container's environment, some of its Secret's values replaced."""
    env = env_of(overlay, container(workloads(overlay)[workload])) | {"DATABASE_URL": "sqlite://"} | replace
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_placeholder_secret_key_stops_a_service_deployed_without_real_secrets():
    checked = start_up_check("split", "catalog", KUBESHOP_SERVICE_TOKEN=secrets.token_urlsafe(32))
    assert checked.returncode != 0 and "DJANGO_SECRET_KEY must be set to a real secret" in checked.stderr


@pytest.mark.parametrize("workload", ["catalog", "outbox"])
def test_the_placeholder_service_credential_stops_a_split_service_deployed_without_real_secrets(workload):
    checked = start_up_check("split", workload, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert checked.returncode != 0 and "KUBESHOP_SERVICE_TOKEN is still a placeholder" in checked.stderr
    real = start_up_check("split", workload, DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                          KUBESHOP_SERVICE_TOKEN=secrets.token_urlsafe(32),
                          KUBESHOP_JWT_PUBLIC_KEY=keys.public_pem_of(keys.generate_private_pem()))  # fmt: skip
    assert real.returncode == 0, real.stderr


def test_the_placeholder_signing_keys_stop_a_service_deployed_without_real_ones():
    checked = start_up_check("split", "frontend", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                             KUBESHOP_SERVICE_TOKEN=secrets.token_urlsafe(32))  # fmt: skip
    assert checked.returncode != 0 and "KUBESHOP_JWT_PRIVATE_KEY/KUBESHOP_JWT_PUBLIC_KEY: not a PEM" in checked.stderr


@pytest.mark.e2e
def test_the_split_manifests_started_locally_sell_a_whole_checkout(tmp_path, django_db_blocker):
    deployments, ports = docs("split", "Deployment"), {name: free_port() for name in DOMAIN_SERVICES}
    with django_db_blocker.unblock():
        postgres_url, prefix = _postgres_server_url(), f"{connection.settings_dict['NAME']}_deploy_"
    databases = {name: fresh_database(name, tmp_path, postgres_url, prefix) for name in DOMAIN_SERVICES}
    (locustfile,) = [c["data"] for n, c in docs("split", "ConfigMap").items() if n.startswith("locustfile-")]
    (tmp_path / "locustfile.py").write_text(locustfile["locustfile.py"])
    signing_key = keys.generate_private_pem()
    redis_url = redis_test_url("deploy")
    real_secrets = {  # the Secret's placeholders are refused by design: real values, as a deployment makes them
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "KUBESHOP_SERVICE_TOKEN": secrets.token_urlsafe(32),
        "KUBESHOP_JWT_PRIVATE_KEY": signing_key,
        "KUBESHOP_JWT_PUBLIC_KEY": keys.public_pem_of(signing_key),
    }

    def here(value: str) -> str:  # Service names become local ports; the mounted locustfile, the one above
        value = re.sub(r"http://(\w+):8000", lambda m: f"http://127.0.0.1:{ports[m[1]]}", value)
        value = re.sub(r"^redis://redis:6379/0$", redis_url, value)  # the Redis of this machine (CI starts one)
        return value.replace("/mnt/locust", str(tmp_path))

    def local(workload: dict, port: int = 0) -> tuple[list[str], dict[str, str]]:
        """A container's command and environment as they run on this machine."""
        box = container(workload)
        env = dict(PATH=os.environ["PATH"], HOME=str(tmp_path)) | {k: here(v) for k, v in env_of("split", box).items()}
        if "DATABASE_URL" in env:
            env["DATABASE_URL"] = databases[env["DATABASE_URL"].rsplit("/", 1)[1]]
        env |= {k: v for k, v in real_secrets.items() if k in env}
        env |= {"DJANGO_ALLOWED_HOSTS": env["DJANGO_ALLOWED_HOSTS"] + ",127.0.0.1"}
        program, *args = box["command"] + box.get("args", [])
        args = [f"--bind=127.0.0.1:{port}" if a.startswith("--bind=") else here(a) for a in args]
        return [sys.executable if program == "python" else str(BIN / program), *args], env

    with ThreadPoolExecutor(6) as pool:  # every migration Job, as a rollout starts them: at once
        jobs = [local(job) for job in docs("split", "Job").values()]
        for done in pool.map(lambda j: subprocess.run(j[0], cwd=ROOT, env=j[1], capture_output=True, text=True), jobs):
            assert done.returncode == 0, done.stderr
    shop = {}
    try:
        for name in [*DOMAIN_SERVICES, "outbox"]:
            command, env = local(deployments[name], ports.get(name, 0))
            shop[name] = LocalService(name, env, ports.get(name, 0), tmp_path / f"{name}.log")
            with shop[name].log.open("ab") as log:
                shop[name].process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        for name in DOMAIN_SERVICES:
            shop[name].wait_ready()
        buy_and_check(Visit(shop))

        assert shop["catalog"].manage("seed_demo").returncode == 0
        command, env = local(deployments["locust"])
        command += ["--users=3", "--spawn-rate=3", "--run-time=10s", "--stop-timeout=20", "--json", "--skip-log"]
        load = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert load.returncode == 0, load.stderr[-5000:]
        stats = {s["name"]: s for s in json.loads(load.stdout)}
        assert {"frontend: storefront", "catalog: product", "cart: add", "orders: checkout"} <= set(stats)
        assert sum(s["num_failures"] for s in stats.values()) == 0
    finally:
        for service in shop.values():
            service.stop()
