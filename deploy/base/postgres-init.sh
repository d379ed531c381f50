#!/bin/sh
# Runs once, when the PostgreSQL volume is initialised (docker-entrypoint-initdb.d): for every
# <NAME>_DATABASE_PASSWORD in the environment (from the kubeshop-db Secret), a role `name` with that
# password owning a database `name`. One database per service, each reachable only by its own role.
set -eu
env | sed -n 's/^\([A-Z][A-Z0-9_]*\)_DATABASE_PASSWORD=.*/\1/p' | while read -r upper; do
  name=$(echo "$upper" | tr '[:upper:]' '[:lower:]')
  password=$(printenv "${upper}_DATABASE_PASSWORD")
  echo "postgres-init: database and role $name"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
       -v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
