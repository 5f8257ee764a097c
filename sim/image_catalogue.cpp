#include "sim/image_catalogue.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "parser/suggest.hpp"
#include "sim/path.hpp"
#include "sim/working_layer.hpp"

namespace dockit::sim {
namespace {

using Kind = plan::FileChange::Kind;

// One entry of a layer: a file with real text, a file of a given size whose content the
// catalogue does not hold, a directory or a symlink.
struct Entry {
  enum class Type { kText, kSized, kDir, kLink } type = Type::kText;
  std::string path;
  std::string text;  // kText: the content; kLink: the target
  uint64_t size = 0;
  uint32_t mode = 0644;
  uint32_t uid = 0;
  uint32_t gid = 0;
};

Entry Text(std::string path, std::string text, uint32_t mode = 0644) {
  return {Entry::Type::kText, std::move(path), std::move(text), 0, mode};
}
Entry Sized(std::string path, uint64_t size, uint32_t mode = 0644) {
  return {Entry::Type::kSized, std::move(path), "", size, mode};
}
Entry Exe(std::string path, uint64_t size) { return Sized(std::move(path), size, 0755); }
Entry Dir(std::string path, uint32_t mode = 0755, uint32_t uid = 0, uint32_t gid = 0) {
  return {Entry::Type::kDir, std::move(path), "", 0, mode, uid, gid};
}
Entry Link(std::string path, std::string target) {
  return {Entry::Type::kLink, std::move(path), std::move(target), 0, 0777};
}

constexpr uint64_t kExact = 0;  // a layer whose size is its entries' (no filler)

struct LayerSpec {
  std::string created_by;
  uint64_t size = kExact;  // as `docker history` shows it, in bytes
  std::vector<Entry> entries;
};

struct ImageSpec {
  std::string name;
  std::vector<std::string> aliases;
  std::string base;  // a catalogue name whose layers come first, or ""
  std::vector<LayerSpec> layers;
  plan::ImageConfig config;
};

const char* const kPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// ---- /etc/passwd and /etc/group ------------------------------------------------------------

// The users Debian's base-passwd gives every Debian and Ubuntu image, up to `list`; the images
// differ after it. A macro so the files stay compile-time string literals.
#define DEBIAN_FAMILY_SYSTEM_USERS                         \
  "root:x:0:0:root:/root:/bin/bash\n"                      \
  "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"      \
  "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"                 \
  "sys:x:3:3:sys:/dev:/usr/sbin/nologin\n"                 \
  "sync:x:4:65534:sync:/bin:/bin/sync\n"                   \
  "games:x:5:60:games:/usr/games:/usr/sbin/nologin\n"      \
  "man:x:6:12:man:/var/cache/man:/usr/sbin/nologin\n"      \
  "lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin\n"         \
  "mail:x:8:8:mail:/var/mail:/usr/sbin/nologin\n"          \
  "news:x:9:9:news:/var/spool/news:/usr/sbin/nologin\n"    \
  "uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin\n"  \
  "proxy:x:13:13:proxy:/bin:/usr/sbin/nologin\n"           \
  "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n" \
  "backup:x:34:34:backup:/var/backups:/usr/sbin/nologin\n" \
  "list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin\n"

const char* const kDebianPasswd = DEBIAN_FAMILY_SYSTEM_USERS
    "irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin\n"
    "_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

const char* const kDebianGroup =
    "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\n"
    "mail:x:8:\nnews:x:9:\nuucp:x:10:\nman:x:12:\nproxy:x:13:\nkmem:x:15:\ndialout:x:20:\n"
    "fax:x:21:\nvoice:x:22:\ncdrom:x:24:\nfloppy:x:25:\ntape:x:26:\nsudo:x:27:\naudio:x:29:\n"
    "dip:x:30:\nwww-data:x:33:\nbackup:x:34:\noperator:x:37:\nlist:x:38:\nirc:x:39:\n"
    "src:x:40:\nshadow:x:42:\nutmp:x:43:\nvideo:x:44:\nsasl:x:45:\nplugdev:x:46:\n"
    "staff:x:50:\ngames:x:60:\nusers:x:100:\nnogroup:x:65534:\n";

const char* const kUbuntu1804Passwd = DEBIAN_FAMILY_SYSTEM_USERS
    "irc:x:39:39:ircd:/var/run/ircd:/usr/sbin/nologin\n"
    "gnats:x:41:41:Gnats Bug-Reporting System (admin):/var/lib/gnats:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "_apt:x:100:65534::/nonexistent:/usr/sbin/nologin\n";

const char* const kUbuntu2204Passwd = DEBIAN_FAMILY_SYSTEM_USERS
    "irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin\n"
    "gnats:x:41:41:Gnats Bug-Reporting System (admin):/var/lib/gnats:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "_apt:x:100:65534::/nonexistent:/usr/sbin/nologin\n";

const char* const kAlpinePasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "bin:x:1:1:bin:/bin:/sbin/nologin\n"
    "daemon:x:2:2:daemon:/sbin:/sbin/nologin\n"
    "lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin\n"
    "sync:x:5:0:sync:/sbin:/bin/sync\n"
    "shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown\n"
    "halt:x:7:0:halt:/sbin:/sbin/halt\n"
    "mail:x:8:12:mail:/var/mail:/sbin/nologin\n"
    "news:x:9:13:news:/usr/lib/news:/sbin/nologin\n"
    "uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin\n"
    "cron:x:16:16:cron:/var/spool/cron:/sbin/nologin\n"
    "ftp:x:21:21::/var/lib/ftp:/sbin/nologin\n"
    "sshd:x:22:22:sshd:/dev/null:/sbin/nologin\n"
    "games:x:35:35:games:/usr/games:/sbin/nologin\n"
    "ntp:x:123:123:NTP:/var/empty:/sbin/nologin\n"
    "guest:x:405:100:guest:/dev/null:/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/:/sbin/nologin\n";

const char* const kAlpineGroup =
    "root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nsys:x:3:root,bin\n"
    "adm:x:4:root,daemon\ntty:x:5:\ndisk:x:6:root\nlp:x:7:lp\nkmem:x:9:\nwheel:x:10:root\n"
    "floppy:x:11:root\nmail:x:12:mail\nnews:x:13:news\nuucp:x:14:uucp\ncron:x:16:cron\n"
    "audio:x:18:\ncdrom:x:19:\ndialout:x:20:root\nftp:x:21:\nsshd:x:22:\ninput:x:23:\n"
    "tape:x:26:root\nvideo:x:27:root\nnetdev:x:28:\nkvm:x:34:kvm\ngames:x:35:\n"
    "shadow:x:42:\nwww-data:x:82:\nusers:x:100:games\nntp:x:123:\nabuild:x:300:\n"
    "utmp:x:406:\nping:x:999:\nnogroup:x:65533:\nnobody:x:65534:\n";

const char* const kBusyboxPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
    "bin:x:2:2:bin:/bin:/bin/false\n"
    "sys:x:3:3:sys:/dev:/bin/false\n"
    "sync:x:4:100:sync:/bin:/bin/sync\n"
    "mail:x:8:8:mail:/var/spool/mail:/bin/false\n"
    "www-data:x:33:33:www-data:/var/www:/bin/false\n"
    "operator:x:37:37:Operator:/var:/bin/false\n"
    "nobody:x:65534:65534:nobody:/home:/bin/false\n";

const char* const kBusyboxGroup =
    "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\n"
    "mail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\n"
    "video:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\n"
    "plugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnobody:x:65534:\n";

const char* const kOraclePasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "bin:x:1:1:bin:/bin:/sbin/nologin\n"
    "daemon:x:2:2:daemon:/sbin:/sbin/nologin\n"
    "adm:x:3:4:adm:/var/adm:/sbin/nologin\n"
    "lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin\n"
    "sync:x:5:0:sync:/sbin:/bin/sync\n"
    "shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown\n"
    "halt:x:7:0:halt:/sbin:/sbin/halt\n"
    "mail:x:8:12:mail:/var/spool/mail:/sbin/nologin\n"
    "operator:x:11:0:operator:/root:/sbin/nologin\n"
    "games:x:12:100:games:/usr/games:/sbin/nologin\n"
    "ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin\n"
    "nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin\n";

const char* const kOracleGroup =
    "root:x:0:\nbin:x:1:\ndaemon:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\n"
    "mem:x:8:\nkmem:x:9:\nwheel:x:10:\ncdrom:x:11:\nmail:x:12:\nman:x:15:\ndialout:x:18:\n"
    "floppy:x:19:\ngames:x:20:\ntape:x:33:\nvideo:x:39:\nftp:x:50:\nlock:x:54:\naudio:x:63:\n"
    "users:x:100:\nnobody:x:65534:\n";

std::string OsRelease(std::string_view pretty, std::string_view id, std::string_view version_id,
                      std::string_view codename) {
  std::string s = "PRETTY_NAME=\"" + std::string(pretty) + "\"\n";
  s += "ID=" + std::string(id) + "\n";
  s += "VERSION_ID=\"" + std::string(version_id) + "\"\n";
  if (!codename.empty()) s += "VERSION_CODENAME=" + std::string(codename) + "\n";
  return s;
}

// ---- layers shared by several images --------------------------------------------------------

// The base layer of a Debian-family image: the users, the os-release, dash as /bin/sh, bash,
// the dpkg database of the size the image's status file has.
LayerSpec DebianRoot(std::string created_by, uint64_t size, std::string passwd, std::string group,
                     std::string os_release, uint64_t dpkg_status_size, bool merged_usr) {
  LayerSpec l{std::move(created_by), size, {}};
  l.entries = {Dir("/tmp", 01777),
               Dir("/root", 0700),
               Dir("/home"),
               Dir("/var/lib/dpkg"),
               Dir("/run"),
               Link("/var/run", "/run"),
               Text("/etc/passwd", std::move(passwd)),
               Text("/etc/group", std::move(group)),
               Text("/etc/shadow", "root:*::0:::::\n", 0640),
               Text("/usr/lib/os-release", std::move(os_release)),
               Link("/etc/os-release", "../usr/lib/os-release"),
               Sized("/var/lib/dpkg/status", dpkg_status_size),
               Exe("/usr/bin/apt-get", 43672),
               Exe("/usr/bin/dpkg", 314872)};
  // Without merged /usr (ubuntu 18.04) dash and bash live in /bin itself.
  const std::string bin = merged_usr ? "/usr/bin" : "/bin";
  l.entries.push_back(Exe(bin + "/dash", 125560));
  l.entries.push_back(Exe(bin + "/bash", 1265648));
  if (merged_usr) {
    for (const char* d : {"bin", "sbin", "lib", "lib64"})
      l.entries.push_back(Link(std::string("/") + d, std::string("usr/") + d));
    l.entries.push_back(Link("/usr/bin/sh", "dash"));
  } else {
    l.entries.push_back(Link("/bin/sh", "dash"));
  }
  return l;
}

LayerSpec AlpineRoot(std::string created_by, uint64_t size, std::string version,
                     uint64_t apk_db_size) {
  LayerSpec l{std::move(created_by), size, {}};
  l.entries = {Dir("/tmp", 01777),
               Dir("/root", 0700),
               Dir("/home"),
               Text("/etc/passwd", kAlpinePasswd),
               Text("/etc/group", kAlpineGroup),
               Text("/etc/alpine-release", version + "\n"),
               Text("/usr/lib/os-release",
                    OsRelease("Alpine Linux v" + version.substr(0, version.rfind('.')), "alpine",
                              version, "")),
               Link("/etc/os-release", "../usr/lib/os-release"),
               Sized("/lib/apk/db/installed", apk_db_size),
               Exe("/bin/busybox", 808712),
               Link("/bin/sh", "/bin/busybox"),
               Exe("/sbin/apk", 67728),
               Exe("/lib/ld-musl-x86_64.so.1", 653312)};
  return l;
}

std::string WithLine(std::string file, std::string_view line) {
  return file + std::string(line) + "\n";
}

void SetEnv(plan::ImageConfig& c, std::string key, std::string value) {
  for (auto& [k, v] : c.env)
    if (k == key) {
      v = std::move(value);
      return;
    }
  c.env.emplace_back(std::move(key), std::move(value));
}

void SetCmd(plan::ImageConfig& c, std::vector<std::string> cmd) {
  c.cmd = std::move(cmd);
  c.cmd_set = true;
}
void SetEntrypoint(plan::ImageConfig& c, std::vector<std::string> entrypoint) {
  c.entrypoint = std::move(entrypoint);
  c.entrypoint_set = true;
}

// ---- the catalogue ------------------------------------------------------------------------

constexpr uint64_t MB(double mb) { return static_cast<uint64_t>(mb * 1000 * 1000 + 0.5); }

// python's three layers after the distribution's own (see catalogue.md): a package layer, the
// build from source (with pip by ensurepip for 3.11), and the version-less symlinks.
struct PythonFlavour {
  std::string version;  // "3.11.9"
  std::string minor;    // "3.11"
  std::string gpg_key;
  uint64_t packages;   // bytes of the apt/apk layer
  uint64_t build;      // bytes of the build layer
  uint64_t pip_layer;  // 0 for 3.11 (pip comes with the build); 3.7 has its get-pip layer
  bool alpine;
  bool full;  // FROM buildpack-deps (libbluetooth-dev tk-dev uuid-dev) instead of ca-certificates
};

std::vector<LayerSpec> PythonLayers(const PythonFlavour& p) {
  std::vector<LayerSpec> out;
  std::string lib = "/usr/local/lib/python" + p.minor;
  if (p.alpine) {
    out.push_back({"RUN /bin/sh -c set -eux; apk add --no-cache ca-certificates tzdata;",
                   p.packages,
                   {Sized("/etc/ssl/certs/ca-certificates.crt", 219342),
                    Sized("/usr/share/zoneinfo/UTC", 114)}});
  } else if (p.full) {
    out.push_back(
        {"RUN /bin/sh -c set -eux; apt-get update; apt-get install -y "
         "--no-install-recommends libbluetooth-dev tk-dev uuid-dev; rm -rf "
         "/var/lib/apt/lists/*",
         p.packages,
         {Sized("/usr/include/uuid/uuid.h", 3887)}});
  } else {
    out.push_back(
        {"RUN /bin/sh -c set -eux; apt-get update; apt-get install -y "
         "--no-install-recommends ca-certificates netbase tzdata; rm -rf "
         "/var/lib/apt/lists/*",
         p.packages,
         {Sized("/etc/ssl/certs/ca-certificates.crt", 219342),
          Sized("/usr/share/zoneinfo/UTC", 114), Text("/etc/protocols", "ip 0 IP\n")}});
  }
  LayerSpec build{
      "RUN /bin/sh -c set -eux; wget -O python.tar.xz "
      "\"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$"
      "PYTHON_VERSION.tar.xz\"; ... ./configure ...; make; make install; ...",
      p.build,
      {Exe("/usr/local/bin/python" + p.minor, 16320),
       Link("/usr/local/bin/python3", "python" + p.minor), Exe("/usr/local/bin/pip3", 232),
       Exe("/usr/local/bin/pip" + p.minor, 232),
       Sized("/usr/local/lib/libpython" + p.minor + (p.minor == "3.7" ? "m" : "") + ".so.1.0",
             p.minor == "3.7" ? 17600000 : 24400000, 0755),
       Sized(lib + "/os.py", p.minor == "3.7" ? 37854 : 39504),
       Sized(lib + "/site.py", p.minor == "3.7" ? 21514 : 22716), Dir(lib + "/site-packages"),
       Dir(lib + "/site-packages/pip")}};
  if (p.pip_layer == 0) build.entries.push_back(Exe("/usr/local/bin/pip", 232));
  out.push_back(std::move(build));
  out.push_back(
      {"RUN /bin/sh -c set -eux; for src in idle3 pydoc3 python3 python3-config; do "
       "dst=\"$(echo \"$src\" | tr -d 3)\"; [ -s \"/usr/local/bin/$src\" ]; [ ! -e "
       "\"/usr/local/bin/$dst\" ]; ln -svT \"$src\" \"/usr/local/bin/$dst\"; done",
       kExact,
       {Link("/usr/local/bin/idle", "idle3"), Link("/usr/local/bin/pydoc", "pydoc3"),
        Link("/usr/local/bin/python", "python3"),
        Link("/usr/local/bin/python-config", "python3-config")}});
  if (p.pip_layer != 0)
    out.push_back(
        {"RUN /bin/sh -c set -eux; wget -O get-pip.py \"$PYTHON_GET_PIP_URL\"; ... "
         "python get-pip.py --disable-pip-version-check --no-cache-dir "
         "--no-compile \"pip==$PYTHON_PIP_VERSION\" "
         "\"setuptools==$PYTHON_SETUPTOOLS_VERSION\"; rm -f get-pip.py; pip --version",
         p.pip_layer,
         {Exe("/usr/local/bin/pip", 232), Exe("/usr/local/bin/pip3", 232)}});
  return out;
}

plan::ImageConfig PythonConfig(const PythonFlavour& p) {
  plan::ImageConfig c;
  SetEnv(c, "PATH", "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  SetEnv(c, "LANG", "C.UTF-8");
  SetEnv(c, "GPG_KEY", p.gpg_key);
  SetEnv(c, "PYTHON_VERSION", p.version);
  if (p.pip_layer != 0) {
    SetEnv(c, "PYTHON_PIP_VERSION", "23.0.1");
    SetEnv(c, "PYTHON_SETUPTOOLS_VERSION", "57.5.0");
  }
  SetCmd(c, {"python3"});
  return c;
}

plan::ImageConfig ShellConfig(std::string shell) {
  plan::ImageConfig c;
  SetEnv(c, "PATH", kPath);
  SetCmd(c, {std::move(shell)});
  return c;
}

std::vector<ImageSpec> BuildSpecs() {
  std::vector<ImageSpec> s;
  const std::string bookworm_os =
      OsRelease("Debian GNU/Linux 12 (bookworm)", "debian", "12", "bookworm");

  s.push_back({"scratch", {}, "", {}, {}});

  {
    ImageSpec i{"busybox:latest", {"busybox", "busybox:1.36", "busybox:1.36.1"}, "", {}, {}};
    i.layers.push_back({"ADD busybox.tar.xz / # buildkit",
                        MB(4.26),
                        {Dir("/tmp", 01777), Dir("/root", 0700), Dir("/home"),
                         Text("/etc/passwd", kBusyboxPasswd), Text("/etc/group", kBusyboxGroup),
                         Exe("/bin/busybox", 1131384), Link("/bin/sh", "busybox")}});
    i.config = ShellConfig("sh");
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{
        "alpine:3.20", {"alpine", "alpine:latest", "alpine:3", "alpine:3.20.1"}, "", {}, {}};
    i.layers.push_back(AlpineRoot("ADD alpine-minirootfs-3.20.1-x86_64.tar.gz / # buildkit",
                                  MB(7.80), "3.20.1", 13904));
    i.config = ShellConfig("/bin/sh");
    s.push_back(std::move(i));
  }
  {
    // The base of python:3.7-alpine (3.7 reached its end of life on Alpine 3.18).
    ImageSpec i{"alpine:3.18", {"alpine:3.18.12"}, "", {}, {}};
    i.layers.push_back(AlpineRoot("ADD alpine-minirootfs-3.18.12-x86_64.tar.gz / # buildkit",
                                  MB(7.33), "3.18.12", 13453));
    i.config = ShellConfig("/bin/sh");
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{"debian:bookworm",
                {"debian", "debian:latest", "debian:12", "debian:12.6", "debian:bookworm-20240701"},
                "",
                {},
                {}};
    i.layers.push_back(DebianRoot("ADD file:... in / (debian:bookworm rootfs.tar.xz)", MB(116.54),
                                  kDebianPasswd, kDebianGroup, bookworm_os, 98200, true));
    i.config = ShellConfig("bash");
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{"debian:bookworm-slim", {"debian:12-slim", "debian:12.6-slim"}, "", {}, {}};
    i.layers.push_back(DebianRoot("ADD file:... in / (debian:bookworm-slim rootfs.tar.xz)",
                                  MB(74.76), kDebianPasswd, kDebianGroup, bookworm_os, 69300,
                                  true));
    i.config = ShellConfig("bash");
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{"ubuntu:18.04", {"ubuntu:bionic", "ubuntu:bionic-20230530"}, "", {}, {}};
    i.layers.push_back(DebianRoot(
        "ADD file:... in / (ubuntu-bionic-oci-amd64-root.tar.gz)", MB(63.15), kUbuntu1804Passwd,
        kDebianGroup, OsRelease("Ubuntu 18.04.6 LTS", "ubuntu", "18.04", "bionic"), 250800, false));
    i.config = ShellConfig("/bin/bash");
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{"ubuntu:22.04", {"ubuntu:jammy", "ubuntu:jammy-20240627.1"}, "", {}, {}};
    i.layers.push_back(DebianRoot(
        "ADD file:... in / (ubuntu-jammy-oci-amd64-root.tar.gz)", MB(77.86), kUbuntu2204Passwd,
        kDebianGroup, OsRelease("Ubuntu 22.04.4 LTS", "ubuntu", "22.04", "jammy"), 338500, true));
    i.config = ShellConfig("/bin/bash");
    i.config.labels = {{"org.opencontainers.image.ref.name", "ubuntu"},
                       {"org.opencontainers.image.version", "22.04"}};
    s.push_back(std::move(i));
  }
  {
    // buildpack-deps:bookworm, the base of the full python and node images: three layers
    // (curl, scm, the development packages) over debian:bookworm.
    ImageSpec i{"buildpack-deps:bookworm", {"buildpack-deps:12"}, "debian:bookworm", {}, {}};
    i.layers.push_back(
        {"RUN set -eux; apt-get update; apt-get install -y --no-install-recommends "
         "ca-certificates curl gnupg netbase sq wget; rm -rf /var/lib/apt/lists/*",
         MB(48.48),
         {Exe("/usr/bin/curl", 260328), Exe("/usr/bin/wget", 528904)}});
    i.layers.push_back(
        {"RUN set -eux; apt-get update; apt-get install -y --no-install-recommends "
         "git mercurial openssh-client subversion procps; rm -rf "
         "/var/lib/apt/lists/*",
         MB(58.94),
         {Exe("/usr/bin/git", 3911112)}});
    i.layers.push_back(
        {"RUN set -ex; apt-get update; apt-get install -y --no-install-recommends "
         "autoconf automake bzip2 default-libmysqlclient-dev dpkg-dev file g++ gcc "
         "... ; rm -rf /var/lib/apt/lists/*",
         MB(690.00),
         {Exe("/usr/bin/gcc-12", 1264320), Exe("/usr/bin/make", 244160)}});
    i.config = ShellConfig("bash");
    s.push_back(std::move(i));
  }

  const std::string k311 = "A035C8C19219BA821ECEA86B64E628F8D684696D";
  const std::string k37 = "0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D";
  struct Py {
    std::string name;
    std::vector<std::string> aliases;
    std::string base;
    PythonFlavour f;
  };
  std::vector<Py> pythons = {
      {"python:3.11",
       {"python:3.11-bookworm", "python:3.11.9", "python:3.11.9-bookworm"},
       "buildpack-deps:bookworm",
       {"3.11.9", "3.11", k311, MB(18.45), MB(62.10), 0, false, true}},
      {"python:3.11-slim",
       {"python:3.11-slim-bookworm", "python:3.11.9-slim", "python:3.11.9-slim-bookworm"},
       "debian:bookworm-slim",
       {"3.11.9", "3.11", k311, MB(9.23), MB(46.30), 0, false, false}},
      {"python:3.11-alpine",
       {"python:3.11-alpine3.20", "python:3.11.9-alpine", "python:3.11.9-alpine3.20"},
       "alpine:3.20",
       {"3.11.9", "3.11", k311, MB(1.63), MB(43.40), 0, true, false}},
      {"python:3.7",
       {"python:3.7-bookworm", "python:3.7.17", "python:3.7.17-bookworm"},
       "buildpack-deps:bookworm",
       {"3.7.17", "3.7", k37, MB(18.45), MB(53.10), MB(12.70), false, true}},
      {"python:3.7-slim",
       {"python:3.7-slim-bookworm", "python:3.7.17-slim", "python:3.7.17-slim-bookworm"},
       "debian:bookworm-slim",
       {"3.7.17", "3.7", k37, MB(9.23), MB(32.80), MB(12.40), false, false}},
      {"python:3.7-alpine",
       {"python:3.7-alpine3.18", "python:3.7.17-alpine", "python:3.7.17-alpine3.18"},
       "alpine:3.18",
       {"3.7.17", "3.7", k37, MB(1.50), MB(25.90), MB(12.00), true, false}},
  };
  for (Py& p : pythons) {
    ImageSpec i{p.name, p.aliases, p.base, PythonLayers(p.f), PythonConfig(p.f)};
    s.push_back(std::move(i));
  }

  {
    ImageSpec i{"node:20",
                {"node:20-bookworm", "node:20.15.0", "node:20.15", "node:iron"},
                "buildpack-deps:bookworm",
                {},
                {}};
    i.layers.push_back(
        {"RUN /bin/sh -c groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell "
         "/bin/bash --create-home node",
         kExact,
         {Text("/etc/passwd", WithLine(kDebianPasswd, "node:x:1000:1000::/home/node:/bin/bash")),
          Text("/etc/group", WithLine(kDebianGroup, "node:x:1000:")),
          Dir("/home/node", 0755, 1000, 1000), Sized("/home/node/.bashrc", 3526),
          Sized("/home/node/.profile", 807), Sized("/home/node/.bash_logout", 220)}});
    i.layers.push_back(
        {"RUN /bin/sh -c ARCH= && dpkgArch=\"$(dpkg --print-architecture)\" ... "
         "curl -fsSLO --compressed "
         "\"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$"
         "ARCH.tar.xz\" ... && node --version && npm --version",
         MB(190.60),
         {Exe("/usr/local/bin/node", 96786256),
          Link("/usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js"),
          Link("/usr/local/bin/nodejs", "node")}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -ex && ... curl -fsSLO --compressed "
         "\"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\""
         " ... && yarn --version",
         MB(5.34),
         {Link("/usr/local/bin/yarn", "/opt/yarn-v1.22.22/bin/yarn")}});
    i.layers.push_back({"COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
                        kExact,
                        {Sized("/usr/local/bin/docker-entrypoint.sh", 388, 0755)}});
    SetEnv(i.config, "PATH", kPath);
    SetEnv(i.config, "NODE_VERSION", "20.15.0");
    SetEnv(i.config, "YARN_VERSION", "1.22.22");
    SetEntrypoint(i.config, {"docker-entrypoint.sh"});
    SetCmd(i.config, {"node"});
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{"node:20-alpine",
                {"node:20-alpine3.20", "node:20.15.0-alpine", "node:iron-alpine"},
                "alpine:3.20",
                {},
                {}};
    i.layers.push_back(
        {"RUN /bin/sh -c addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node && "
         "apk add --no-cache libstdc++ && ... node --version && npm --version",
         MB(121.30),
         {Text("/etc/passwd", WithLine(kAlpinePasswd, "node:x:1000:1000::/home/node:/bin/sh")),
          Text("/etc/group", WithLine(kAlpineGroup, "node:x:1000:node")),
          Dir("/home/node", 02755, 1000, 1000), Exe("/usr/local/bin/node", 95216280),
          Link("/usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")}});
    i.layers.push_back(
        {"RUN /bin/sh -c apk add --no-cache --virtual .build-deps-yarn curl gnupg "
         "tar && ... && yarn --version",
         MB(5.42),
         {Link("/usr/local/bin/yarn", "/opt/yarn-v1.22.22/bin/yarn")}});
    i.layers.push_back({"COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
                        kExact,
                        {Sized("/usr/local/bin/docker-entrypoint.sh", 388, 0755)}});
    SetEnv(i.config, "PATH", kPath);
    SetEnv(i.config, "NODE_VERSION", "20.15.0");
    SetEnv(i.config, "YARN_VERSION", "1.22.22");
    SetEntrypoint(i.config, {"docker-entrypoint.sh"});
    SetCmd(i.config, {"node"});
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{"nginx:1.27",
                {"nginx", "nginx:latest", "nginx:mainline", "nginx:1.27.0", "nginx:1",
                 "nginx:1.27-bookworm"},
                "debian:bookworm-slim",
                {},
                {}};
    i.layers.push_back(
        {"RUN /bin/sh -c set -x && groupadd --system --gid 101 nginx && useradd --system --gid "
         "nginx --no-create-home --home /nonexistent --comment \"nginx user\" --shell /bin/false "
         "--uid 101 nginx && apt-get update && ... apt-get install --no-install-recommends "
         "--no-install-suggests -y $nginxPackages gettext-base curl && ... ln -sf /dev/stdout "
         "/var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log && mkdir "
         "/docker-entrypoint.d",
         MB(112.90),
         {Text("/etc/passwd",
               WithLine(kDebianPasswd, "nginx:x:101:101:nginx user:/nonexistent:/bin/false")),
          Text("/etc/group", WithLine(kDebianGroup, "nginx:x:101:")),
          Exe("/usr/sbin/nginx", 1519160), Sized("/etc/nginx/nginx.conf", 648),
          Sized("/etc/nginx/conf.d/default.conf", 1093),
          Sized("/usr/share/nginx/html/index.html", 615),
          Link("/var/log/nginx/access.log", "/dev/stdout"),
          Link("/var/log/nginx/error.log", "/dev/stderr"), Dir("/docker-entrypoint.d")}});
    const std::pair<const char*, uint64_t> scripts[] = {
        {"/docker-entrypoint.sh", 1620},
        {"/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", 2125},
        {"/docker-entrypoint.d/15-local-resolvers.envsh", 389},
        {"/docker-entrypoint.d/20-envsubst-on-templates.sh", 3018},
        {"/docker-entrypoint.d/30-tune-worker-processes.sh", 4619}};
    for (const auto& [path, size] : scripts) {
      std::string p = path;
      std::string dest = p == "/docker-entrypoint.sh" ? "/" : "/docker-entrypoint.d";
      i.layers.push_back({"COPY " + p.substr(p.rfind('/') + 1) + " " + dest + " # buildkit",
                          kExact,
                          {Sized(p, size, 0775)}});
    }
    SetEnv(i.config, "PATH", kPath);
    SetEnv(i.config, "NGINX_VERSION", "1.27.0");
    SetEnv(i.config, "NJS_VERSION", "0.8.4");
    SetEnv(i.config, "NJS_RELEASE", "2~bookworm");
    SetEnv(i.config, "PKG_RELEASE", "2~bookworm");
    SetEntrypoint(i.config, {"/docker-entrypoint.sh"});
    SetCmd(i.config, {"nginx", "-g", "daemon off;"});
    i.config.exposed_ports = {"80/tcp"};
    i.config.stop_signal = "SIGQUIT";
    i.config.labels = {{"maintainer", "NGINX Docker Maintainers <docker-maint@nginx.com>"}};
    s.push_back(std::move(i));
  }
  const Entry gosu = Exe("/usr/local/bin/gosu", 2275328);
  {
    ImageSpec i{"postgres:16",
                {"postgres:16.3", "postgres:16-bookworm", "postgres:16.3-bookworm"},
                "debian:bookworm-slim",
                {},
                {}};
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; groupadd -r postgres --gid=999; useradd -r -g postgres "
         "--uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres; mkdir -p "
         "/var/lib/postgresql; chown -R postgres:postgres /var/lib/postgresql",
         kExact,
         {Text("/etc/passwd",
               WithLine(kDebianPasswd, "postgres:x:999:999::/var/lib/postgresql:/bin/bash")),
          Text("/etc/group", WithLine(kDebianGroup, "postgres:x:999:")),
          Dir("/var/lib/postgresql", 0755, 999, 999)}});
    i.layers.push_back({"RUN /bin/sh -c set -eux; ... gosu ...", MB(4.11), {gosu}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; ... apt-get install -y --no-install-recommends "
         "locales; ... localedef -i en_US -c -f UTF-8 -A "
         "/usr/share/locale/locale.alias en_US.UTF-8",
         MB(24.80),
         {Sized("/usr/lib/locale/locale-archive", 3048928)}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; apt-get update; apt-get install -y "
         "--no-install-recommends libnss-wrapper xz-utils zstd; rm -rf "
         "/var/lib/apt/lists/*",
         MB(3.56),
         {Exe("/usr/bin/zstd", 1309472)}});
    i.layers.push_back({"RUN /bin/sh -c mkdir /docker-entrypoint-initdb.d",
                        kExact,
                        {Dir("/docker-entrypoint-initdb.d")}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -ex; key='B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8'; "
         "... gpg --batch --export --armor \"$key\" > "
         "/usr/local/share/keyrings/postgres.gpg.asc; ...",
         kExact,
         {Sized("/usr/local/share/keyrings/postgres.gpg.asc", 4812)}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -ex; export PYTHONDONTWRITEBYTECODE=1; ... apt-get "
         "install -y --no-install-recommends \"postgresql-$PG_MAJOR=$PG_VERSION\" "
         "; ...",
         MB(324.50),
         {Exe("/usr/lib/postgresql/16/bin/postgres", 9812960),
          Exe("/usr/lib/postgresql/16/bin/initdb", 162192),
          Exe("/usr/lib/postgresql/16/bin/pg_ctl", 79528)}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; dpkg-divert --add --rename --divert "
         "\"/usr/share/postgresql/postgresql.conf.sample.dpkg\" ...; sed -ri "
         "\"s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!\" "
         "/usr/share/postgresql/postgresql.conf.sample; ...",
         kExact,
         {Sized("/usr/share/postgresql/postgresql.conf.sample", 29620),
          Link("/usr/share/postgresql/16/postgresql.conf.sample", "../postgresql.conf.sample")}});
    i.layers.push_back(
        {"RUN /bin/sh -c mkdir -p /var/run/postgresql && chown -R "
         "postgres:postgres /var/run/postgresql && chmod 3777 /var/run/postgresql",
         kExact,
         {Dir("/run/postgresql", 03777, 999, 999)}});
    i.layers.push_back(
        {"COPY docker-entrypoint.sh docker-ensure-initdb.sh /usr/local/bin/ # "
         "buildkit",
         kExact,
         {Sized("/usr/local/bin/docker-entrypoint.sh", 12170, 0755),
          Sized("/usr/local/bin/docker-ensure-initdb.sh", 1168, 0755)}});
    i.layers.push_back(
        {"RUN /bin/sh -c ln -sT docker-ensure-initdb.sh "
         "/usr/local/bin/docker-enforce-initdb.sh # buildkit",
         kExact,
         {Link("/usr/local/bin/docker-enforce-initdb.sh", "docker-ensure-initdb.sh")}});
    SetEnv(i.config, "PATH", std::string(kPath) + ":/usr/lib/postgresql/16/bin");
    SetEnv(i.config, "GOSU_VERSION", "1.17");
    SetEnv(i.config, "LANG", "en_US.utf8");
    SetEnv(i.config, "PG_MAJOR", "16");
    SetEnv(i.config, "PG_VERSION", "16.3-1.pgdg120+1");
    SetEnv(i.config, "PGDATA", "/var/lib/postgresql/data");
    SetEntrypoint(i.config, {"docker-entrypoint.sh"});
    SetCmd(i.config, {"postgres"});
    i.config.exposed_ports = {"5432/tcp"};
    i.config.volumes = {"/var/lib/postgresql/data"};
    i.config.stop_signal = "SIGINT";
    s.push_back(std::move(i));
  }
  {
    // mysql:8 is built FROM oraclelinux:9-slim; its package database is rpm's.
    ImageSpec i{"oraclelinux:9-slim", {}, "", {}, {}};
    i.layers.push_back(
        {"ADD file:... in / (oraclelinux 9-slim rootfs)",
         MB(116.70),
         {Dir("/tmp", 01777), Dir("/root", 0550), Dir("/home"), Text("/etc/passwd", kOraclePasswd),
          Text("/etc/group", kOracleGroup),
          Text("/etc/os-release", OsRelease("Oracle Linux Server 9.4", "ol", "9.4", "")),
          Sized("/var/lib/rpm/rpmdb.sqlite", 6430720), Exe("/usr/bin/bash", 1389064),
          Link("/usr/bin/sh", "bash"), Exe("/usr/bin/microdnf", 96712), Dir("/run"),
          Link("/var/run", "../run"), Link("/bin", "usr/bin"), Link("/sbin", "usr/sbin"),
          Link("/lib", "usr/lib"), Link("/lib64", "usr/lib64")}});
    SetEnv(i.config, "PATH", kPath);
    SetCmd(i.config, {"/bin/bash"});
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{
        "mysql:8",
        {"mysql:8.0", "mysql:8.0.38", "mysql:8-oracle", "mysql:8.0-oracle", "mysql:8.0.38-oracle"},
        "oraclelinux:9-slim",
        {},
        {}};
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; groupadd --system --gid 999 mysql; useradd --system --uid 999 "
         "--gid 999 --home-dir /var/lib/mysql --no-create-home mysql",
         kExact,
         {Text("/etc/passwd", WithLine(kOraclePasswd, "mysql:x:999:999::/var/lib/mysql:/bin/bash")),
          Text("/etc/group", WithLine(kOracleGroup, "mysql:x:999:"))}});
    i.layers.push_back({"RUN /bin/sh -c set -eux; ... gosu ...", MB(4.42), {gosu}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; microdnf install -y bzip2 gzip openssl xz zstd "
         "findutils; microdnf clean all",
         MB(18.20),
         {Exe("/usr/bin/openssl", 1005904)}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; key='BCA43417C3B485DD128EC6D4B7B3B788A8D3785C'; "
         "... gpg --batch --export --armor \"$key\" > /etc/pki/rpm-gpg/mysql; ...",
         kExact,
         {Sized("/etc/pki/rpm-gpg/mysql", 3145)}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eu; { echo '[mysql8.0-server-minimal]'; ... } | tee "
         "/etc/yum.repos.d/mysql-community-minimal.repo",
         kExact,
         {Sized("/etc/yum.repos.d/mysql-community-minimal.repo", 230)}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; microdnf install -y "
         "\"mysql-community-server-minimal-$MYSQL_VERSION\"; microdnf clean all; "
         "grep -F 'socket=/var/lib/mysql/mysql.sock' /etc/my.cnf; ... mkdir -p "
         "/var/lib/mysql /var/run/mysqld; chown mysql:mysql /var/lib/mysql "
         "/var/run/mysqld; ...",
         MB(268.00),
         {Exe("/usr/sbin/mysqld", 64318272), Sized("/etc/my.cnf", 1313),
          Dir("/var/lib/mysql", 0755, 999, 999), Dir("/run/mysqld", 01777, 999, 999)}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eu; { echo '[mysql-tools-community]'; ... } | tee "
         "/etc/yum.repos.d/mysql-community-tools.repo",
         kExact,
         {Sized("/etc/yum.repos.d/mysql-community-tools.repo", 220)}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; microdnf install -y "
         "\"mysql-shell-$MYSQL_SHELL_VERSION\"; microdnf clean all; mysqlsh "
         "--version",
         MB(143.50),
         {Exe("/usr/bin/mysqlsh", 53840192)}});
    i.layers.push_back({"COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
                        kExact,
                        {Sized("/usr/local/bin/docker-entrypoint.sh", 15617, 0755)}});
    i.layers.push_back(
        {"RUN /bin/sh -c ln -s usr/local/bin/docker-entrypoint.sh /entrypoint.sh "
         "# backwards compat",
         kExact,
         {Link("/entrypoint.sh", "usr/local/bin/docker-entrypoint.sh")}});
    SetEnv(i.config, "PATH", kPath);
    SetEnv(i.config, "GOSU_VERSION", "1.17");
    SetEnv(i.config, "MYSQL_MAJOR", "8.0");
    SetEnv(i.config, "MYSQL_VERSION", "8.0.38-1.el9");
    SetEnv(i.config, "MYSQL_SHELL_VERSION", "8.0.38-1.el9");
    SetEntrypoint(i.config, {"docker-entrypoint.sh"});
    SetCmd(i.config, {"mysqld"});
    i.config.exposed_ports = {"3306/tcp", "33060/tcp"};
    i.config.volumes = {"/var/lib/mysql"};
    s.push_back(std::move(i));
  }
  {
    ImageSpec i{"redis:7",
                {"redis", "redis:latest", "redis:7.2", "redis:7.2.5", "redis:7-bookworm",
                 "redis:7.2-bookworm"},
                "debian:bookworm-slim",
                {},
                {}};
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; groupadd -r -g 999 redis; useradd -r -g redis -u 999 redis",
         kExact,
         {Text("/etc/passwd", WithLine(kDebianPasswd, "redis:x:999:999::/home/redis:/bin/sh")),
          Text("/etc/group", WithLine(kDebianGroup, "redis:x:999:"))}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; apt-get update; apt-get install -y "
         "--no-install-recommends tzdata; rm -rf /var/lib/apt/lists/*",
         MB(3.63),
         {Sized("/usr/share/zoneinfo/UTC", 114)}});
    i.layers.push_back({"RUN /bin/sh -c set -eux; ... gosu ...", MB(4.11), {gosu}});
    i.layers.push_back(
        {"RUN /bin/sh -c set -eux; ... wget -O redis.tar.gz \"$REDIS_DOWNLOAD_URL\";"
         " ... make -C /usr/src/redis -j \"$(nproc)\" all; make -C /usr/src/redis "
         "install; ... redis-server --version",
         MB(34.60),
         {Exe("/usr/local/bin/redis-server", 16311816),
          Link("/usr/local/bin/redis-sentinel", "redis-server"),
          Exe("/usr/local/bin/redis-cli", 7845568)}});
    i.layers.push_back({"RUN /bin/sh -c mkdir /data && chown redis:redis /data",
                        kExact,
                        {Dir("/data", 0755, 999, 999)}});
    i.layers.push_back({"COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
                        kExact,
                        {Sized("/usr/local/bin/docker-entrypoint.sh", 661, 0755)}});
    SetEnv(i.config, "PATH", kPath);
    SetEnv(i.config, "GOSU_VERSION", "1.17");
    SetEnv(i.config, "REDIS_VERSION", "7.2.5");
    SetEntrypoint(i.config, {"docker-entrypoint.sh"});
    SetCmd(i.config, {"redis-server"});
    i.config.exposed_ports = {"6379/tcp"};
    i.config.volumes = {"/data"};
    i.config.working_dir = "/data";
    s.push_back(std::move(i));
  }
  return s;
}

const std::vector<ImageSpec>& Specs() {
  static const std::vector<ImageSpec> specs = BuildSpecs();
  return specs;
}

// The parents of every entry as directories (0755 root:root unless listed), the entries, and
// the filler file that makes the layer's size the documented one.
Result<plan::Layer> BuildLayer(const LayerSpec& spec, size_t index) {
  std::map<std::string, plan::FileChange> changes;
  uint64_t counted = 0;
  auto add_parents = [&](const std::string& path) {
    for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
      std::string dir = path.substr(0, pos);
      if (changes.count(dir)) continue;
      plan::FileChange d;
      d.path = dir;
      d.kind = Kind::kDirectory;
      d.mode = 0755;
      changes[dir] = d;
    }
  };
  for (const Entry& e : spec.entries) {
    add_parents(e.path);
    plan::FileChange c;
    c.path = e.path;
    c.mode = e.mode;
    c.uid = e.uid;
    c.gid = e.gid;
    switch (e.type) {
      case Entry::Type::kText: {
        FileContent content = FileContent::Bytes(e.text);
        c.kind = Kind::kFile;
        c.size = content.size;
        c.digest = content.digest;
        break;
      }
      case Entry::Type::kSized: {
        FileContent content = FileContent::Synthetic("catalogue " + e.path, e.size);
        c.kind = Kind::kFile;
        c.size = content.size;
        c.digest = content.digest;
        break;
      }
      case Entry::Type::kDir:
        c.kind = Kind::kDirectory;
        break;
      case Entry::Type::kLink:
        c.kind = Kind::kSymlink;
        c.link_target = e.text;
        c.size = e.text.size();
        break;
    }
    counted += c.kind == Kind::kDirectory ? 0 : c.size;
    changes[e.path] = c;
  }
  if (spec.size != kExact) {
    if (counted > spec.size)
      return FsError("EINVAL", "catalogue layer " + std::to_string(index) + " (" +
                                   spec.created_by.substr(0, 40) + "): its files take " +
                                   std::to_string(counted) + " bytes, more than its " +
                                   std::to_string(spec.size));
    if (counted < spec.size) {
      std::string path = "/usr/lib/.dockit-catalogue-filler-layer-" + std::to_string(index);
      add_parents(path);
      FileContent content = FileContent::Synthetic(
          "dockit catalogue filler for: " + spec.created_by, spec.size - counted);
      plan::FileChange f;
      f.path = path;
      f.kind = Kind::kFile;
      f.mode = 0644;
      f.size = content.size;
      f.digest = content.digest;
      changes[path] = f;
    }
  }
  std::vector<plan::FileChange> list;
  list.reserve(changes.size());
  for (auto& [path, c] : changes) list.push_back(std::move(c));
  return MakeLayer(std::move(list));
}

const ImageSpec* FindSpec(std::string_view name) {
  for (const ImageSpec& s : Specs())
    if (s.name == name) return &s;
  return nullptr;
}

Result<CatalogueImage> Build(const ImageSpec& spec) {
  std::vector<const LayerSpec*> layers;
  std::vector<const ImageSpec*> chain;
  for (const ImageSpec* s = &spec; s != nullptr; s = s->base.empty() ? nullptr : FindSpec(s->base))
    chain.insert(chain.begin(), s);
  for (const ImageSpec* s : chain)
    for (const LayerSpec& l : s->layers) layers.push_back(&l);
  CatalogueImage image;
  image.reference = spec.name;
  image.config = spec.config;
  std::vector<plan::Layer> built;
  for (size_t i = 0; i < layers.size(); ++i) {
    Result<plan::Layer> layer = BuildLayer(*layers[i], i + 1);
    if (!layer.Ok()) return layer.Error();
    built.push_back(std::move(layer).Value());
    image.history.push_back(layers[i]->created_by);
    for (const Entry& e : layers[i]->entries)
      if (e.type == Entry::Type::kText) image.text_files[e.path] = e.text;
  }
  Result<LayerStack> stack = LayerStack::Of(std::move(built));
  if (!stack.Ok()) return stack.Error();
  image.layers = std::move(stack).Value();
  return image;
}

// "docker.io/library/python:3.11" and "library/python:3.11" are "python:3.11"; no tag is
// ":latest".
std::string Normalize(std::string_view reference) {
  std::string r(reference);
  for (std::string_view prefix : {"docker.io/library/", "index.docker.io/library/",
                                  "registry-1.docker.io/library/", "library/", "docker.io/"})
    if (r.rfind(prefix, 0) == 0) {
      r = r.substr(prefix.size());
      break;
    }
  if (r != "scratch" && r.find(':') == std::string::npos) r += ":latest";
  return r;
}

const std::map<std::string, std::string, std::less<>>& AliasMap() {
  static const auto map = [] {
    std::map<std::string, std::string, std::less<>> m;
    for (const ImageSpec& s : Specs()) {
      m[s.name] = s.name;
      for (const std::string& a : s.aliases) m[Normalize(a)] = s.name;
    }
    return m;
  }();
  return map;
}

}  // namespace

std::vector<std::string> CatalogueImages() {
  std::vector<std::string> out;
  for (const ImageSpec& s : Specs()) out.push_back(s.name);
  return out;
}

std::vector<std::string> CatalogueReferences() {
  std::vector<std::string> out;
  for (const auto& [ref, name] : AliasMap()) out.push_back(ref);
  return out;
}

Result<CatalogueImage> FindBaseImage(std::string_view reference) {
  if (reference.find('@') != std::string_view::npos)
    return Diagnostic{"image-not-in-catalogue",
                      "image \"" + std::string(reference) +
                          "\" is pinned by digest, and the simulator's catalogue has no real "
                          "digests; use a tag (known: " +
                          [] {
                            std::string s;
                            for (const std::string& n : CatalogueImages())
                              s += (s.empty() ? "" : ", ") + n;
                            return s;
                          }() +
                          ")",
                      {}};
  std::string ref = Normalize(reference);
  const auto& aliases = AliasMap();
  auto it = aliases.find(ref);
  if (it == aliases.end()) {
    std::vector<std::string> refs = CatalogueReferences();
    std::vector<std::string_view> candidates(refs.begin(), refs.end());
    std::string suggestion = Suggest(ref, candidates);
    if (suggestion.empty() && ref != std::string(reference))
      suggestion = Suggest(reference, candidates);
    std::string known;
    for (const std::string& n : CatalogueImages()) known += (known.empty() ? "" : ", ") + n;
    std::string message =
        "image \"" + std::string(reference) + "\" is not in the simulator's catalogue";
    if (!suggestion.empty()) message += " (did you mean " + suggestion + "?)";
    message += "; known: " + known + " (see sim/catalogue.md)";
    return Diagnostic{"image-not-in-catalogue", message, {}};
  }
  return Build(*FindSpec(it->second));
}

}  // namespace dockit::sim
