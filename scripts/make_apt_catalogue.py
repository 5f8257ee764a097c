#!/usr/bin/env python3
"""Generates planner/apt_catalogue_data.cpp: what `apt-get install PKG` adds to a Debian 12
(bookworm, amd64) image, for the packages Dockerfiles install most.

Source: the machine's apt lists (`apt-cache dumpavail`, Debian's Packages files for bookworm,
bookworm-updates and bookworm-security). For each package the catalogue keeps its
Installed-Size and the closure of its Depends and Pre-Depends (the first alternative of each
`a | b` group), without and with Recommends, minus what debian:bookworm-slim already has (the
Priority: required packages and their closure). The planner sums the Installed-Size (KiB, as
dpkg counts it) of the union of the closures of a RUN's packages. Run it again to refresh:

    python3 scripts/make_apt_catalogue.py > planner/apt_catalogue_data.cpp
"""
import re
import subprocess
import sys

COMMON = """
apache2 apt-transport-https autoconf automake bash bash-completion bc binutils bison bsdmainutils
build-essential bzip2 ca-certificates clang cmake cron curl default-jdk default-jre
default-jre-headless default-libmysqlclient-dev default-mysql-client dirmngr dnsutils dpkg-dev
file flex fontconfig g++ gcc gdb gettext gettext-base git git-lfs gnupg gnupg2 gosu gpg
gpg-agent graphviz htop imagemagick iproute2 iptables iputils-ping jq less libbz2-dev
libcurl4-openssl-dev libffi-dev libfreetype6-dev libgdbm-dev libgl1 libglib2.0-0 libjpeg-dev
liblzma-dev libmagic1 libncurses5-dev libncursesw5-dev libpng-dev libpq-dev libpq5
libreadline-dev libsqlite3-dev libssl-dev libtool libxml2 libxml2-dev libxslt1-dev libyaml-dev
libzip-dev locales lsb-release make mariadb-client nano netbase netcat-openbsd nginx nodejs
npm openjdk-17-jdk openjdk-17-jdk-headless openjdk-17-jre openjdk-17-jre-headless openssh-client
openssh-server openssl patch perl pkg-config postgresql-client procps python3 python3-dev
python3-pip python3-setuptools python3-venv python3-wheel rsync ruby ruby-dev software-properties-common
sqlite3 ssh sudo supervisor tar telnet tini tree tzdata unzip vim wget xz-utils zip zlib1g-dev zsh
""".split()


def packages():
    text = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True,
                          check=True).stdout
    out = {}
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.splitlines():
            if line.startswith(" ") and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        name = fields.get("Package")
        if not name or fields.get("Architecture") not in ("amd64", "all"):
            continue
        old = out.get(name)
        if old and old.get("Version", "") >= fields.get("Version", ""):
            continue  # keep one version (the lists hold the point release and updates)
        out[name] = fields
    return out


def groups(fields, keys):
    """The dependency groups of `keys`: each a list of alternative package names."""
    out = []
    for key in keys:
        for group in filter(None, (g.strip() for g in fields.get(key, "").split(","))):
            out.append([re.split(r"[\s(:]", alt.strip())[0] for alt in group.split("|")])
    return out


def resolve(db, name, provides):
    return name if name in db else provides.get(name, name)


def closure(db, roots, keys, have, provides, prefer):
    """Packages `roots` pull in besides `have`. A group already satisfied by something present
    adds nothing; otherwise its preferred alternative (one `prefer` holds, else the first) is
    taken, as apt does for a base that already has it."""
    seen, todo = set(), [[r] for r in roots]
    while todo:
        alts = [resolve(db, a, provides) for a in todo.pop()]
        if any(a in have or a in seen for a in alts):
            continue
        # Else the preferred one, then the one that pulls in least (usr-is-merged, which has no
        # dependencies, over usrmerge, which needs perl: what debootstrap's base has).
        candidates = [a for a in alts if a in db]
        if not candidates:
            continue
        pick = min(candidates, key=lambda a: (a not in prefer, len(groups(db[a], keys))))
        seen.add(pick)
        todo.extend(groups(db[pick], keys))
    return seen


def main():
    db = packages()
    required = {n for n, f in db.items() if f.get("Priority") == "required"}
    # Virtual packages: a required provider first (awk is mawk in a Debian base, not gawk).
    provides = {}
    for name, f in sorted(db.items(), key=lambda kv: (kv[0] not in required, kv[0])):
        for alts in groups(f, ["Provides"]):
            provides.setdefault(alts[0], name)
    strict, loose = ["Depends", "Pre-Depends"], ["Depends", "Pre-Depends", "Recommends"]
    # debian:bookworm-slim: the required packages and what they need, alternatives resolved to
    # what a base has (usr-is-merged, not usrmerge).
    base = closure(db, sorted(required), strict, set(), provides, required)
    rows, sizes = [], {}
    for name in sorted(set(COMMON)):
        if name not in db and name not in provides:
            continue
        without = closure(db, [name], strict, base, provides, base)
        with_rec = closure(db, [name], loose, base, provides, base)
        for n in with_rec:
            sizes[n] = int(db[n].get("Installed-Size", "0") or 0)
        rows.append((name, sorted(without), sorted(with_rec - without)))
    sys.stdout.write("// Generated by scripts/make_apt_catalogue.py from Debian 12 (bookworm, amd64)\n")
    sys.stdout.write("// package lists; see that script for what it holds. Do not edit.\n")
    sys.stdout.write('#include "planner/apt_catalogue.hpp"\n\n// clang-format off\nnamespace dockit::plan {\n\n')
    sys.stdout.write("// name installed_kib\nconst char* const kAptSizes =\n")
    for n in sorted(sizes):
        sys.stdout.write(f'    "{n} {sizes[n]}\\n"\n')
    sys.stdout.write("    ;\n\n// package: dependencies | recommends (the closures, minus the base image)\n")
    sys.stdout.write("const char* const kAptClosures =\n")
    for name, without, rec in rows:
        sys.stdout.write(f'    "{name}: {" ".join(without)} | {" ".join(rec)}\\n"\n')
    sys.stdout.write("    ;\n\n}  // namespace dockit::plan\n// clang-format on\n")

if __name__ == "__main__":
    main()
