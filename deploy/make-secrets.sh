#!/bin/sh
# Generate the shop's secrets into deploy/local/secrets/ (git-ignored), where deploy/local/* read them:
# app.env (Django's secret key, the service credential), db.env (PostgreSQL's superuser and one
# password per database of either shape) and an Ed25519 key pair for identity tokens.
# Refuses to overwrite: PostgreSQL keeps the passwords it was initialised with (--force to replace anyway).
#   deploy/make-secrets.sh [--force] [DIR]
set -eu
force=no
[ "${1:-}" = --force ] && { force=yes; shift; }
dir=${1:-$(dirname "$0")/local/secrets}
if [ -e "$dir/app.env" ] && [ $force = no ]; then
  echo "$dir/app.env exists: keeping the secrets (--force to make new ones)" >&2
  exit 0
fi
umask 077
token() { openssl rand -hex "$1"; }  # hex: URL-safe, so database passwords fit in DATABASE_URL
{
  echo "DJANGO_SECRET_KEY=$(token 40)"
  echo "KUBESHOP_SERVICE_TOKEN=$(token 32)"
} > "$dir/app.env"
{
  echo "POSTGRES_PASSWORD=$(token 24)"
  for name in SHOP CATALOG CART ORDERS PAYMENTS NOTIFICATIONS FRONTEND; do
    echo "${name}_DATABASE_PASSWORD=$(token 24)"
  done
} > "$dir/db.env"
openssl genpkey -algorithm ed25519 -out "$dir/jwt-private.pem"
openssl pkey -in "$dir/jwt-private.pem" -pubout -out "$dir/jwt-public.pem"
echo "secrets written to $dir"
