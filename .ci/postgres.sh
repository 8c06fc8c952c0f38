#!/usr/bin/env bash
# Start the Debian PostgreSQL cluster on loopback for the reference target's
# real-server tests (no systemd in CI), and give `postgres` a password.
set -euo pipefail
version=$(ls /etc/postgresql | sort -n | tail -n 1)
pg_ctlcluster "$version" main start || pg_ctlcluster "$version" main status
pg_isready -h 127.0.0.1 -t 30
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\""
