// The real image against the simulator's, file by file: examples/busybox-app built by the real
// runtime, saved as an OCI archive, copied by skopeo into an OCI layout and unpacked by umoci,
// then every path the Dockerfile's own layers touch compared (kind, mode, owner, size,
// content digest, symlink target; deleted paths absent) with the simulator's image of the same
// Dockerfile. The base differs on purpose: the real one is Debian's busybox-static, the
// simulator's its catalogue busybox:latest (a stand-in with the files that matter), so only
// what the Dockerfile adds is compared. Skipped visibly without root, overlayfs, busybox,
// skopeo or umoci.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>

#include "planner/digest.hpp"
#include "runtime/build_command.hpp"
#include "sim/build_command.hpp"
#include "tests/runtime/build_fixture.hpp"

namespace dockit::runtime {
namespace {

namespace fs = std::filesystem;
using testing::BuildFixture;

bool Have(const char* tool) {
  return std::system(("command -v " + std::string(tool) + " >/dev/null 2>&1").c_str()) == 0;
}

// One path as both sides describe it.
std::string Describe(sim::NodeKind kind, uint32_t mode, uint32_t uid, uint32_t gid, uint64_t size,
                     const std::string& digest, const std::string& target) {
  std::ostringstream out;
  switch (kind) {
    case sim::NodeKind::kDirectory:
      out << "dir " << std::oct << mode << std::dec << " " << uid << ":" << gid;
      break;
    case sim::NodeKind::kSymlink:
      out << "symlink -> " << target << " " << uid << ":" << gid;
      break;
    case sim::NodeKind::kFile:
      out << "file " << std::oct << mode << std::dec << " " << uid << ":" << gid << " " << size
          << " " << digest;
      break;
  }
  return out.str();
}

std::string DescribeOnDisk(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "absent";
  uint32_t mode = st.st_mode & 07777;
  if (S_ISDIR(st.st_mode))
    return Describe(sim::NodeKind::kDirectory, mode, st.st_uid, st.st_gid, 0, "", "");
  if (S_ISLNK(st.st_mode)) {
    return Describe(sim::NodeKind::kSymlink, mode, st.st_uid, st.st_gid, 0, "",
                    fs::read_symlink(path).string());
  }
  std::string error;
  std::string digest = plan::Sha256OfFile(path, &error).value_or("?");
  return Describe(sim::NodeKind::kFile, mode, st.st_uid, st.st_gid,
                  static_cast<uint64_t>(st.st_size), digest, "");
}

TEST_CASE(
    "the real image, through skopeo and umoci, has the simulator's files for the "
    "Dockerfile's layers",
    "[build]") {
  if (auto why = BuildFixture::Unavailable()) {
    WARN("SKIPPED: " << *why);
    return;
  }
  if (!Have("skopeo") || !Have("umoci")) {
    FAIL("skopeo or umoci is not installed (scripts/setup.sh installs both)");
  }
  BuildFixture f;
  REQUIRE(f.Ready());
  std::string ctx = f.Context("busybox-app");

  // The simulator's image.
  sim::LayerStore layers;
  sim::TextStore texts;
  plan::BuildRecord record;
  sim::BuildWorld world{layers, texts, record, testing::Now(),
                        sim::CatalogueResolver(layers, texts)};
  sim::BuildRequest sim_request;
  sim_request.context = ctx;
  std::ostringstream sim_out;
  auto simulated = sim::RunBuild(sim_request, world, sim_out);
  if (!simulated) FAIL(simulated.Error().message);
  auto base = world.resolve_base("busybox");
  REQUIRE(base);
  size_t sim_base_layers = base->layers.size();

  // The real one, saved and unpacked by the tools.
  RealBuildRequest request;
  request.context = ctx;
  request.tags = {"app:cmp"};
  request.root = f.Root();
  std::ostringstream real_out;
  auto built = RunRealBuild(request, f.GetStore(), real_out);
  INFO(real_out.str());
  if (!built) FAIL(built.Error().message);
  std::string archive = f.Dir() + "/app.tar";
  REQUIRE(SaveArchive(f.GetStore(), {"app:cmp"}, archive));
  std::string oci = f.Dir() + "/oci";
  std::string bundle = f.Dir() + "/bundle";
  REQUIRE(std::system(("skopeo inspect oci-archive:" + archive + " >/dev/null").c_str()) == 0);
  REQUIRE(std::system(("skopeo copy -q oci-archive:" + archive + " oci:" + oci + ":app").c_str()) ==
          0);
  REQUIRE(std::system(("umoci unpack --image " + oci + ":app " + bundle + " >/dev/null").c_str()) ==
          0);
  std::string rootfs = bundle + "/rootfs";

  // Every path the Dockerfile's own layers touch, as the simulator's image has it.
  std::set<std::string> touched;
  const auto& stack = simulated->image.layers.Layers();
  REQUIRE(stack.size() > sim_base_layers);
  REQUIRE(stack.size() - sim_base_layers == built->image.layers.size() - 1);
  for (size_t i = sim_base_layers; i < stack.size(); ++i) {
    for (const plan::FileChange& c : stack[i]->changes) touched.insert(c.path);
  }
  REQUIRE(touched.size() > 5);
  const sim::Tree& view = simulated->image.layers.View();
  for (const std::string& path : touched) {
    const sim::Node* node = view.Find(path);
    std::string expected = node ? Describe(node->kind, node->mode, node->uid, node->gid, node->size,
                                           node->digest, node->target)
                                : "absent";
    INFO(path);
    CHECK(DescribeOnDisk(rootfs + path) == expected);
  }
  // And the other way: nothing in the real image beyond the base that the simulator's layers
  // do not have (a mount stub, a leaked temporary file, a wrong whiteout would show here).
  std::set<std::string> base_paths;
  std::string base_dir = f.GetStore().LayerDir(built->image.layers[0].diff_id);
  for (auto it = fs::recursive_directory_iterator(base_dir); it != fs::end(it); ++it) {
    base_paths.insert("/" + fs::relative(it->path(), base_dir).string());
  }
  size_t extra_checked = 0;
  for (auto it = fs::recursive_directory_iterator(rootfs); it != fs::end(it); ++it) {
    std::string path = "/" + fs::relative(it->path(), rootfs).string();
    if (base_paths.count(path)) continue;
    INFO("in the real image only: " << path);
    CHECK(touched.count(path) == 1);
    ++extra_checked;
  }
  CHECK(extra_checked > 5);
}

}  // namespace
}  // namespace dockit::runtime
