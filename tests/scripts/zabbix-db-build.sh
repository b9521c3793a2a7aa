#!/bin/bash
# Builds the cached PostgreSQL cluster of the Zabbix real tier: a fresh cluster with the
# zabbix role and database and Zabbix 6.0's schema, images and data loaded (~15 s, the
# slow part of starting Zabbix), stopped and archived.
# Usage: zabbix-db-build.sh BUILD_DIR ARCHIVE
# The cluster listens on a Unix socket in BUILD_DIR only (no TCP port while building).
set -euo pipefail
D=$1; ARCHIVE=$2
PGB=/usr/lib/postgresql/15/bin
rm -rf "$D"; mkdir -p "$D"; chmod 0755 "$D"; chown postgres "$D"
as_pg() { su postgres -s /bin/sh -c "$1"; }
cleanup() { as_pg "$PGB/pg_ctl -D '$D/pg' -m fast stop" >/dev/null 2>&1 || true; }
trap cleanup EXIT
as_pg "$PGB/initdb -A trust -U postgres -D '$D/pg' >/dev/null"
as_pg "$PGB/pg_ctl -D '$D/pg' -o \"-k '$D' -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" -l '$D/pg.log' -w start >/dev/null"
psql -q -h "$D" -U postgres -c "create role zabbix login password 'zbx'" -c "create database zabbix owner zabbix" >/dev/null
for f in schema images data; do
  zcat "/usr/share/zabbix-server-pgsql/$f.sql.gz" | psql -q -v ON_ERROR_STOP=1 -h "$D" -U zabbix zabbix >/dev/null
done
as_pg "$PGB/pg_ctl -D '$D/pg' -m fast stop >/dev/null"
trap - EXIT
tar -C "$D" -cf - pg | zstd -q -3 -o "$ARCHIVE.tmp"
mv "$ARCHIVE.tmp" "$ARCHIVE"
rm -rf "$D"
