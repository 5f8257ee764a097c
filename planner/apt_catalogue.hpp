// What `apt-get install` adds to a Debian 12 (bookworm) image, from a catalogue generated out of
// Debian's package lists by scripts/make_apt_catalogue.py (see there for what it holds): each
// package's Installed-Size and the closure of its dependencies (and recommends) that
// debian:bookworm-slim does not already have. Estimates: Installed-Size leaves out dpkg's database,
// debconf's templates and logs (1.4-2.6 MB a layer) and the byte-code Python packages compile
// after installing; checked against real layers in tests/README.md (0.74-1.01 of the real size).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/package_set.hpp"

namespace dockit::plan {

struct AptEstimate {
  uint64_t bytes = 0;
  size_t packages = 0;  // the named ones and what they pull in
};

// The union of the closures of `packages` on debian:bookworm, package by package (bytes: the
// Installed-Size in KiB times 1024; version: not recorded); nullopt when one of them is not in
// the catalogue. AptInstallSize is its total.
std::optional<PackageSet> AptInstall(const std::vector<std::string>& packages,
                                     bool with_recommends);

// The union of the closures of `packages` (names, `name=version` allowed) on debian:bookworm;
// nullopt when one of them is not in the catalogue.
std::optional<AptEstimate> AptInstallSize(const std::vector<std::string>& packages,
                                          bool with_recommends);

// Whether an image reference is the base the catalogue describes (debian:12, debian:bookworm,
// their -slim variants, with or without a digest or the docker.io/library prefix).
bool IsDebianBookworm(std::string_view image);

// The generated data (apt_catalogue_data.cpp).
extern const char* const kAptSizes;
extern const char* const kAptClosures;

}  // namespace dockit::plan
