"""The deployment, proved without a cluster: kustomize renders both overlays and the deploy/local layers
users apply, every document passes the Kubernetes schemas, hadolint and checkov pass, the manifests keep
the deployment's rules, the edge routes every public path to its owner and no internal one, and the split
shop started locally from the rendered manifests sells through a whole checkout."""

import base64
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest
import requests
import yaml
from django.db import connection

from conftest import owning_service
from kubeshop import keys
from kubeshop.registry import DOMAIN_SERVICES, SERVICES, admin_prefix, peer_url_variables
from tests.live import _postgres_server_url, redis_test_url
from tests.route_table import SERVICE_ONLY, Shop, api_routes, path_of
from tests.test_end_to_end import Visit, buy_and_check
from tools.localshop import ROOT, LocalService, free_port, fresh_database

BIN = Path(sys.executable).parent  # kubectl, kubernetes-validate, hadolint, gunicorn, locust (requirements-dev.txt)
# In a venv of its own (`make test` makes it): checkov's pins conflict with pytest's (requirements-checkov.txt).
CHECKOV = BIN.parent / "checkov" / "bin" / "checkov"
OVERLAYS = ["split", "monolith"]
DB_CONNECT_TIMEOUT = 2  # seconds (kubeshop/settings.py): readiness answers before its probe gives up
LOAD_TARGETS = {"frontend", "catalog", "cart", "orders"}  # called by the locust load generator (components/load)
PUBLIC_SERVICES = set(DOMAIN_SERVICES)  # each owns public routes or an admin for staff: the edge reaches them
EDGE = {"kubeshop/edge": "true"}  # the label users put on their Gateway's (or Ingress controller's) namespace
MONITORING = {"kubeshop/monitoring": "true"}  # the label users put on their Prometheus's namespace
METRICS_PORT = 9100  # KUBESHOP_METRICS_PORT of every app pod
HEARTBEAT_PROBE_AGE = 60  # seconds: the outbox's probes fail once its heartbeat file is older


@cache
def deploy_copy() -> Path:
    """A copy of deploy/ with secrets made by deploy/make-secrets.sh, as a user following the README has."""
    copy = Path(tempfile.mkdtemp(prefix="kubeshop-deploy-")) / "deploy"
    shutil.copytree(ROOT / "deploy", copy, ignore=shutil.ignore_patterns("*.env", "*.pem"))
    subprocess.run([copy / "make-secrets.sh"], check=True, capture_output=True)
    return copy


def kustomize(directory: Path) -> str:
    return subprocess.run([BIN / "kubectl", "kustomize", directory], check=True, capture_output=True, text=True).stdout


def variant(base: str, replace: dict[str, str]) -> str:
    """deploy/local/<base> in the copy with its kustomization edited (another routing component, image)."""
    source = deploy_copy() / "local" / base / "kustomization.yaml"
    target = deploy_copy() / "local" / f"{base}-{secrets.token_hex(4)}"
    target.mkdir()
    text = source.read_text()
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    (target / "kustomization.yaml").write_text(text)
    return kustomize(target)


@cache
def rendered(overlay: str) -> str:
    """overlays/<overlay> ("split", "monolith"), or a layer users apply ("local/split", "local/split-load", …)."""
    if overlay.startswith("local/"):
        return kustomize(deploy_copy() / overlay)
    return kustomize(ROOT / "deploy" / "overlays" / overlay)


@cache
def docs(overlay: str, *kinds: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in yaml.safe_load_all(rendered(overlay)) if d["kind"] in kinds}


def workloads(overlay: str) -> dict[str, dict]:
    return docs(overlay, "Deployment", "StatefulSet", "Job")


def boxes(workload: dict) -> list[dict]:
    """Every container of a pod, init containers first."""
    spec = workload["spec"]["template"]["spec"]
    return spec.get("initContainers", []) + spec["containers"]


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
    test = {
        "In": lambda k, vs: labels.get(k) in vs,
        "NotIn": lambda k, vs: labels.get(k) not in vs,
        "Exists": lambda k, vs: k in labels,
        "DoesNotExist": lambda k, vs: k not in labels,
    }
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()) and all(
        test[e["operator"]](e["key"], e.get("values", [])) for e in selector.get("matchExpressions", [])
    )


def sources_allowed(overlay: str, target: str, port: str | None = None) -> set[str]:
    """The workloads whose pods the NetworkPolicies let reach `target`'s pods (on the named `port`, or any);
    '*' when anyone may, 'edge' for the namespaces labelled as the edge's (the Gateway's or Ingress
    controller's proxies), 'monitoring' for those labelled as Prometheus's."""
    pods = {n: w["spec"]["template"]["metadata"]["labels"] for n, w in workloads(overlay).items()}
    allowed = set()
    for policy in docs(overlay, "NetworkPolicy").values():
        if selects(policy["spec"]["podSelector"], pods[target]):
            for rule in policy["spec"].get("ingress", []):
                if port is not None and "ports" in rule and port not in {p["port"] for p in rule["ports"]}:
                    continue
                allowed |= {"*"} if not rule.get("from") else set()
                for peer in rule.get("from", []):
                    if "podSelector" in peer and "namespaceSelector" not in peer:
                        allowed |= {n for n, labels in pods.items() if selects(peer["podSelector"], labels)}
                    elif peer == {"namespaceSelector": {"matchLabels": EDGE}}:
                        allowed |= {"edge"}
                    elif peer == {"namespaceSelector": {"matchLabels": MONITORING}}:
                        allowed |= {"monitoring"}
                    else:
                        allowed |= {f"unexpected: {peer}"}
    return allowed


LAYERS = ["local/split", "local/split-load", "local/monolith"]  # what deploy/README.md applies
WITH_LOAD = "local/split-load"  # the load generator is opt-in: only this layer has it
GATEWAY_API = "gateway.networking.k8s.io/v1"  # CRDs, which kubernetes-validate has no schemas for


@pytest.mark.parametrize("overlay", OVERLAYS + LAYERS)
def test_the_overlay_renders_and_every_document_passes_the_kubernetes_schemas(overlay, tmp_path):
    documents = list(yaml.safe_load_all(rendered(overlay)))
    validated = [d for d in documents if d["apiVersion"] != GATEWAY_API]
    (tmp_path / "rendered.yaml").write_text(yaml.safe_dump_all(validated))
    command = [BIN / "kubernetes-validate", "--strict", "--kubernetes-version=1.37.0", "--quiet", "rendered.yaml"]
    checked = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
    assert len(documents) >= 14


def test_the_dockerfile_passes_hadolint():
    linted = subprocess.run([BIN / "hadolint", ROOT / "Dockerfile"], capture_output=True, text=True)
    assert (linted.returncode, linted.stdout) == (0, "")


# The overlays carry no namespace on purpose (deploy/local or `kubectl apply -n` gives one).
NAMESPACE_LESS = "CKV_K8S_21"
CHECKOV_QUIET = ["--compact", "--quiet", "--skip-download"]  # failures only, no policy download


@pytest.mark.parametrize("overlay", OVERLAYS + LAYERS)
def test_checkov_finds_nothing_unexplained_in_the_manifests(overlay, tmp_path):
    (tmp_path / "rendered.yaml").write_text(rendered(overlay))
    skip = [] if overlay.startswith("local/") else ["--skip-check", NAMESPACE_LESS]
    command = [CHECKOV, "--directory", tmp_path, "--framework", "kubernetes", *CHECKOV_QUIET, *skip]
    checked = subprocess.run(command, capture_output=True, text=True)
    assert checked.returncode == 0 and "Failed checks: 0," in checked.stdout, checked.stdout[-3000:]


def test_checkov_finds_nothing_unexplained_in_the_dockerfile():
    command = [CHECKOV, "--file", ROOT / "Dockerfile", "--framework", "dockerfile", *CHECKOV_QUIET]
    checked = subprocess.run(command, capture_output=True, text=True)
    assert checked.returncode == 0 and "Failed checks: 0," in checked.stdout, checked.stdout[-3000:]


@pytest.mark.parametrize("overlay", OVERLAYS + LAYERS)
def test_every_container_is_limited_and_locked_down_and_every_web_container_is_probed(overlay):
    for name, workload in workloads(overlay).items():
        pod = workload["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False, name
        assert pod["serviceAccountName"] == name, name  # its own, with no token either
        for box in boxes(workload):
            assert set(box["resources"]["requests"]) == set(box["resources"]["limits"]) == {"cpu", "memory"}, name
            security = box["securityContext"]
            assert security["runAsNonRoot"] and pod["securityContext"]["runAsUser"] > 0, name
            assert (security["readOnlyRootFilesystem"], security["allowPrivilegeEscalation"]) == (True, False), name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
            assert "/tmp" in {m["mountPath"] for m in box["volumeMounts"]}, name
        if is_web(workload):
            box = container(workload)
            assert box["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert box["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert box["startupProbe"]["httpGet"]["path"] == "/healthz", name
            assert box["readinessProbe"]["timeoutSeconds"] > DB_CONNECT_TIMEOUT, name
    for account in docs(overlay, "ServiceAccount").values():
        assert account["automountServiceAccountToken"] is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_busy_web_pod_is_not_restarted_before_gunicorn_would_replace_a_stuck_worker(overlay):
    for workload in filter(is_web, workloads(overlay).values()):
        box = container(workload)
        flags = dict(a.split("=", 1) for a in box["args"] if "=" in a)
        liveness = box["livenessProbe"]
        assert liveness["periodSeconds"] * liveness["failureThreshold"] > int(flags["--timeout"])
        assert "--no-control-socket" in box["args"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_carries_the_recommended_labels(overlay):
    recommended = {
        f"app.kubernetes.io/{k}" for k in ("name", "instance", "version", "component", "part-of", "managed-by")
    }
    for document in yaml.safe_load_all(rendered(overlay)):
        if document["kind"] in ("Deployment", "StatefulSet", "Service", "ServiceAccount"):
            assert recommended <= set(document["metadata"]["labels"]), document["metadata"]["name"]
        if document["kind"] in ("Deployment", "StatefulSet"):
            assert recommended <= set(document["spec"]["template"]["metadata"]["labels"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_web_pod_is_given_time_for_its_pre_stop_pause_and_gunicorns_graceful_timeout(overlay):
    image_cmd = (ROOT / "Dockerfile").read_text().split("\nCMD")[-1]
    for workload in filter(is_web, workloads(overlay).values()):
        box = container(workload)
        flags = dict(a.split("=", 1) for a in box["args"] if "=" in a)
        pause = int(box["lifecycle"]["preStop"]["exec"]["command"][-1])
        grace = workload["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        assert grace >= pause + int(flags["--graceful-timeout"])
        assert re.search(r'"--graceful-timeout", "(\d+)"', image_cmd)[1] == flags["--graceful-timeout"]
        assert '"--no-control-socket"' in image_cmd


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
    assert outbox["command"] == ["python", "manage.py", "deliver_outbox", "--heartbeat=/tmp/heartbeat"]
    assert env_of("split", outbox) == env_of("split", orders)
    assert env_of("monolith", container(docs("monolith", "Deployment")["shop"]))["KUBESHOP_SERVICE"] == "all"


def test_the_autoscalers_scale_catalog_orders_and_the_frontend_on_cpu():
    autoscalers = {h["spec"]["scaleTargetRef"]["name"]: h for h in docs("split", "HorizontalPodAutoscaler").values()}
    assert set(autoscalers) == {"catalog", "orders", "frontend"}
    for name, hpa in autoscalers.items():
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
        assert "replicas" not in docs("split", "Deployment")[name]["spec"]  # or every apply would undo the HPA


@pytest.mark.parametrize("layer", ["local/split", "local/monolith"])
def test_every_scaled_deployment_has_a_disruption_budget_and_spreads_over_nodes(layer):
    budgets = {
        b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]: b
        for b in docs(layer, "PodDisruptionBudget").values()
    }
    scaled = {h["spec"]["scaleTargetRef"]["name"] for h in docs(layer, "HorizontalPodAutoscaler").values()}
    for name, workload in docs(layer, "Deployment").items():
        if workload["spec"].get("replicas", 2) < 2 and name not in scaled:
            assert name not in budgets, name  # one replica: a budget would block every drain
            continue
        assert budgets[name]["spec"]["maxUnavailable"] == 1, name
        (spread,) = workload["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert spread["labelSelector"] == workload["spec"]["selector"], name
    assert budgets


@pytest.mark.parametrize("layer", LAYERS)
def test_a_user_layer_runs_in_its_restricted_namespace_with_the_generated_secrets(layer):
    (namespace,) = docs(layer, "Namespace").values()
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for document in yaml.safe_load_all(rendered(layer)):
        assert document["kind"] == "Namespace" or document["metadata"]["namespace"] == namespace["metadata"]["name"]
    made = (deploy_copy() / "local" / "secrets" / "app.env").read_text()
    for secret in docs(layer, "Secret").values():
        for value in secret["data"].values():
            assert "REPLACE-ME" not in base64.b64decode(value).decode()
    app = next(s for n, s in docs(layer, "Secret").items() if n.startswith("kubeshop-app-"))
    assert f"DJANGO_SECRET_KEY={base64.b64decode(app['data']['DJANGO_SECRET_KEY']).decode()}" in made
    keys.public_key(base64.b64decode(app["data"]["KUBESHOP_JWT_PUBLIC_KEY"]).decode())  # a real PEM key


def test_the_secrets_script_never_replaces_secrets_postgres_was_initialised_with(tmp_path):
    script = ROOT / "deploy" / "make-secrets.sh"
    subprocess.run([script, tmp_path], check=True, capture_output=True)
    first = (tmp_path / "db.env").read_text()
    again = subprocess.run([script, tmp_path], capture_output=True, text=True)
    assert again.returncode == 0 and "keeping" in again.stderr and (tmp_path / "db.env").read_text() == first
    for made in ("db.env", "app.env", "jwt-private.pem", "jwt-public.pem"):
        ignored = subprocess.run(["git", "check-ignore", "-q", f"deploy/local/secrets/{made}"], cwd=ROOT)
        assert ignored.returncode == 0, made


def test_network_policies_let_each_service_be_reached_only_by_its_callers_and_the_edge():
    for name in DOMAIN_SERVICES:
        callers = {c for c in DOMAIN_SERVICES if name in SERVICES[c].peers}
        callers |= {"outbox"} if name in SERVICES["orders"].peers else set()  # the outbox calls as orders does
        callers |= {"edge"} if name in PUBLIC_SERVICES else set()
        assert sources_allowed("split", name, "http") == callers, name
        assert sources_allowed("local/split-load", name, "http") == callers | (
            {"locust"} if name in LOAD_TARGETS else set()
        )
    app_pods = {n for n, w in workloads("split").items() if n not in ("postgres", "redis")}
    assert sources_allowed("split", "postgres") == app_pods
    assert sources_allowed("split", "redis") == app_pods
    assert sources_allowed("monolith", "shop", "http") == {"edge"}
    policies = docs("split", "NetworkPolicy").values()
    assert any(p["spec"]["podSelector"] == {} and "ingress" not in p["spec"] for p in policies)  # default deny


def routed_by_gateway(layer_yaml: str, path: str) -> str:
    """The Service an HTTPRoute sends `path` to, by Gateway API precedence (Exact, then the longest prefix)."""
    (route,) = [d for d in yaml.safe_load_all(layer_yaml) if d["kind"] == "HTTPRoute"]
    candidates = []
    for rule in route["spec"]["rules"]:
        strip = {"remove": ["X-Service-Token", "X-Acting-User"]}
        assert {"type": "RequestHeaderModifier", "requestHeaderModifier": strip} in rule["filters"]
        for match in rule["matches"]:
            kind, value = match["path"]["type"], match["path"]["value"]
            (backend,) = rule["backendRefs"]
            if kind == "Exact" and path == value:
                candidates.append((2, len(value), backend["name"]))
            if kind == "PathPrefix" and prefix_matches(value, path):
                candidates.append((1, len(value), backend["name"]))
    return max(candidates)[2]


def routed_by_ingress(layer_yaml: str, path: str) -> str:
    """The Service an Ingress sends `path` to (Exact first, then the longest Prefix, element by element)."""
    (ingress,) = [d for d in yaml.safe_load_all(layer_yaml) if d["kind"] == "Ingress"]
    candidates = []
    for rule in ingress["spec"]["rules"]:
        for entry in rule["http"]["paths"]:
            value, backend = entry["path"], entry["backend"]["service"]["name"]
            if entry["pathType"] == "Exact" and path == value:
                candidates.append((2, len(value), backend))
            if entry["pathType"] == "Prefix" and prefix_matches(value, path):
                candidates.append((1, len(value), backend))
    return max(candidates)[2]


def prefix_matches(prefix: str, path: str) -> bool:
    """Both APIs match a prefix by whole path elements: /api/cart matches /api/cart/x, not /api/carts."""
    prefix = prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/") or prefix == ""


SAMPLE_SHOP = Shop(product_id=7, order_id="0b5d0c3e-8f1a-4c4e-9f39-1d2e3f4a5b6c", payment_id=3, notification_id=5)


@pytest.mark.parametrize("routing", ["gateway", "ingress"])
def test_the_edge_sends_every_public_route_to_its_owner_and_no_internal_route_to_its_owner(routing):
    if routing == "gateway":
        split, route = rendered("local/split"), routed_by_gateway
    else:
        split, route = variant("split", {"split-gateway": "split-ingress"}), routed_by_ingress
    routes = api_routes(include_accounts=True)
    assert len(routes) > 20
    for api_route in routes:
        path = path_of(api_route, SAMPLE_SHOP)
        owner, backend = owning_service(path), route(split, path)
        if SERVICE_ONLY in api_route.categories and owner == "frontend":
            # The frontend is where everything else goes: its own internal route (other services' admins
            # check staff sign-ins on it) is served, and refused without the credential the Gateway removes.
            assert backend == "frontend", api_route.id
        elif SERVICE_ONLY in api_route.categories:
            assert backend != owner, api_route.id  # the frontend, where no view serves it: 404
            assert backend == "frontend" and owner not in SERVICES["frontend"].apps, api_route.id
        else:
            assert backend == owner, api_route.id
    for path, service in {
        "/": "frontend",
        "/products/7": "frontend",
        "/static/x.css": "frontend",
        "/api/categories": "catalog",
        "/admin/auth/user/": "frontend",
    }.items():
        assert route(split, path) == service, path
    for name in DOMAIN_SERVICES:  # each service's admin, at the path it mounts it on (kubeshop/registry.py)
        for page in ("", "login/", f"{name}/"):
            assert route(split, f"/{admin_prefix(name)}{page}") == name, (name, page)
    if routing == "gateway":
        monolith = rendered("local/monolith")
    else:
        monolith = variant("monolith", {"monolith-gateway": "monolith-ingress"})
    assert {route(monolith, path_of(r, SAMPLE_SHOP)) for r in routes} == {"shop"}


@pytest.mark.parametrize("overlay", OVERLAYS + LAYERS)
def test_every_app_pod_logs_json_and_is_scraped_on_a_metrics_port_that_only_monitoring_reaches(overlay):
    components = {n: w["metadata"]["labels"]["app.kubernetes.io/component"] for n, w in workloads(overlay).items()}
    apps = {n: w for n, w in workloads(overlay).items() if components[n] in ("web", "worker")}  # the image's pods
    assert "outbox" in apps and len(apps) in (2, 7)
    scrape = {"prometheus.io/scrape": "true", "prometheus.io/port": str(METRICS_PORT), "prometheus.io/path": "/metrics"}
    for name, workload in apps.items():
        assert scrape.items() <= workload["spec"]["template"]["metadata"]["annotations"].items(), name
        box = container(workload)
        assert {"name": "metrics", "containerPort": METRICS_PORT} in box["ports"], name
        env = env_of(overlay, box)
        assert (env["KUBESHOP_METRICS_PORT"], env["KUBESHOP_LOG_FORMAT"]) == (str(METRICS_PORT), "json"), name
        assert sources_allowed(overlay, name, "metrics") == {"monitoring"}, name
    for service in docs(overlay, "Service").values():  # what no Service exposes, no Gateway or Ingress can route to
        for port in service["spec"]["ports"]:
            assert METRICS_PORT not in (port["port"], port.get("targetPort")) and port.get("targetPort") != "metrics"


@pytest.mark.parametrize("routing", ["gateway", "ingress"])
def test_no_edge_route_reaches_a_metrics_port_and_metrics_on_the_public_port_go_where_nothing_serves_them(routing):
    for shape, catch_all in (("split", "frontend"), ("monolith", "shop")):
        if routing == "gateway":
            layer, route = rendered(f"local/{shape}"), routed_by_gateway
        else:
            layer, route = variant(shape, {f"{shape}-gateway": f"{shape}-ingress"}), routed_by_ingress
        documents = list(yaml.safe_load_all(layer))
        services = {d["metadata"]["name"]: d["spec"]["ports"] for d in documents if d["kind"] == "Service"}
        backends = [
            (b["name"], b["port"])
            for d in documents
            if d["kind"] == "HTTPRoute"
            for rule in d["spec"]["rules"]
            for b in rule["backendRefs"]
        ]
        backends += [
            (e["backend"]["service"]["name"], e["backend"]["service"]["port"]["name"])
            for d in documents
            if d["kind"] == "Ingress"
            for rule in d["spec"]["rules"]
            for e in rule["http"]["paths"]
        ]
        assert backends
        for name, port in backends:
            (exposed,) = [p for p in services[name] if port in (p["port"], p["name"])]
            assert exposed["targetPort"] == "http", (name, port)  # gunicorn's public port, never the metrics one
        # The catch-all's own URLconf routes no /metrics (tests/test_observability.py): a 404.
        assert route(layer, "/metrics") == catch_all


IMAGE_REFERENCES = [
    "localhost:5001/kubeshop:dev",
    "registry.example.com:5000/team/kubeshop:V1.0-RC1",
    "kubeshop@sha256:" + "0123456789abcdef" * 4,
]
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


@pytest.mark.parametrize("reference", IMAGE_REFERENCES)
def test_any_valid_image_reference_gives_valid_names_and_labels(reference):
    name, _, digest = reference.partition("@sha256:")
    name, tag = (name, "") if digest else name.rsplit(":", 1)
    image = f"    newName: {name}\n" + (f"    digest: sha256:{digest}\n" if digest else f"    newTag: {tag}\n")
    for shape in ("split", "monolith"):
        text = variant(shape, {"    newName: kubeshop\n    newTag: dev\n": image})
        for document in yaml.safe_load_all(text):
            metadata = document["metadata"]
            assert all(DNS_LABEL.match(part) for part in metadata["name"].split(".")), metadata["name"]
            template = document.get("spec", {}).get("template", {})
            for labels in (metadata.get("labels", {}), template.get("metadata", {}).get("labels", {})):
                assert all(len(v) <= 63 and LABEL_VALUE.match(v) for v in labels.values()), labels
        images = {
            b["image"]
            for d in yaml.safe_load_all(text)
            if d["kind"] == "Deployment"
            for b in boxes(d)
            if b["name"] in ("app", "migrate")
        }
        assert images == {reference}


@pytest.mark.parametrize("overlay", OVERLAYS + ["local/split"])
def test_every_pod_of_the_image_migrates_its_own_database_first_and_no_job_holds_a_template(overlay):
    assert not docs(overlay, "Job")  # a Job's template is immutable: nothing to block a re-apply
    for name, workload in docs(overlay, "Deployment").items():
        if workload["metadata"]["labels"]["app.kubernetes.io/component"] not in ("web", "worker"):
            continue  # redis, locust: other images
        (migrate,) = workload["spec"]["template"]["spec"]["initContainers"]
        assert migrate["command"] == ["python", "manage.py", "migrate_locked"]
        assert env_of(overlay, migrate) == env_of(overlay, container(workload)), name
        assert migrate["image"] == container(workload)["image"]


def test_the_outbox_probes_pass_while_its_heartbeat_is_fresh_and_fail_once_it_is_stale(tmp_path):
    outbox = container(docs("split", "Deployment")["outbox"])
    assert outbox["command"][-1] == "--heartbeat=/tmp/heartbeat"
    heartbeat = tmp_path / "heartbeat"

    def probe(kind: str) -> int:
        command = [c.replace("/tmp/heartbeat", str(heartbeat)) for c in outbox[kind]["exec"]["command"]]
        return subprocess.run([sys.executable if command[0] == "python" else command[0], *command[1:]]).returncode

    assert probe("startupProbe") != 0  # no round finished yet
    heartbeat.touch()
    assert (probe("startupProbe"), probe("livenessProbe"), probe("readinessProbe")) == (0, 0, 0)
    stale = time.time() - HEARTBEAT_PROBE_AGE - 5
    os.utime(heartbeat, (stale, stale))
    assert probe("livenessProbe") != 0


@pytest.mark.django_db(transaction=True)  # the dispatcher closes old connections each round
def test_the_dispatcher_touches_its_heartbeat_every_round(tmp_path):
    from django.core.management import call_command

    heartbeat = tmp_path / "heartbeat"
    call_command("deliver_outbox", once=True, heartbeat=heartbeat)
    assert time.time() - heartbeat.stat().st_mtime < HEARTBEAT_PROBE_AGE
    stale = time.time() - 3600
    os.utime(heartbeat, (stale, stale))
    call_command("deliver_outbox", once=True, heartbeat=heartbeat)
    assert heartbeat.stat().st_mtime > stale + 3000


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
    real = start_up_check(
        "split",
        workload,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        KUBESHOP_SERVICE_TOKEN=secrets.token_urlsafe(32),
        KUBESHOP_JWT_PUBLIC_KEY=keys.public_pem_of(keys.generate_private_pem()),
    )
    assert real.returncode == 0, real.stderr


def test_the_placeholder_signing_keys_stop_a_service_deployed_without_real_ones():
    checked = start_up_check(
        "split",
        "frontend",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        KUBESHOP_SERVICE_TOKEN=secrets.token_urlsafe(32),
    )
    assert checked.returncode != 0 and "KUBESHOP_JWT_PRIVATE_KEY/KUBESHOP_JWT_PUBLIC_KEY: not a PEM" in checked.stderr


@pytest.mark.e2e
def test_the_split_manifests_started_locally_sell_a_whole_checkout(tmp_path, django_db_blocker):
    deployments, ports = docs("split", "Deployment"), {name: free_port() for name in DOMAIN_SERVICES}
    metrics_ports = {name: free_port() for name in deployments}  # every pod has 9100 to itself; not this machine
    with django_db_blocker.unblock():
        postgres_url, prefix = _postgres_server_url(), f"{connection.settings_dict['NAME']}_deploy_"
    databases = {name: fresh_database(name, tmp_path, postgres_url, prefix) for name in DOMAIN_SERVICES}
    (locustfile,) = [c["data"] for n, c in docs(WITH_LOAD, "ConfigMap").items() if n.startswith("locustfile-")]
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

    def local(workload: dict, port: int = 0, box: dict | None = None, overlay: str = "split") -> tuple[list[str], dict]:
        """A container's command and environment as they run on this machine."""
        box = box or container(workload)
        env = dict(PATH=os.environ["PATH"], HOME=str(tmp_path)) | {k: here(v) for k, v in env_of(overlay, box).items()}
        if "DATABASE_URL" in env:
            env["DATABASE_URL"] = databases[env["DATABASE_URL"].rsplit("/", 1)[1]]
        env |= {k: v for k, v in real_secrets.items() if k in env}
        env |= {"DJANGO_ALLOWED_HOSTS": env["DJANGO_ALLOWED_HOSTS"] + ",127.0.0.1"}
        env |= {"KUBESHOP_COMPRESS_STATIC": "false"}  # the image compresses its static files; seconds here, not minutes
        if "KUBESHOP_METRICS_PORT" in env:
            env |= {"KUBESHOP_METRICS_PORT": str(metrics_ports.setdefault(workload["metadata"]["name"], free_port()))}
            env |= {"KUBESHOP_METRICS_ADDRESS": "127.0.0.1"}
        program, *args = box["command"] + box.get("args", [])
        args = [f"--bind=127.0.0.1:{port}" if a.startswith("--bind=") else here(a) for a in args]
        return [sys.executable if program == "python" else str(BIN / program), *args], env

    # Every pod's migrate init container, as a rollout starts them: at once. On PostgreSQL two pods of one
    # database (orders and the outbox) migrate concurrently and the advisory lock makes them take turns;
    # SQLite (a developer's run) has no such lock, so there the second pod of a database waits its turn.
    inits = [
        local(d, box=d["spec"]["template"]["spec"]["initContainers"][0])
        for d in deployments.values()
        if "initContainers" in d["spec"]["template"]["spec"]
    ]
    firsts = list({env["DATABASE_URL"]: (command, env) for command, env in reversed(inits)}.values())
    waves = [inits] if postgres_url else [firsts, [i for i in inits if i not in firsts]]
    with ThreadPoolExecutor(len(inits)) as pool:
        for wave in waves:
            runs = pool.map(lambda j: subprocess.run(j[0], cwd=ROOT, env=j[1], capture_output=True, text=True), wave)
            for done in runs:
                assert done.returncode == 0, done.stderr
    # As the image's build does: the storefront's pages need the hashed-name manifest.
    command, env = local(deployments["frontend"])
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert collected.returncode == 0, collected.stderr
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
        for name in DOMAIN_SERVICES:  # every web pod's requests on its metrics port, and no metrics on its public one
            scraped = requests.get(f"http://127.0.0.1:{metrics_ports[name]}/metrics", timeout=10).text
            assert "kubeshop_http_requests_total{" in scraped, name
            assert requests.get(f"{shop[name].url}/metrics", timeout=10).status_code == 404, name

        assert shop["catalog"].manage("seed_demo").returncode == 0
        command, env = local(docs(WITH_LOAD, "Deployment")["locust"], overlay=WITH_LOAD)
        command += ["--users=3", "--spawn-rate=3", "--run-time=10s", "--stop-timeout=20", "--json", "--skip-log"]
        load = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert load.returncode == 0, load.stderr[-5000:]
        stats = {s["name"]: s for s in json.loads(load.stdout)}
        assert {"frontend: storefront", "catalog: product", "cart: add", "orders: checkout"} <= set(stats)
        assert sum(s["num_failures"] for s in stats.values()) == 0
    finally:
        for service in shop.values():
            service.stop()


@pytest.mark.apply_check
def test_both_overlays_apply_and_re_apply_after_every_config_and_secret_change_on_a_real_api_server(tmp_path):
    """../shared/k8s/apply-check against a kube-apiserver built on this machine (`make apply-check`; CI runs
    it where one is built). Out of the default run: it needs that build, and a skip would fail CI."""
    script = os.environ.get("KUBESHOP_APPLY_CHECK", "/work/shared/k8s/apply-check")
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy", ignore=shutil.ignore_patterns("*.env", "*.pem"))
    checked = subprocess.run([script, tmp_path], capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for overlay in OVERLAYS:
        accepted = re.search(rf"^{overlay} dry-run: (\d+) objects accepted$", checked.stdout, re.MULTILINE)
        assert accepted and int(accepted[1]) == len(list(yaml.safe_load_all(rendered(overlay)))), checked.stdout
