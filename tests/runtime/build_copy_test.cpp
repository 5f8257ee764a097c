// COPY and ADD into an image root, without a store: what lands where, with which owner and
// mode, and that neither a symlink in the context nor one in the image leads a copy outside.
#include "runtime/copy_step.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "parser/dockerfile_parser.hpp"
#include "planner/plan.hpp"
#include "runtime/copy_paths.hpp"

namespace dockit::runtime {
namespace {

namespace fs = std::filesystem;

struct Dirs {
  std::string base;
  std::string context, root, scratch;
  Dirs() {
    char pattern[] = "/tmp/dexec-copy-test-XXXXXX";
    base = ::mkdtemp(pattern);
    context = base + "/ctx";
    root = base + "/root";
    scratch = base + "/scratch";
    for (const std::string& d : {context, root, scratch}) fs::create_directories(d);
  }
  ~Dirs() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
};

void Write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The plan of `dockerfile` over `context`; the step at `index` (0-based over all steps).
struct Planned {
  std::shared_ptr<const SyntaxTree> tree;
  plan::Plan plan;
};

Result<Planned> PlanOf(const std::string& dockerfile, const std::string& context) {
  auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", dockerfile));
  if (!tree) return tree.Error();
  plan::PlanOptions options;
  options.context_dir = context;
  Result<plan::Plan> p = plan::BuildPlan(*tree, options);
  if (!p) return p.Error();
  return Planned{*tree, std::move(p).Value()};
}

const plan::Step& CopyStep(const plan::Plan& p) {
  for (const plan::Step& s : p.steps) {
    if (s.kind == plan::StepKind::kCopy) return s;
  }
  throw std::runtime_error("no COPY step");
}

TEST_CASE("COPY puts the planned files under the image root with Docker's owners and modes",
          "[build]") {
  if (::geteuid() != 0) {
    WARN("SKIPPED: COPY sets owners: needs root");
    return;
  }
  Dirs d;
  Write(d.context + "/app/main.sh", "echo hi\n");
  ::chmod((d.context + "/app/main.sh").c_str(), 0755);
  Write(d.context + "/app/lib/util.txt", "util\n");
  Write(d.root + "/etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
  Write(d.root + "/etc/group", "root:x:0:\nstaff:x:50:\n");
  auto planned = PlanOf("FROM scratch\nCOPY --chown=app:staff app/ /srv/app/\n", d.context);
  REQUIRE(planned);
  Status copied = CopyFromContext(CopyStep(planned->plan), d.context, d.root, d.scratch);
  REQUIRE(copied);
  struct stat st {};
  REQUIRE(::lstat((d.root + "/srv/app/main.sh").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0755);
  CHECK(st.st_uid == 1000);
  CHECK(st.st_gid == 50);
  CHECK(Read(d.root + "/srv/app/lib/util.txt") == "util\n");
  // A parent the copy had to make is root's, 0755.
  REQUIRE(::lstat((d.root + "/srv").c_str(), &st) == 0);
  CHECK(st.st_uid == 0);
  CHECK((st.st_mode & 07777) == 0755);
}

TEST_CASE("COPY copies a symlink of the context as a symlink, never what it points to", "[build]") {
  Dirs d;
  Write(d.base + "/outside/secret", "host secret\n");
  fs::create_symlink(d.base + "/outside/secret", d.context + "/leak");
  auto planned = PlanOf("FROM scratch\nCOPY leak /leak\n", d.context);
  if (!planned) {
    // Refusing it at planning time is fine too: the content never reaches the image.
    SUCCEED(planned.Error().message);
    return;
  }
  REQUIRE(CopyFromContext(CopyStep(planned->plan), d.context, d.root, d.scratch));
  struct stat st {};
  REQUIRE(::lstat((d.root + "/leak").c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  CHECK(fs::read_symlink(d.root + "/leak") == d.base + "/outside/secret");
}

TEST_CASE("COPY refuses a context file swapped for a symlink after planning", "[build]") {
  Dirs d;
  Write(d.base + "/outside/secret", "host secret\n");
  Write(d.context + "/sub/file.txt", "mine\n");
  auto planned = PlanOf("FROM scratch\nCOPY sub/file.txt /f\n", d.context);
  REQUIRE(planned);
  // The race: the planned file's folder becomes a symlink to outside the context.
  fs::rename(d.context + "/sub", d.context + "/old");
  fs::create_directories(d.base + "/outside");
  Write(d.base + "/outside/file.txt", "host secret\n");
  fs::create_symlink(d.base + "/outside", d.context + "/sub");
  Status copied = CopyFromContext(CopyStep(planned->plan), d.context, d.root, d.scratch);
  CHECK_FALSE(copied);
  CHECK_FALSE(fs::exists(d.root + "/f"));
}

TEST_CASE("COPY resolves the destination inside the image root, following its symlinks there",
          "[build]") {
  Dirs d;
  Write(d.context + "/a.txt", "a\n");
  Write(d.base + "/host-etc/keep", "host\n");
  // /etc in the image is an absolute symlink to a folder that, on the host, is outside the
  // root; a container sees the image's own /data.
  fs::create_directories(d.root + "/data");
  fs::create_symlink("/data", d.root + "/etc");
  fs::create_symlink("../../../../" + d.base + "/host-etc", d.root + "/up");
  auto planned = PlanOf("FROM scratch\nCOPY a.txt /etc/a.txt\n", d.context);
  REQUIRE(planned);
  REQUIRE(CopyFromContext(CopyStep(planned->plan), d.context, d.root, d.scratch));
  CHECK(Read(d.root + "/data/a.txt") == "a\n");
  // The same folder inside the image: where the `..`s lead a container.
  fs::create_directories(d.root + d.base + "/host-etc");
  auto up = PlanOf("FROM scratch\nCOPY a.txt /up/a.txt\n", d.context);
  REQUIRE(up);
  REQUIRE(CopyFromContext(CopyStep(up->plan), d.context, d.root, d.scratch));
  CHECK_FALSE(fs::exists(d.base + "/host-etc/a.txt"));  // `..` stops at the image root
  CHECK(Read(d.root + d.base + "/host-etc/a.txt") == "a\n");
}

TEST_CASE(
    "COPY --from copies a folder's contents and follows the source symlink inside the "
    "source root",
    "[build]") {
  Dirs d;
  std::string from = d.base + "/from";
  Write(from + "/out/bin/tool", "tool\n");
  fs::create_symlink("/out", from + "/current");
  auto planned = PlanOf(
      "FROM scratch AS b\nFROM scratch\nCOPY --from=b /current/ /opt/\n"
      "COPY --from=b /out/bin/tool /usr/local/bin/\n",
      d.context);
  REQUIRE(planned);
  std::vector<const plan::Step*> copies;
  for (const plan::Step& s : planned->plan.steps) {
    if (s.kind == plan::StepKind::kCopy) copies.push_back(&s);
  }
  REQUIRE(copies.size() == 2);
  REQUIRE(CopyFromTree(*copies[0], from, d.root));
  CHECK(Read(d.root + "/opt/bin/tool") == "tool\n");
  REQUIRE(CopyFromTree(*copies[1], from, d.root));
  CHECK(Read(d.root + "/usr/local/bin/tool") == "tool\n");
}

TEST_CASE("ADD of a local tar extracts it; one with ../ entries is refused", "[build]") {
  Dirs d;
  Write(d.base + "/tree/pkg/readme", "read me\n");
  std::string make = "tar -C " + d.base + "/tree -cf " + d.context + "/pkg.tar pkg";
  REQUIRE(std::system(make.c_str()) == 0);
  auto planned = PlanOf("FROM scratch\nADD pkg.tar /opt/\n", d.context);
  REQUIRE(planned);
  REQUIRE(CopyFromContext(CopyStep(planned->plan), d.context, d.root, d.scratch));
  CHECK(Read(d.root + "/opt/pkg/readme") == "read me\n");

  std::string evil = "tar -C " + d.base + "/tree -cf " + d.context +
                     "/evil.tar --transform 's,^pkg,../../escape,' pkg";
  REQUIRE(std::system(evil.c_str()) == 0);
  auto bad = PlanOf("FROM scratch\nADD evil.tar /opt/\n", d.context);
  REQUIRE(bad);
  fs::create_directories(d.scratch + "/2");
  Status refused = CopyFromContext(CopyStep(bad->plan), d.context, d.root, d.scratch + "/2");
  CHECK_FALSE(refused);
  CHECK_FALSE(fs::exists(d.base + "/escape"));
}

// Writes an archive at `path` (`mode` is python tarfile's: "w", "w:gz", "w:bz2", "w:xz") from
// python statements over f(name, data, mode, uid, gid, mtime), d(name, ...), l(name, target),
// h(name, target), c(name) (a char device) and p(name) (a fifo).
void MakeArchive(const std::string& path, const std::string& mode, const std::string& body) {
  std::string script = R"(import io, sys, tarfile
t = tarfile.open(sys.argv[1], sys.argv[2], format=tarfile.PAX_FORMAT)
def add(name, kind, data=b'', target='', mode=0o644, uid=0, gid=0, mtime=1000000000):
    ti = tarfile.TarInfo(name)
    ti.type, ti.size, ti.linkname = kind, len(data), target
    ti.mode, ti.uid, ti.gid, ti.mtime = mode, uid, gid, mtime
    if kind == tarfile.CHRTYPE:
        ti.devmajor, ti.devminor = 1, 3
    t.addfile(ti, io.BytesIO(data) if data else None)
def f(name, data=b'x', mode=0o644, uid=0, gid=0, mtime=1000000000):
    add(name, tarfile.REGTYPE, data, '', mode, uid, gid, mtime)
def d(name, mode=0o755, uid=0, gid=0, mtime=1000000000):
    add(name, tarfile.DIRTYPE, b'', '', mode, uid, gid, mtime)
def l(name, target): add(name, tarfile.SYMTYPE, target=target, mode=0o777)
def h(name, target): add(name, tarfile.LNKTYPE, target=target)
def c(name): add(name, tarfile.CHRTYPE)
def p(name): add(name, tarfile.FIFOTYPE)
)" + body + "\nt.close()\n";
  std::string script_path = path + ".py";
  Write(script_path, script);
  REQUIRE(std::system(("python3 " + script_path + " " + path + " " + mode).c_str()) == 0);
  fs::remove(script_path);
}

// The ADD step of `dockerfile` over `d.context`, run into `d.root`.
Status RunAdd(const Dirs& d, const std::string& dockerfile) {
  auto planned = PlanOf(dockerfile, d.context);
  REQUIRE(planned);
  return CopyFromContext(CopyStep(planned->plan), d.context, d.root, d.scratch);
}

struct stat Lstat(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st;
}

TEST_CASE("ADD extracts xz and bzip2 tars, as Docker does", "[build]") {
  Dirs d;
  MakeArchive(d.context + "/a.tar.xz", "w:xz", "d('pkg')\nf('pkg/readme', b'from xz\\n')");
  MakeArchive(d.context + "/b.tar.bz2", "w:bz2", "f('notes/b.txt', b'from bzip2\\n')");
  Status xz = RunAdd(d, "FROM scratch\nADD a.tar.xz /x/\n");
  INFO((xz ? "" : xz.Error().message));
  REQUIRE(xz);
  CHECK(Read(d.root + "/x/pkg/readme") == "from xz\n");
  CHECK_FALSE(fs::exists(d.root + "/x/a.tar.xz"));
  Status bz2 = RunAdd(d, "FROM scratch\nADD b.tar.bz2 /y\n");
  INFO((bz2 ? "" : bz2.Error().message));
  REQUIRE(bz2);
  CHECK(Read(d.root + "/y/notes/b.txt") == "from bzip2\n");
  // Into the image root itself.
  Status root = RunAdd(d, "FROM scratch\nADD b.tar.bz2 /\n");
  INFO((root ? "" : root.Error().message));
  REQUIRE(root);
  CHECK(Read(d.root + "/notes/b.txt") == "from bzip2\n");
}

TEST_CASE("ADD copies a compressed file that is not a tar as a file", "[build]") {
  Dirs d;
  Write(d.base + "/notes.txt", "just text\n");
  REQUIRE(std::system(
              ("gzip -c " + d.base + "/notes.txt > " + d.context + "/notes.txt.gz").c_str()) == 0);
  Status added = RunAdd(d, "FROM scratch\nADD notes.txt.gz /docs/\n");
  INFO((added ? "" : added.Error().message));
  REQUIRE(added);
  CHECK(fs::is_regular_file(d.root + "/docs/notes.txt.gz"));
}

TEST_CASE("ADD keeps the archive's owners, modes and mtimes; --chown owns every entry", "[build]") {
  if (::geteuid() != 0) {
    WARN("SKIPPED: ADD sets owners: needs root");
    return;
  }
  Dirs d;
  MakeArchive(d.context + "/app.tar.gz", "w:gz",
              "d('app', mode=0o750, uid=1000, gid=1001, mtime=1200000000)\n"
              "f('app/run.sh', b'#!/bin/sh\\n', mode=0o4755, uid=1000, gid=1001, "
              "mtime=1300000000)\n"
              "l('app/link', 'run.sh')\n");
  Write(d.root + "/etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:2000:2001::/home/app:/bin/sh\n");
  Write(d.root + "/etc/group", "root:x:0:\nstaff:x:50:\n");
  REQUIRE(RunAdd(d, "FROM scratch\nADD app.tar.gz /srv/\n"));
  struct stat dir = Lstat(d.root + "/srv/app");
  CHECK(dir.st_uid == 1000);
  CHECK(dir.st_gid == 1001);
  CHECK((dir.st_mode & 07777) == 0750);
  CHECK(dir.st_mtim.tv_sec == 1200000000);
  struct stat file = Lstat(d.root + "/srv/app/run.sh");
  CHECK(file.st_uid == 1000);
  CHECK(file.st_gid == 1001);
  CHECK((file.st_mode & 07777) == 04755);
  CHECK(file.st_mtim.tv_sec == 1300000000);

  REQUIRE(RunAdd(d, "FROM scratch\nADD --chown=app:staff app.tar.gz /opt/\n"));
  for (const char* path : {"/opt/app", "/opt/app/run.sh", "/opt/app/link"}) {
    INFO(path);
    struct stat st = Lstat(d.root + path);
    CHECK(st.st_uid == 2000);
    CHECK(st.st_gid == 50);
  }
  CHECK((Lstat(d.root + "/opt/app").st_mode & 07777) == 0750);
  CHECK(Lstat(d.root + "/opt/app/run.sh").st_mtim.tv_sec == 1300000000);
}

TEST_CASE("ADD keeps hard links as one inode and .wh. names as ordinary files", "[build]") {
  Dirs d;
  MakeArchive(d.context + "/t.tar", "w",
              "f('pkg/a', b'shared\\n')\nh('pkg/b', 'pkg/a')\n"
              "f('pkg/.wh.keepme', b'not a whiteout\\n')\nf('pkg/.wh..wh..opq', b'me neither\\n')\n"
              "p('pkg/fifo')");
  // A file already in the image next to the `.wh.` name: ADD never deletes it.
  Write(d.root + "/dst/pkg/keepme", "in the image\n");
  Status added = RunAdd(d, "FROM scratch\nADD t.tar /dst/\n");
  INFO((added ? "" : added.Error().message));
  REQUIRE(added);
  struct stat a = Lstat(d.root + "/dst/pkg/a");
  struct stat b = Lstat(d.root + "/dst/pkg/b");
  CHECK(a.st_ino == b.st_ino);
  CHECK(a.st_nlink == 2);
  CHECK(Read(d.root + "/dst/pkg/b") == "shared\n");
  CHECK(S_ISREG(Lstat(d.root + "/dst/pkg/.wh.keepme").st_mode));
  CHECK(Read(d.root + "/dst/pkg/.wh.keepme") == "not a whiteout\n");
  CHECK(Read(d.root + "/dst/pkg/.wh..wh..opq") == "me neither\n");
  CHECK(Read(d.root + "/dst/pkg/keepme") == "in the image\n");
  CHECK(S_ISFIFO(Lstat(d.root + "/dst/pkg/fifo").st_mode));
}

TEST_CASE("ADD refuses hostile archives and changes nothing outside the destination root",
          "[build]") {
  Dirs d;
  std::string outside = d.base + "/outside";
  Write(outside + "/secret", "host secret\n");
  // The image has a symlink in the destination that leads out of the root on the host.
  fs::create_directories(d.root + "/dst");
  fs::create_symlink(outside, d.root + "/dst/hostlink");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"dotdot", "f('../../outside/secret', b'pwned')"},
      {"dotdot-inside", "f('a/../../outside/secret', b'pwned')"},
      {"absolute", "f('" + outside + "/secret', b'pwned')"},
      {"symlink-write", "l('esc', '" + outside + "')\nf('esc/secret', b'pwned')"},
      {"symlink-rel", "l('esc', '../../../outside')\nf('esc/new', b'pwned')"},
      {"image-symlink", "f('hostlink/secret', b'pwned')"},
      {"hardlink-out", "h('h', '" + outside + "/secret')"},
      {"hardlink-dotdot", "h('h', '../../outside/secret')"},
      {"hardlink-unknown", "h('h', 'never/extracted')"},
      {"device", "c('null')"},
  };
  for (const auto& [name, body] : cases) {
    INFO(name);
    MakeArchive(d.context + "/" + name + ".tar", "w", body);
    Status added = RunAdd(d, "FROM scratch\nADD " + name + ".tar /dst/\n");
    CHECK_FALSE(added);
    if (!added) CHECK(added.Error().message.find(name + ".tar") != std::string::npos);
    CHECK(Read(outside + "/secret") == "host secret\n");
    CHECK(fs::directory_iterator(outside) != fs::directory_iterator());
    CHECK_FALSE(fs::exists(outside + "/new"));
    CHECK(Lstat(outside + "/secret").st_nlink == 1);
  }
  CHECK_FALSE(fs::exists(d.root + "/dst/null"));
}

}  // namespace
}  // namespace dockit::runtime
