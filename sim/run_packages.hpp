// What the RUN model's package managers and downloads add to a layer. One function per manager
// is the seam where a catalogue plugs in: each gives the files an install adds, or nullopt when
// nothing is known about it (the command is then opaque: it runs, with no filesystem effect, and
// is listed in RunOutcome::opaque). Today only apt-get on Debian 12 has a catalogue
// (planner/apt_catalogue.hpp); apk, pip, npm, poetry and curl/wget return nullopt until their
// catalogues land.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/tree.hpp"
#include "sim/working_layer.hpp"

namespace dockit::sim {

struct PackageFile {
  std::string path;
  FileContent content;
  uint32_t mode = 0644;
  std::string text;  // the content as text when the file is text (dpkg's .list files)
};

struct PackageInstall {
  std::vector<PackageFile> files;
  size_t packages = 0;  // the packages installed, dependencies included
};

// Where the apt model puts an install's bytes: one synthetic file per `apt-get install`, named
// after its first package, plus /var/lib/dpkg/info/<package>.list (listing that file) for each
// named package. The payload is the catalogue's size minus those .list files, so the layer adds
// up to the catalogue's figure exactly, as planner/run_size.cpp's AptRunSize predicts it.
inline constexpr const char* kAptPayloadDir = "/usr/lib/.dockit-apt";

// The files `apt-get install` adds on Debian 12 for `packages` when `installed` (packages an
// earlier install put there) are present: the catalogue's closure of both minus that of
// `installed`. nullopt when a package is not in the catalogue. When a per-package catalogue
// exists, this is the function to change: return each package's files instead of one payload.
std::optional<PackageInstall> AptInstallFiles(const std::vector<std::string>& packages,
                                              bool with_recommends,
                                              const std::vector<std::string>& installed);

// What `apt-get update` writes to /var/lib/apt/lists for a Debian or Ubuntu release.
std::vector<PackageFile> AptListFiles(const std::string& id, const std::string& codename);

// Seams without a catalogue yet: nullopt (opaque).
std::optional<PackageInstall> ApkAddFiles(const std::vector<std::string>& packages,
                                          const Tree& view);
std::optional<PackageInstall> PipInstallFiles(const std::vector<std::string>& args,
                                              const Tree& view);
std::optional<PackageInstall> NpmInstallFiles(const std::vector<std::string>& args,
                                              const Tree& view, const std::string& cwd);
std::optional<PackageInstall> PoetryInstallFiles(const std::vector<std::string>& args,
                                                 const Tree& view, const std::string& cwd);
std::optional<PackageInstall> DownloadFiles(const std::string& url, const std::string& dest);

}  // namespace dockit::sim
