#!/bin/bash
# Usage: make_busybox_rootfs.sh OUT.tar
# A busybox root filesystem from Debian's busybox-static (/bin/busybox), made without any
# registry: bin/busybox, a symlink per applet (`busybox --list`), etc/passwd (root, nobody),
# etc/group, a 1777 tmp and an empty root home. The tar has numeric owners 0:0 and fixed
# mtimes, so the same busybox binary always gives the same tar (and the same layer diff_id).
# For `dexec import OUT.tar busybox:latest`, `docker import` and `buildah`.
set -euo pipefail
out=${1:?usage: make_busybox_rootfs.sh OUT.tar}
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "make_busybox_rootfs: $busybox not found (apt-get install busybox-static)" >&2; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod 0755 "$dir"
mkdir -p "$dir"/{bin,etc,tmp,root,proc,sys,dev}
chmod 1777 "$dir/tmp"
chmod 0700 "$dir/root"
cp "$busybox" "$dir/bin/busybox"
chmod 0755 "$dir/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$dir/bin/$applet"
done
cat >"$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$dir/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
chmod 0644 "$dir/etc/passwd" "$dir/etc/group"
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$dir" -cf "$out" .
