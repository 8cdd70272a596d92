#!/usr/bin/env bash
# Installs what the local stack needs from Debian's packages when it is missing: a JDK (17+), Maven, redis-server.
# Safe to run again; does nothing when all are present. Needs root (or sudo) and apt-get.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v flock >/dev/null 2>&1 || need+=(util-linux)

if ((${#need[@]} == 0)); then
  echo "[prereqs] java, maven and redis-server are installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "[prereqs] missing: ${need[*]}; install them with your package manager" >&2
  exit 1
fi
sudo=""
[[ "$(id -u)" == 0 ]] || sudo="sudo"
echo "[prereqs] installing ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
