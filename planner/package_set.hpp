// What a package manager's install adds to a layer, package by package: the type every catalogue
// (apt_catalogue, pip_catalogue, npm_catalogue, apk_catalogue) returns, so that the simulator can
// reproduce the planner's estimate of a RUN exactly by summing the same list.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dockit::plan {

struct PackageBytes {
  std::string name;     // as the catalogue names it: "curl", "python3-requests", "express"
  std::string version;  // "" when the catalogue does not record it (apt)
  uint64_t bytes = 0;   // the installed files
  // What the manager downloads for it and keeps in its cache unless told not to (pip: the
  // .deb's size as the proxy for the wheel); 0 when the catalogue has no figure.
  uint64_t download = 0;
};

struct PackageSet {
  std::vector<PackageBytes> packages;  // sorted by name then version, each once
  uint64_t Bytes() const {
    uint64_t total = 0;
    for (const PackageBytes& p : packages) total += p.bytes;
    return total;
  }
  uint64_t Downloads() const {
    uint64_t total = 0;
    for (const PackageBytes& p : packages) total += p.download;
    return total;
  }
};

}  // namespace dockit::plan
