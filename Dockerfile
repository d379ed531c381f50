# The one KubeShop image: every split service, the monolith, the outbox dispatcher and the migrations.
# KUBESHOP_SERVICE (set by the Deployment) picks what a container is; see deploy/README.md.
FROM python:3.11-slim

# DJANGO_DEBUG=false: also the settings' default; said here so the image never depends on it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_DEBUG=false \
    KUBESHOP_LOG_FORMAT=json \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first: this layer stays cached until requirements.txt changes.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# The settings refuse a development key when DEBUG is off, so collectstatic gets a throwaway secret key
# and a throwaway token-signing key pair, in this RUN only (never an ENV: they must not reach the running
# container). Bytecode is compiled here because the root filesystem is read-only at run time.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-time-only-collectstatic-key-not-a-secret-0123456789abcdef \
    KUBESHOP_JWT_PRIVATE_KEY="$(python -c 'from kubeshop.keys import generate_private_pem as g; print(g())')" \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app \
    && groupadd --system --gid 10001 kubeshop \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin kubeshop

# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
EXPOSE 8000

# No HEALTHCHECK: the same image also runs the migrations and the outbox dispatcher, which serve no
# HTTP, and Kubernetes ignores HEALTHCHECK; the pods' probes check /healthz and /readyz instead.
# checkov:skip=CKV_DOCKER_2: probes are per Deployment (deploy/components/django-pod), not in the image
# --worker-tmp-dir: the root filesystem is read-only. --graceful-timeout: the pod's
# terminationGracePeriodSeconds covers it plus the preStop pause (deploy/components/django-pod).
# --no-control-socket: gunicorn's default control socket lives in $HOME, which the read-only root refuses.
# No access log: Django writes each request's line (kubeshop.access); ./gunicorn.conf.py is read by default.
CMD ["gunicorn", "kubeshop.wsgi", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", \
     "--workers", "2", "--threads", "4", "--timeout", "30", "--graceful-timeout", "20", \
     "--no-control-socket"]
