// `apk add` on Alpine bases: no estimate. No Alpine mirror (APKINDEX) is reachable where dockit
// is built, and no proxy is honest enough: Debian's package of the same upstream project is
// built against glibc instead of musl, splits files differently (-doc, -dev, -libs, -openrc
// subpackages) and starts from a base with a different set of libraries, so its closure over- or
// under-states an Alpine install by unknown amounts. The parsing is here so that the reason can
// say why, and so that a catalogue generated from an APKINDEX (`P:` name, `V:` version, `I:`
// installed size, `S:` package size, `D:` dependencies) can be dropped in later: ApkAdd then
// returns the closure as the other catalogues do.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/shell.hpp"
#include "planner/package_set.hpp"

namespace dockit::plan {

// One `apk add` command's parts.
struct ApkAddCommand {
  std::vector<std::string> packages;
  bool no_cache = false;     // --no-cache: no index in /var/cache/apk left behind
  bool update = false;       // --update / -U
  std::string virtual_name;  // --virtual / -t NAME
};

// The parts of an `apk add` command; nullopt when it is not one or a word is not static.
std::optional<ApkAddCommand> ParseApkAdd(const CommandView& view);

// What `apk add PKG...` adds: always nullopt today (no Alpine package data; see above).
std::optional<PackageSet> ApkAdd(const std::vector<std::string>& packages);

// alpine, alpine:3.20, docker.io/library/alpine@sha256:...
bool IsAlpine(std::string_view image);

}  // namespace dockit::plan
