// The real build end to end on examples/busybox-app, over a busybox base made from Debian's
// busybox-static: every step cached on a rebuild, exactly the misses `dexec plan` predicts
// after a source edit (same reasons), the planner's COPY sizes equal the real layers', RUN
// output streamed, and a failing RUN positioned with nothing tagged.
#include "runtime/build_command.hpp"

#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "parser/dockerfile_parser.hpp"
#include "planner/predict.hpp"
#include "runtime/layer_archive.hpp"
#include "tests/runtime/build_fixture.hpp"

namespace dockit::runtime {
namespace {

using testing::BuildFixture;
using testing::WriteText;

#define REQUIRE_BUILD_FIXTURE(f)                \
  if (auto why = BuildFixture::Unavailable()) { \
    WARN("SKIPPED: " << *why);                  \
    return;                                     \
  }                                             \
  BuildFixture f;                               \
  REQUIRE(f.Ready())

RealBuildRequest Request(const BuildFixture& f, const std::string& context,
                         std::vector<std::string> tags = {"app:1"}) {
  RealBuildRequest request;
  request.context = context;
  request.tags = std::move(tags);
  request.root = f.Root();
  return request;
}

// What `dexec plan` says before the build: the verdict and reason of each step with a number.
std::vector<std::pair<plan::CacheVerdict, std::string>> Predicted(
    const BuildFixture& f, const std::string& context, std::vector<uint64_t>* copy_sizes) {
  std::string error;
  auto file = ReadSourceFile(context + "/Dockerfile", &error);
  REQUIRE(file);
  auto tree = ParseDockerfile(file);
  REQUIRE(tree);
  plan::PlanOptions options;
  options.context_dir = context;
  auto p = plan::BuildPlan(*tree, options);
  REQUIRE(p);
  auto record = f.GetStore().LoadRecord();
  REQUIRE(record);
  plan::PredictOptions predict;
  predict.now = testing::Now();
  predict.context_dir = context;
  plan::Prediction prediction = plan::Predict(*p, *record, predict);
  std::vector<std::pair<plan::CacheVerdict, std::string>> out;
  for (size_t i = 0; i < p->steps.size(); ++i) {
    if (p->steps[i].kind == plan::StepKind::kConfig) continue;
    out.emplace_back(prediction.steps[i].verdict, prediction.steps[i].reason);
    if (copy_sizes && p->steps[i].kind == plan::StepKind::kCopy) {
      REQUIRE(prediction.steps[i].size);
      copy_sizes->push_back(*prediction.steps[i].size);
    }
  }
  return out;
}

TEST_CASE(
    "a real build of the example: cached rebuild, the predicted misses after an edit, "
    "the predicted COPY sizes",
    "[build]") {
  REQUIRE_BUILD_FIXTURE(f);
  std::string ctx = f.Context("busybox-app");
  std::vector<uint64_t> predicted_sizes;
  auto before = Predicted(f, ctx, &predicted_sizes);
  std::ostringstream first;
  auto built = RunRealBuild(Request(f, ctx), f.GetStore(), first);
  INFO(first.str());
  if (!built) FAIL(built.Error().message);
  CHECK(built->cached == 0);  // the first build: even FROM is "never built"
  REQUIRE(built->steps.size() == before.size());
  // The planner's COPY sizes are the real layers' (`docker history` counting).
  std::vector<uint64_t> real_sizes;
  {
    std::string error;
    auto tree = ParseDockerfile(ReadSourceFile(ctx + "/Dockerfile", &error));
    REQUIRE(tree);
    plan::PlanOptions options;
    options.context_dir = ctx;
    auto p = plan::BuildPlan(*tree, options);
    REQUIRE(p);
    for (const plan::StepReport& r : built->steps) {
      if (p->steps[r.step].kind == plan::StepKind::kCopy) real_sizes.push_back(r.size);
    }
  }
  CHECK(real_sizes == predicted_sizes);
  // The RUN's output streamed into the progress as it came; the image is tagged.
  CHECK(first.str().find("naming to docker.io/library/app:1 done") != std::string::npos);
  CHECK(f.GetStore().Resolve("app:1"));

  // No change: every step cached, nothing rebuilt.
  std::ostringstream second;
  auto again = RunRealBuild(Request(f, ctx), f.GetStore(), second);
  REQUIRE(again);
  INFO(second.str());
  CHECK(again->cached == again->steps.size());
  CHECK(second.str().find("rebuilding") == std::string::npos);
  CHECK(again->image.layers.size() == built->image.layers.size());

  // A source edit: the steps the planner predicts to miss are exactly the ones rebuilt, for
  // the same reasons.
  WriteText(ctx + "/src/greeting.txt", "from an edited source\n");
  auto predicted = Predicted(f, ctx, nullptr);
  std::ostringstream third;
  auto edited = RunRealBuild(Request(f, ctx), f.GetStore(), third);
  INFO(third.str());
  REQUIRE(edited);
  REQUIRE(edited->steps.size() == predicted.size());
  size_t misses = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    CHECK(edited->steps[i].verdict == predicted[i].first);
    CHECK(edited->steps[i].reason == predicted[i].second);
    misses += edited->steps[i].verdict == plan::CacheVerdict::kMiss;
  }
  CHECK(misses == 2);  // COPY src/ and the RUN after it
  CHECK(f.GetStore().Check(false).Consistent());
}

TEST_CASE(
    "a real build streams RUN output and fails a RUN with its position, exit code and "
    "last lines, tagging nothing",
    "[build]") {
  REQUIRE_BUILD_FIXTURE(f);
  std::string ctx = f.Context();
  WriteText(ctx + "/Dockerfile",
            "FROM busybox\nRUN echo streamed-one && echo streamed-two\n"
            "RUN echo first && echo second >&2 && exit 3\n");
  std::ostringstream out;
  auto built = RunRealBuild(Request(f, ctx, {"bad:1"}), f.GetStore(), out);
  INFO(out.str());
  REQUIRE_FALSE(built);
  CHECK(out.str().find("#4 streamed-one\n#4 streamed-two\n") != std::string::npos);
  CHECK(out.str().find("#5 first\n") != std::string::npos);
  const Diagnostic& d = built.Error();
  CHECK(d.range.begin.line == 3);
  CHECK(d.message.find("exit code: 3") != std::string::npos);
  CHECK(d.message.find("second") != std::string::npos);
  std::string shown = RenderBuildError(Request(f, ctx), d);
  CHECK(shown.find("Dockerfile:3:1") != std::string::npos);
  CHECK_FALSE(f.GetStore().Resolve("bad:1"));
  CHECK(f.GetStore().Check(false).Consistent());
  // The step before the failure is in the record: the next build reuses it.
  WriteText(ctx + "/Dockerfile", "FROM busybox\nRUN echo streamed-one && echo streamed-two\n");
  std::ostringstream again;
  auto fixed = RunRealBuild(Request(f, ctx, {"bad:1"}), f.GetStore(), again);
  REQUIRE(fixed);
  CHECK(fixed->cached == fixed->steps.size());
}

TEST_CASE("a real build: a missing COPY source and an unknown base are positioned errors",
          "[build]") {
  REQUIRE_BUILD_FIXTURE(f);
  std::string ctx = f.Context();
  WriteText(ctx + "/Dockerfile", "FROM busybox\nCOPY nothere.txt /x\n");
  std::ostringstream out;
  auto missing = RunRealBuild(Request(f, ctx), f.GetStore(), out);
  REQUIRE_FALSE(missing);
  CHECK(missing.Error().range.begin.line == 2);
  CHECK(missing.Error().message.find("nothere.txt") != std::string::npos);
  WriteText(ctx + "/Dockerfile", "FROM alpine:3.20\nRUN true\n");
  auto unknown = RunRealBuild(Request(f, ctx), f.GetStore(), out);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.Error().range.begin.line == 1);
  CHECK(unknown.Error().message.find("dexec import/load it first") != std::string::npos);
  CHECK_FALSE(f.GetStore().Resolve("app:1"));
}

}  // namespace
}  // namespace dockit::runtime

namespace dockit::runtime {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The image's root filesystem, flattened into `dest`.
void Flatten(const BuildFixture& f, const StoredImage& image, const std::string& dest) {
  std::vector<std::string> dirs;
  for (const LayerInfo& layer : image.layers) dirs.push_back(f.GetStore().LayerDir(layer.diff_id));
  std::filesystem::create_directories(dest);
  REQUIRE(FlattenLayers(dirs, dest));
}

TEST_CASE(
    "a real build: COPY --from a stage, --link, --chmod, --chown, a cache mount kept "
    "out of the layer and across builds, WORKDIR for the USER",
    "[build]") {
  REQUIRE_BUILD_FIXTURE(f);
  std::string ctx = f.Context();
  WriteText(ctx + "/a.txt", "a\n");
  WriteText(ctx + "/Dockerfile",
            "FROM busybox AS tools\n"
            "RUN mkdir -p /out && echo tool > /out/tool\n"
            "FROM busybox\n"
            "COPY --from=tools /out/tool /usr/local/bin/tool\n"
            "COPY --link --chmod=0600 a.txt /data/a.txt\n"
            "COPY --chown=nobody:nogroup a.txt /home/a.txt\n"
            "RUN --mount=type=cache,target=/cache sh -c 'echo run >> /cache/runs; "
            "wc -l < /cache/runs > /count'\n"
            "USER nobody\n"
            "WORKDIR /work\n");
  std::ostringstream out;
  auto built = RunRealBuild(Request(f, ctx), f.GetStore(), out);
  INFO(out.str());
  if (!built) FAIL(built.Error().message);
  std::string rootfs = f.Dir() + "/flat1";
  Flatten(f, built->image, rootfs);
  CHECK(ReadAll(rootfs + "/usr/local/bin/tool") == "tool\n");
  struct stat st {};
  REQUIRE(::lstat((rootfs + "/data/a.txt").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  REQUIRE(::lstat((rootfs + "/home/a.txt").c_str(), &st) == 0);
  CHECK(st.st_uid == 65534);
  CHECK(st.st_gid == 65534);
  CHECK(ReadAll(rootfs + "/count") == "1\n");
  CHECK_FALSE(std::filesystem::exists(rootfs + "/cache/runs"));
  REQUIRE(::lstat((rootfs + "/work").c_str(), &st) == 0);
  CHECK(st.st_uid == 65534);
  CHECK(built->image.config.user == "nobody");

  RealBuildRequest again = Request(f, ctx);
  again.no_cache = true;
  auto rebuilt = RunRealBuild(again, f.GetStore(), out);
  REQUIRE(rebuilt);
  std::string second = f.Dir() + "/flat2";
  Flatten(f, rebuilt->image, second);
  CHECK(ReadAll(second + "/count") == "2\n");  // the cache mount kept the first run's line
}

}  // namespace
}  // namespace dockit::runtime
