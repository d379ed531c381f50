#!/bin/bash
# Build the Dockerfile without a Docker engine, for `make image-check` (tests/test_image.py runs the result
# read-only as 10001 with the pod's settings and checks it). As root, on Debian:
#   deploy/image-check.sh TAG       build the repository's Dockerfile into the local image TAG
#
# 1. Installs what is missing with apt-get: debootstrap, podman, buildah, runc.
# 2. The base image is a STAND-IN for python:3.11-slim, which no registry here serves: Debian bookworm's
#    minbase with its Python 3.11 (debootstrap), imported with podman. It is made once and kept in
#    podman's store under a tag naming its recipe (a second run starts from it: seconds, not minutes).
# 3. `buildah bud --from <stand-in> --pull=never --isolation=chroot` builds the Dockerfile; pip reaches
#    PyPI through the host's network with the host's CA bundle, mounted read-only for the RUN steps only.
set -euo pipefail
tag=${1:?usage: deploy/image-check.sh TAG}
repo=$(cd "$(dirname "$0")/.." && pwd)

missing=""
for tool in debootstrap:debootstrap podman:podman buildah:buildah runc:runc; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${tool%%:*}" ] || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then
  echo "image-check: installing$missing" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# What an interrupted run left (containers still running, images): this check's own label, over an hour old.
podman ps --all --quiet --filter label=kubeshop.image-check=true --filter until=1h | xargs -r podman rm --force >/dev/null
podman images --quiet --filter label=kubeshop.image-check=true --filter until=1h | xargs -r podman rmi --force >/dev/null

# The recipe, and a tag that changes with it (an old stand-in is never reused for a new recipe).
suite=bookworm
include=python3,python3-pip,python-is-python3,ca-certificates
recipe="minbase $suite $include no-externally-managed LANG=C.UTF-8"
standin=localhost/kubeshop-base-standin:$suite-$(printf '%s' "$recipe" | sha256sum | cut -c1-12)

if ! podman image exists "$standin"; then
  # The host's Debian mirror (apt's own sources), so the stand-in comes from where apt-get does.
  mirror=$(sed -n 's/^URIs: *\([^ ]*\/debian\)\/\{0,1\} *$/\1/p; s/^deb  *\(http[^ ]*\/debian\)\/\{0,1\}  *'$suite' .*/\1/p' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1 || true)  # none: debootstrap's own
  rootfs=$(mktemp -d /var/tmp/kubeshop-standin.XXXXXX)
  trap 'rm -rf "$rootfs" "$rootfs.log"' EXIT
  trap 'exit 1' INT TERM HUP  # through the EXIT trap
  echo "image-check: making the stand-in base image $standin (debootstrap, once; about 2 minutes)" >&2
  if ! debootstrap --variant=minbase --include="$include" "$suite" "$rootfs" $mirror >"$rootfs.log" 2>&1; then
    tail -20 "$rootfs.log" >&2; exit 1
  fi
  # As python:3.11-slim: pip may install into the image's Python (Debian marks its own as managed by apt).
  rm -f "$rootfs"/usr/lib/python3*/EXTERNALLY-MANAGED
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" --numeric-owner -c . |
    podman import --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' - "$standin" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  trap - EXIT INT TERM HUP
fi

ca=/etc/ssl/certs/ca-certificates.crt; [ -f "$ca" ] || ca=""
buildah bud --quiet --pull=never --from "$standin" --isolation=chroot --network=host \
  ${ca:+--volume "$ca:$ca:ro"} --label kubeshop.image-check=true \
  --file "$repo/Dockerfile" --tag "$tag" "$repo" >/dev/null
echo "$tag"
