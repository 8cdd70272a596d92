#!/usr/bin/env bash
# Installs what the local stack needs from Debian's packages when it is missing: a JDK (17+), Maven, redis-server,
# and for the console's browser tests chromium (driven by playwright-core, which never downloads a browser; another
# one can be given with CHROMIUM_PATH) with a Chinese font, so the screenshots show the console's text.
# Safe to run again; does nothing when all are present. Needs root (or sudo) and apt-get.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v flock >/dev/null 2>&1 || need+=(util-linux)
[[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]] || need+=(chromium)
# fc-list comes with chromium (fontconfig); without it, chromium is missing too and the font goes with it.
{ command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list :lang=zh family 2>/dev/null)" ]]; } || need+=(fonts-wqy-microhei)

if ((${#need[@]} == 0)); then
  echo "[prereqs] java, maven, redis-server and chromium are installed"
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
