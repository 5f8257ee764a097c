// What the RUN model's package managers and downloads add to a layer. One function per manager
// is the seam where a catalogue plugs in: each gives the files an install adds, or nullopt when
// nothing is known about it (the command is then opaque: it runs, with no filesystem effect, and
// is listed in RunOutcome::opaque). apt-get on Debian 12 (planner/apt_catalogue.hpp), pip, npm
// and yarn 1 (planner/pip_catalogue.hpp, planner/npm_catalogue.hpp, through the planner's own
// reading of the command) and downloads of declared URLs have one; apk and poetry return
// nullopt until their catalogues land.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/declared_sizes.hpp"
#include "planner/run_size.hpp"
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

// Where the pip, npm and yarn models put the packages of an install, one synthetic file a
// package with the catalogue's bytes (planner/pip_catalogue.hpp, planner/npm_catalogue.hpp):
//   pip:   /usr/local/lib/python3/site-packages/<package>-<version>.dockit (--user: under
//          $HOME/.local/lib/python3/site-packages), and when pip keeps its cache
//          /root/.cache/pip/wheels/<package>-<version>.dockit-wheel with PackageBytes::download;
//   npm, yarn: <dir>/node_modules/<name>/.dockit-package@<version> (dir: the current directory,
//          /usr/local/lib for npm -g); npm's and yarn's caches are not written.
// The packages are those planner/run_size.cpp's PipCommand, NpmCommand and YarnCommand give
// for the same words, so a RUN's layer adds up to PackageRunSize's figure.
inline constexpr const char* kPipSitePackages = "/usr/local/lib/python3/site-packages";
inline constexpr const char* kPipCacheDir = "/root/.cache/pip";
inline constexpr const char* kDeclaredDir = "/var/lib/dockit/declared";

// Seams without a catalogue yet: nullopt (opaque).
std::optional<PackageInstall> ApkAddFiles(const std::vector<std::string>& packages,
                                          const Tree& view);
std::optional<PackageInstall> PoetryInstallFiles(const std::vector<std::string>& args,
                                                 const Tree& view, const std::string& cwd);

// The files of `pip install ...` (`args`: the words after pip) for the planner's `context`
// (environment, cache mounts, files read from the image); nullopt when PipCommand does not size
// it. `home` is the user's HOME (pip --user).
std::optional<PackageInstall> PipInstallFiles(const std::vector<std::string>& args,
                                              const plan::RunSizeContext& context,
                                              const std::string& cwd, const std::string& home);
// `npm install|ci ...` and yarn 1's `yarn [install]` (`args`: the words after the name).
std::optional<PackageInstall> NpmInstallFiles(const std::vector<std::string>& args,
                                              const plan::RunSizeContext& context,
                                              const std::string& cwd);
std::optional<PackageInstall> YarnInstallFiles(const std::vector<std::string>& args,
                                               const plan::RunSizeContext& context,
                                               const std::string& cwd);
// A download of `url` to the absolute path `dest` ("" for stdout): one file of the URL's
// declared size; nullopt when the URL has no declared size.
std::optional<PackageInstall> DownloadFiles(const std::string& url, const std::string& dest,
                                            const plan::DeclaredSizes* declared);

}  // namespace dockit::sim
