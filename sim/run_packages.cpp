// The RUN model's package managers and downloads: apt-get (and apt) update/install/clean on
// Debian-family images, with Debian 12's catalogue for what install adds; apk, pip, npm,
// poetry, curl and wget recognised, with their "not found" and precondition errors, their
// installs opaque until a catalogue plugs into the seams of run_packages.hpp.
#include "sim/run_packages.hpp"

#include <algorithm>
#include <set>

#include "planner/apt_catalogue.hpp"
#include "planner/digest.hpp"
#include "sim/path.hpp"
#include "sim/run_internal.hpp"

namespace dockit::sim {

// ---- apt -------------------------------------------------------------------------------------

// What `apt-get update` writes on debian:bookworm (main, bookworm-updates, bookworm-security;
// Docker's Debian images keep the indexes lz4-compressed, /etc/apt/apt.conf.d/docker-gzip-
// indexes). ESTIMATES, not measured: the total (about 18 MB) is chosen inside the 18-20 MB a
// bookworm `apt-get update` is commonly reported to write; how it splits between the files is a
// guess (the main Packages index is most of it, and changes with every point release).
struct AptList {
  const char* name;
  uint64_t bytes;
};
constexpr AptList kBookwormLists[] = {
    {"deb.debian.org_debian_dists_bookworm_InRelease", 151'000},
    {"deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", 17'300'000},
    {"deb.debian.org_debian_dists_bookworm-updates_InRelease", 55'000},
    {"deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.lz4", 13'000},
    {"deb.debian.org_debian-security_dists_bookworm-security_InRelease", 48'000},
    {"deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4",
     470'000},
};
// Any other Debian or Ubuntu release: one figure for its main index, an unverified ESTIMATE of
// the same order (Ubuntu's lists, with universe, are larger).
constexpr uint64_t kOtherReleaseListBytes = 18'000'000;
constexpr uint64_t kUbuntuListBytes = 30'000'000;

std::vector<PackageFile> AptListFiles(const std::string& id, const std::string& codename) {
  std::vector<PackageFile> out;
  auto add = [&](std::string name, uint64_t bytes) {
    out.push_back({"/var/lib/apt/lists/" + name,
                   FileContent::Synthetic("apt-get update " + codename + " " + name, bytes), 0644,
                   ""});
  };
  if (id == "debian" && codename == "bookworm") {
    for (const AptList& l : kBookwormLists) add(l.name, l.bytes);
  } else if (id == "ubuntu") {
    add("archive.ubuntu.com_ubuntu_dists_" + codename + "_InRelease", 270'000);
    add("archive.ubuntu.com_ubuntu_dists_" + codename + "_main_binary-amd64_Packages.lz4",
        kUbuntuListBytes - 270'000);
  } else {
    add("deb.debian.org_debian_dists_" + codename + "_InRelease", 150'000);
    add("deb.debian.org_debian_dists_" + codename + "_main_binary-amd64_Packages.lz4",
        kOtherReleaseListBytes - 150'000);
  }
  return out;
}

std::optional<PackageInstall> AptInstallFiles(const std::vector<std::string>& packages,
                                              bool with_recommends,
                                              const std::vector<std::string>& installed) {
  std::vector<std::string> all = installed;
  all.insert(all.end(), packages.begin(), packages.end());
  std::optional<plan::AptEstimate> total = plan::AptInstallSize(all, with_recommends);
  if (!total) return std::nullopt;
  plan::AptEstimate before;
  if (!installed.empty()) {
    std::optional<plan::AptEstimate> b = plan::AptInstallSize(installed, with_recommends);
    if (b) before = *b;
  }
  uint64_t bytes = total->bytes > before.bytes ? total->bytes - before.bytes : 0;
  PackageInstall out;
  out.packages = total->packages - std::min(total->packages, before.packages);
  if (bytes == 0) return out;
  std::string first = packages.empty() ? "none" : packages[0].substr(0, packages[0].find('='));
  std::string joined;
  for (const std::string& p : packages) joined += p + " ";
  std::string payload =
      std::string(kAptPayloadDir) + "/" + first + "-" + plan::Sha256Of(joined).substr(7, 12);
  uint64_t lists = 0;
  std::vector<PackageFile> list_files;
  std::set<std::string> listed;
  for (const std::string& p : packages) {
    std::string name = p.substr(0, p.find('='));
    if (!listed.insert(name).second) continue;  // named twice, one .list
    std::string text = payload + "\n";
    lists += text.size();
    list_files.push_back(
        {"/var/lib/dpkg/info/" + name + ".list", FileContent::Bytes(text), 0644, text});
  }
  if (lists >= bytes) list_files.clear(), lists = 0;  // too small to carry its own lists
  out.files.push_back(
      {payload, FileContent::Synthetic("apt-get install " + joined, bytes - lists), 0644, ""});
  for (PackageFile& f : list_files) out.files.push_back(std::move(f));
  return out;
}

std::optional<PackageInstall> ApkAddFiles(const std::vector<std::string>&, const Tree&) {
  return std::nullopt;
}
std::optional<PackageInstall> PoetryInstallFiles(const std::vector<std::string>&, const Tree&,
                                                 const std::string&) {
  return std::nullopt;
}

namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& args) {
  return std::vector<std::string_view>(args.begin(), args.end());
}

// One file a package of an npm or yarn install.
PackageInstall NodeModules(const plan::PackageSet& set, const std::string& dir) {
  PackageInstall out;
  for (const plan::PackageBytes& p : set.packages) {
    out.files.push_back({JoinPath(dir, "node_modules/" + p.name + "/.dockit-package@" + p.version),
                         FileContent::Synthetic("npm " + p.name + "@" + p.version, p.bytes), 0644,
                         ""});
  }
  out.packages = set.packages.size();
  return out;
}

}  // namespace

std::optional<PackageInstall> PipInstallFiles(const std::vector<std::string>& args,
                                              const plan::RunSizeContext& context,
                                              const std::string& cwd, const std::string& home) {
  std::optional<plan::ManagerCommand> command = plan::PipCommand(Views(args), context, cwd);
  if (!command || command->cache_removed) return std::nullopt;
  PackageInstall out;
  std::string site =
      command->user ? JoinPath(home.empty() ? "/root" : home, ".local/lib/python3/site-packages")
                    : std::string(kPipSitePackages);
  for (const plan::PackageBytes& p : command->set.packages) {
    out.files.push_back({JoinPath(site, p.name + "-" + p.version + ".dockit"),
                         FileContent::Synthetic("pip " + p.name + " " + p.version, p.bytes), 0644,
                         ""});
    if (command->cached && p.download > 0) {
      out.files.push_back(
          {std::string(kPipCacheDir) + "/wheels/" + p.name + "-" + p.version + ".dockit-wheel",
           FileContent::Synthetic("pip wheel " + p.name + " " + p.version, p.download), 0644, ""});
    }
  }
  out.packages = command->set.packages.size();
  return out;
}

std::optional<PackageInstall> NpmInstallFiles(const std::vector<std::string>& args,
                                              const plan::RunSizeContext& context,
                                              const std::string& cwd) {
  std::optional<plan::ManagerCommand> command = plan::NpmCommand(Views(args), context, cwd);
  if (!command || command->cache_removed) return std::nullopt;
  return NodeModules(command->set, command->global ? "/usr/local/lib" : cwd);
}

std::optional<PackageInstall> YarnInstallFiles(const std::vector<std::string>& args,
                                               const plan::RunSizeContext& context,
                                               const std::string& cwd) {
  std::optional<plan::ManagerCommand> command = plan::YarnCommand(Views(args), context, cwd);
  if (!command || command->cache_removed) return std::nullopt;
  return NodeModules(command->set, cwd);
}

std::optional<PackageInstall> DownloadFiles(const std::string& url, const std::string& dest,
                                            const plan::DeclaredSizes* declared) {
  if (declared == nullptr) return std::nullopt;
  std::optional<uint64_t> size = declared->Url(url);
  if (!size) return std::nullopt;
  PackageInstall out;
  if (!dest.empty()) {
    out.files.push_back({dest, FileContent::Synthetic("download " + url, *size), 0644, ""});
  }
  return out;
}

namespace run {
namespace {

// ID and VERSION_CODENAME from /etc/os-release.
std::pair<std::string, std::string> OsRelease(const Shell& s) {
  Result<std::string> text = s.ReadText("/etc/os-release");
  std::string id;
  std::string codename;
  if (!text) return {id, codename};
  size_t start = 0;
  const std::string& t = *text;
  while (start < t.size()) {
    size_t eol = t.find('\n', start);
    if (eol == std::string::npos) eol = t.size();
    std::string line = t.substr(start, eol - start);
    auto value = [&](std::string_view key) -> std::optional<std::string> {
      if (!line.starts_with(key)) return std::nullopt;
      std::string v = line.substr(key.size());
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    };
    if (auto v = value("ID=")) id = *v;
    if (auto v = value("VERSION_CODENAME=")) codename = *v;
    start = eol + 1;
  }
  return {id, codename};
}

bool HasLists(const Shell& s) {
  Result<std::vector<std::string>> names = s.View().ReadDir("/var/lib/apt/lists");
  if (!names) return false;
  return std::any_of(names->begin(), names->end(),
                     [](const std::string& n) { return n.find("_Packages") != std::string::npos; });
}

// Packages an earlier install of the model put in: their .list names the payload directory.
std::vector<std::string> ModelInstalled(const Shell& s) {
  std::vector<std::string> out;
  Result<std::vector<std::string>> names = s.View().ReadDir("/var/lib/dpkg/info");
  if (!names) return out;
  for (const std::string& n : *names) {
    if (!n.ends_with(".list")) continue;
    Result<std::string> text = s.ReadText("/var/lib/dpkg/info/" + n);
    if (text && text->starts_with(kAptPayloadDir)) out.push_back(n.substr(0, n.size() - 5));
  }
  return out;
}

bool UnderMount(const Shell& s, const std::string& path) {
  for (const std::string& m : s.ctx.cache_mounts) {
    std::string root = m.size() > 1 && m.ends_with('/') ? m.substr(0, m.size() - 1) : m;
    if (path == root || path.starts_with(root + "/") || root == "/") return true;
  }
  return false;
}

// What the planner's PipCommand, NpmCommand and YarnCommand see: the shell's environment, the
// RUN's cache mounts and the image's text files.
plan::RunSizeContext SizeContext(const Shell& s) {
  plan::RunSizeContext c;
  c.workdir = s.cwd;
  c.env = s.Environment();
  c.cache_mounts = s.ctx.cache_mounts;
  c.declared = s.ctx.declared;
  c.read_file = [&s](const std::string& path) -> std::optional<std::string> {
    Result<std::string> text = s.ReadText(path);
    if (!text) return std::nullopt;
    return *text;
  };
  return c;
}

void WriteFiles(Shell& s, const std::vector<PackageFile>& files) {
  for (const PackageFile& f : files) {
    if (UnderMount(s, f.path)) continue;  // on a cache mount: not in the layer
    (void)s.Layer().Mkdir(ParentOf(f.path), true, 0755, Owner{});
    FileContent content = f.text.empty() ? f.content : s.ctx.texts->Put(f.text);
    (void)s.Layer().WriteFile(f.path, content, f.mode, Owner{});
  }
}

int AptGet(Shell& s, const Args& argv, Io& io) {
  // Another family's package manager never comes with a package install.
  if (!s.InFiles(argv[0])) return s.NotFound(argv[0], io);
  if (s.ctx.base_unknown) {
    // A stand-in's release and package lists are not the image's.
    s.Opaque("the base image is a stand-in: its release and packages are not known");
    s.Installed();
    return 0;
  }
  std::string_view tool = Basename(argv[0]);
  std::vector<std::string> operands;
  bool yes = false;
  bool recommends = true;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-o" || a == "-c" || a == "-t" || a == "--target-release" || a == "--option") {
      ++i;
      continue;
    }
    if (a == "--no-install-recommends") {
      recommends = false;
    } else if (a == "--install-recommends") {
      recommends = true;
    } else if (a == "--yes" || a == "--assume-yes" || a.starts_with("--yes=")) {
      yes = true;
    } else if (a.starts_with("--")) {
    } else if (a.starts_with('-') && a.size() > 1) {
      if (a.find('y') != std::string::npos) yes = true;
    } else {
      operands.push_back(a);
    }
  }
  if (tool == "apt") {
    io.err +=
        "\nWARNING: apt does not have a stable CLI interface. Use with caution in "
        "scripts.\n\n";
  }
  if (operands.empty()) {
    io.err += "E: No operation specified\n";  // apt-get prints its usage, then exits 100
    return 100;
  }
  const std::string& sub = operands[0];
  std::vector<std::string> packages(operands.begin() + 1, operands.end());
  auto [id, codename] = OsRelease(s);
  if (sub == "update") {
    if (!s.Root()) {
      io.err +=
          "Reading package lists...\nE: Could not open lock file /var/lib/apt/lists/lock - "
          "open (13: Permission denied)\nE: Unable to lock directory "
          "/var/lib/apt/lists/\n";
      return 100;
    }
    std::vector<PackageFile> lists = AptListFiles(id, codename);
    (void)s.Layer().Mkdir("/var/lib/apt/lists/partial", true, 0700, Owner{});
    (void)s.Layer().Mkdir("/var/lib/apt/lists/auxfiles", true, 0755, Owner{});
    (void)s.Layer().WriteFile("/var/lib/apt/lists/lock", FileContent::Bytes(""), 0640, Owner{});
    WriteFiles(s, lists);
    io.out += "Reading package lists...\n";
    s.Note("apt-get update: the package lists' sizes are estimates (sim/run_packages.cpp)");
    return 0;
  }
  if (sub == "clean" || sub == "autoclean") {
    if (!s.Root()) {
      io.err +=
          "E: Could not open lock file /var/cache/apt/archives/lock - open (13: "
          "Permission denied)\n";
      return 100;
    }
    for (const char* dir : {"/var/cache/apt/archives", "/var/cache/apt/archives/partial"}) {
      Result<std::vector<std::string>> names = s.View().ReadDir(dir);
      if (!names) continue;
      for (const std::string& n : *names) {
        if (n.ends_with(".deb")) (void)s.Layer().Remove(JoinPath(dir, n));
      }
    }
    for (const char* bin : {"/var/cache/apt/pkgcache.bin", "/var/cache/apt/srcpkgcache.bin"}) {
      if (s.View().Lstat(bin).Ok()) (void)s.Layer().Remove(bin);
    }
    return 0;
  }
  if (sub != "install") {
    s.Opaque("apt-get " + sub + " is not modelled");
    return 0;
  }
  if (!s.Root()) {
    io.err +=
        "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission "
        "denied)\nE: Unable to acquire the dpkg frontend lock "
        "(/var/lib/dpkg/lock-frontend), are you root?\n";
    return 100;
  }
  io.out += "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";
  if (packages.empty()) {
    io.out += "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n";
    return 0;
  }
  if (!HasLists(s) && s.UnknownBefore()) {
    // A command the model does not know (an `apt-get update` inside `if`) may have fetched them.
    s.Opaque("no package lists in the model, but a command it does not know may have fetched them");
    s.Installed();
    return 0;
  }
  if (!HasLists(s)) {
    // Docker's Debian and Ubuntu images ship without package lists.
    for (const std::string& p : packages) {
      io.err += "E: Unable to locate package " + p.substr(0, p.find('=')) + "\n";
      return 100;
    }
  }
  if (id != "debian" || codename != "bookworm") {
    s.Opaque("apt-get install has a catalogue for Debian 12 only");
    s.Installed();
    return 0;
  }
  for (const std::string& p : packages) {
    if (p.find_first_of("*?[") != std::string::npos || p.ends_with('-') ||
        p.find('/') != std::string::npos) {
      s.Opaque("apt-get install with patterns, removals or releases is not modelled");
      return 0;
    }
  }
  std::vector<std::string> installed = ModelInstalled(s);
  std::vector<std::string> fresh;
  std::set<std::string> seen;
  for (const std::string& p : packages) {
    std::string name = p.substr(0, p.find('='));
    if (std::find(installed.begin(), installed.end(), name) == installed.end() &&
        seen.insert(name).second) {
      fresh.push_back(p);
    }
  }
  std::optional<PackageInstall> install = AptInstallFiles(fresh, recommends, installed);
  if (!install) {
    s.Opaque("a package not in the Debian 12 catalogue (planner/apt_catalogue.hpp)");
    s.Installed();
    return 0;
  }
  if (!yes && install->packages > fresh.size()) {
    // Extra packages need a confirmation that a build cannot give.
    io.out +=
        "The following NEW packages will be installed:\n ...\nDo you want to continue? "
        "[Y/n] Abort.\n";
    return 1;
  }
  WriteFiles(s, install->files);
  s.Installed();
  io.out += std::to_string(install->packages) + " newly installed.\n";
  s.Note(
      "apt-get install: the catalogue's installed size, as one payload file per install "
      "under " +
      std::string(kAptPayloadDir) + " (sim/README.md)");
  return 0;
}

int Apk(Shell& s, const Args& argv, Io& io) {
  if (!s.InFiles(argv[0])) return s.NotFound(argv[0], io);
  std::vector<std::string> operands;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-t" || a == "--virtual" || a == "-X" || a == "--repository" || a == "-p" ||
        a == "--root") {
      ++i;
    } else if (!a.starts_with('-')) {
      operands.push_back(a);
    }
  }
  if (operands.empty()) {
    io.err += "apk-tools: usage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n";
    return 1;
  }
  const std::string& sub = operands[0];
  bool writes = sub == "add" || sub == "del" || sub == "update" || sub == "upgrade";
  if (writes && !s.Root()) {
    io.err +=
        "ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk "
        "database: Permission denied\n";
    return 99;
  }
  if (sub == "add") {
    s.Installed();
    std::vector<std::string> packages(operands.begin() + 1, operands.end());
    if (std::optional<PackageInstall> install = ApkAddFiles(packages, s.View())) {
      WriteFiles(s, install->files);
      return 0;
    }
  }
  s.Opaque("apk has no catalogue yet");
  return 0;
}

bool IsPip(std::string_view name) {
  if (name == "pip" || name == "pip3") return true;
  // pip3.11
  return name.starts_with("pip3.") && name.size() > 5 &&
         name.find_first_not_of("0123456789", 5) == std::string_view::npos;
}

// `pip ARGS` (or `python3 -m pip ARGS`): `args` are the words after pip.
int PipWith(Shell& s, const std::vector<std::string>& args, Io& io) {
  size_t sub = 0;
  while (sub < args.size() && args[sub].starts_with('-')) ++sub;
  if (sub + 1 < args.size() && args[sub] == "cache" && args[sub + 1] == "purge") {
    if (s.View().Lstat(kPipCacheDir).Ok()) (void)s.Layer().Remove(kPipCacheDir, true);
    io.out += "Files removed: 0\n";
    return 0;
  }
  if (sub < args.size() && args[sub] == "install") {
    // `pip install -r f` needs f.
    for (size_t i = sub + 1; i + 1 < args.size(); ++i) {
      if (args[i] == "-r" || args[i] == "--requirement") {
        if (!s.View().Stat(s.Abs(args[i + 1])).Ok()) {
          if (s.UnknownBefore()) {
            s.Installed();
            s.Opaque(args[i + 1] +
                     " is missing; a command the model does not know may have made it");
            return 0;
          }
          io.err +=
              "ERROR: Could not open requirements file: [Errno 2] No such file or "
              "directory: '" +
              args[i + 1] + "'\n";
          return 1;
        }
      }
    }
    s.Installed();
    std::string home = s.Var("HOME").value_or("/root");
    if (std::optional<PackageInstall> install =
            PipInstallFiles(args, SizeContext(s), s.cwd, home)) {
      WriteFiles(s, install->files);
      s.Note("pip install: the catalogue's estimate, one file a package under " +
             std::string(kPipSitePackages) + " (sim/README.md)");
      return 0;
    }
  }
  s.Opaque("pip: not sized by the catalogue (planner/run_size.hpp)");
  return 0;
}

int Pip(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  return PipWith(s, std::vector<std::string>(argv.begin() + 1, argv.end()), io);
}

// python, python3, python3.11: `-m pip` is pip; anything else is opaque.
int Python(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  if (argv.size() > 2 && argv[1] == "-m" && argv[2] == "pip") {
    return PipWith(s, std::vector<std::string>(argv.begin() + 3, argv.end()), io);
  }
  s.Opaque(s.InFiles(argv[0]) ? ""
                              : "not in the image's files, but a package installed earlier may "
                                "have brought it (its files are not known)");
  return 0;
}

bool IsPython(std::string_view name) {
  if (name == "python" || name == "python3") return true;
  return name.starts_with("python3.") && name.size() > 8 &&
         name.find_first_not_of("0123456789", 8) == std::string_view::npos;
}

int Npm(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  std::string sub = args.empty() ? "" : args[0];
  if (sub == "cache" && args.size() == 3 && args[1] == "clean" &&
      (args[2] == "--force" || args[2] == "-f")) {
    return 0;  // the model writes no npm cache
  }
  if (sub == "ci" || sub == "install" || sub == "i" || sub == "add") {
    bool lock = s.View().Stat(JoinPath(s.cwd, "package-lock.json")).Ok() ||
                s.View().Stat(JoinPath(s.cwd, "npm-shrinkwrap.json")).Ok();
    if (sub == "ci" && !lock && s.UnknownBefore()) {
      s.Installed();
      s.Opaque("package-lock.json is missing; a command the model does not know may have made it");
      return 0;
    }
    if (sub == "ci" && !lock) {
      io.err +=
          "npm ERR! code EUSAGE\nnpm ERR! \nnpm ERR! The `npm ci` command can only "
          "install with an existing package-lock.json or\nnpm ERR! npm-shrinkwrap.json "
          "with lockfileVersion >= 1. Run an install with npm@5 or\nnpm ERR! later to "
          "generate a package-lock.json file, then try again.\n";
      return 1;
    }
    s.Installed();
    if (std::optional<PackageInstall> install = NpmInstallFiles(args, SizeContext(s), s.cwd)) {
      WriteFiles(s, install->files);
      s.Note("npm: the catalogue's sizes, one file a package under node_modules (sim/README.md)");
      return 0;
    }
  }
  s.Opaque("npm: not sized by the catalogue (planner/run_size.hpp)");
  return 0;
}

int Yarn(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  if (args.size() == 2 && args[0] == "cache" && args[1] == "clean") {
    return 0;  // the model writes no yarn cache
  }
  if (args.empty() || args[0] == "install" || args[0].starts_with('-')) {
    s.Installed();
    if (std::optional<PackageInstall> install = YarnInstallFiles(args, SizeContext(s), s.cwd)) {
      WriteFiles(s, install->files);
      s.Note("yarn: the catalogue's sizes, one file a package under node_modules (sim/README.md)");
      return 0;
    }
  }
  s.Opaque("yarn: not sized by the catalogue (planner/run_size.hpp)");
  return 0;
}

int Poetry(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  std::string sub = args.empty() ? "" : args[0];
  if (sub == "install") {
    // Poetry looks for pyproject.toml in the current directory and its parents.
    bool found = false;
    for (std::string dir = s.cwd;; dir = ParentOf(dir)) {
      if (s.View().Stat(JoinPath(dir, "pyproject.toml")).Ok()) found = true;
      if (found || dir == "/") break;
    }
    if (!found) {
      io.err += "\nPoetry could not find a pyproject.toml file in " + s.cwd + " or its parents\n";
      return 1;
    }
    s.Installed();
    if (std::optional<PackageInstall> install = PoetryInstallFiles(args, s.View(), s.cwd)) {
      WriteFiles(s, install->files);
      return 0;
    }
  }
  s.Opaque("poetry has no catalogue yet");
  return 0;
}

int Download(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  std::string url;
  std::string dest;
  bool wget = Basename(argv[0]) == "wget";
  bool remote_name = false;  // curl -O
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if ((a == "-o" && !wget) || (a == "-O" && wget) || a == "--output" ||
        a == "--output-document") {
      if (i + 1 < argv.size()) dest = argv[++i];
    } else if (a.starts_with("--output=") || a.starts_with("--output-document=")) {
      dest = a.substr(a.find('=') + 1);
    } else if (!wget && a == "--remote-name") {
      remote_name = true;
    } else if (a.starts_with('-') && !a.starts_with("--") && a.size() > 1) {
      // A cluster: wget's -O and curl's -o take a value (the rest, or the next word); curl's
      // -O names the file after the URL.
      const char value_flag = wget ? 'O' : 'o';
      for (size_t k = 1; k < a.size(); ++k) {
        if (a[k] == value_flag) {
          dest = k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < argv.size() ? argv[++i] : "");
          break;
        }
        if (!wget && a[k] == 'O') remote_name = true;
      }
    } else if (a.find("://") != std::string::npos) {
      url = a;
    }
  }
  // Where the file lands: -o/-O FILE, curl -O or wget without -O: the URL's last component.
  std::string last = url.substr(url.find_last_of('/') + 1);
  last = last.substr(0, last.find_first_of("?#"));
  if (dest.empty() && (remote_name || wget) && !last.empty()) dest = last;
  std::string target = dest.empty() || dest == "-" ? "" : s.Abs(dest);
  if (std::optional<PackageInstall> files = DownloadFiles(url, target, s.ctx.declared)) {
    for (const PackageFile& f : files->files) s.Prepare(f.path);
    WriteFiles(s, files->files);
    s.Note(url + ": the declared size");
    return 0;
  }
  s.Opaque("downloads have no catalogue yet: the file's size and content are not known");
  if (!dest.empty() && dest != "-" && !url.empty()) {
    // The file exists afterwards, its bytes are unknown: an empty stand-in keeps the commands
    // that use it (tar -xf, mv, rm) from failing where the real build would not.
    s.Prepare(dest);
    Status w = s.Layer().WriteFile(s.Abs(dest), FileContent::Synthetic("download " + url, 0),
                                   kFileMode, s.owner);
    if (w) {
      s.Note(s.Abs(dest) + ": downloaded from " + url + "; its size is not known (0 in the layer)");
    } else if ((w.Error().code == "ENOENT" || w.Error().code == "ENOTDIR") && s.UnknownBefore()) {
      s.Note(s.Abs(dest) +
             ": its folder is missing, and may have been made by a command the model does not "
             "know; the download is left out of the layer");
    } else {
      io.err += std::string(wget ? "wget" : "curl") + ": " + dest + ": " +
                std::string(ErrnoText(w.Error())) + "\n";
      return wget ? 1 : 23;
    }
  }
  return 0;
}

}  // namespace

CommandFn PackageCommand(std::string_view name) {
  if (name == "apt-get" || name == "apt") return AptGet;
  if (name == "apk") return Apk;
  if (IsPip(name)) return Pip;
  if (IsPython(name)) return Python;
  if (name == "yarn") return Yarn;
  if (name == "npm") return Npm;
  if (name == "poetry") return Poetry;
  if (name == "curl" || name == "wget") return Download;
  return nullptr;
}

}  // namespace run
}  // namespace dockit::sim
