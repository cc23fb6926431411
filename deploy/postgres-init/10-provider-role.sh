#!/bin/sh
# Run once by the postgres image when the registry-data volume is first initialised
# (/docker-entrypoint-initdb.d). The provider's own role may log in and nothing else: the
# registry-migrate service (`cie-registry migrate` as the owner, POSTGRES_USER) then grants it what the
# registry's tables need — append and read, never alter, delete or drop (docs/registry.md, "Roles").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$PROVIDER_DB_PASSWORD" <<'SQL'
CREATE ROLE cie_provider LOGIN PASSWORD :'pw';
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
