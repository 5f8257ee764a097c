// COPY and ADD into an image root, without a store: what lands where, with which owner and
// mode, and that neither a symlink in the context nor one in the image leads a copy outside.
#include "runtime/copy_step.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace
}  // namespace dockit::runtime
