#!/usr/bin/env bash
# pmx-dash's build and test dependencies, run by scripts/install-deps.sh. Idempotent.
set -euo pipefail

# Chromium drives the dashboard's Playwright tests (tests/e2e); npm ci installs HTMX, Chart.js,
# Tailwind and playwright-core from the npm registry exactly as package-lock.json pins them
# (no browser download: playwright-core uses /usr/bin/chromium).
dash_packages=(chromium nodejs npm)
dash_missing=()
for p in "${dash_packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || dash_missing+=("$p")
done
# A node/npm from elsewhere (not dpkg) is fine: only ask apt for what has no command either.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  dash_missing=("${dash_missing[@]/nodejs/}")
  dash_missing=("${dash_missing[@]/npm/}")
fi
dash_wanted=()
for p in "${dash_missing[@]}"; do [[ -n "$p" ]] && dash_wanted+=("$p"); done
if ((${#dash_wanted[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then as_root=(); else as_root=(sudo); fi
  echo "install-deps: installing ${dash_wanted[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${dash_wanted[@]}"
fi
dash_web="$(cd "$(dirname "$0")/.." && pwd)/tools/pmx-dash/web"
if [[ ! -f "$dash_web/node_modules/.package-lock.json" || "$dash_web/package-lock.json" -nt "$dash_web/node_modules/.package-lock.json" ]]; then
  echo "install-deps: npm ci in tools/pmx-dash/web"
  (cd "$dash_web" && npm ci --no-audit --no-fund)
else
  echo "install-deps: tools/pmx-dash/web/node_modules is up to date"
fi
