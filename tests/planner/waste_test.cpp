// Where COPY puts context files in the image, and the bytes later layers overwrite or delete.
#include "planner/waste.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "parser/dockerfile_parser.hpp"

namespace dockit::plan {
namespace {

namespace fs = std::filesystem;

struct Context {
  fs::path dir = fs::temp_directory_path() / ("dockit-waste-" + std::to_string(getpid()));
  Context() {
    fs::remove_all(dir);
    fs::create_directories(dir / "src/lib");
    Write("requirements.txt", std::string(100, 'r'));
    Write("src/app.py", std::string(1000, 'a'));
    Write("src/lib/util.py", std::string(10, 'u'));
    Write("big.bin", std::string(50000, 'b'));
  }
  ~Context() { fs::remove_all(dir); }
  void Write(const std::string& path, const std::string& text) {
    std::ofstream(dir / path, std::ios::binary) << text;
  }
  Plan MakePlan(const std::string& dockerfile) {
    auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", dockerfile));
    REQUIRE(tree);
    PlanOptions options;
    options.context_dir = dir.string();
    auto plan = BuildPlan(*tree, options);
    if (!plan) FAIL(plan.Error().message);
    return std::move(plan).Value();
  }
};

std::vector<std::string> ImagePaths(const Plan& plan) {
  std::vector<std::string> out;
  for (const Step& s : plan.steps) {
    for (const PlannedFile& f : s.files) out.push_back(f.image_path);
  }
  return out;
}

using Paths = std::vector<std::string>;

TEST_CASE("COPY puts context files where BuildKit does", "[planner][waste]") {
  Context c;
  CHECK(ImagePaths(c.MakePlan("FROM scratch\nWORKDIR /app\nCOPY requirements.txt .\n")) ==
        Paths{"/app/requirements.txt"});
  CHECK(ImagePaths(c.MakePlan("FROM scratch\nCOPY requirements.txt /r.txt\n")) == Paths{"/r.txt"});
  CHECK(ImagePaths(c.MakePlan("FROM scratch\nCOPY *.txt /d\n")) == Paths{"/d/requirements.txt"});
  CHECK(ImagePaths(c.MakePlan("FROM scratch\nCOPY src/ /app/\n")) ==
        Paths{"/app/app.py", "/app/lib", "/app/lib/util.py"});
  CHECK(ImagePaths(c.MakePlan("FROM scratch\nCOPY ./src/lib /l\n")) == Paths{"/l/util.py"});
  CHECK(ImagePaths(c.MakePlan("FROM scratch\nCOPY requirements.txt big.bin /x\n")) ==
        Paths{"/x/requirements.txt", "/x/big.bin"});
}

TEST_CASE("waste: bytes overwritten or deleted by a later layer", "[planner][waste]") {
  Context c;
  Plan plan = c.MakePlan(
      "FROM scratch\n"
      "COPY big.bin /tmp/big.bin\n"  // deleted below: 50000 bytes stay in this layer
      "COPY src/ /app/\n"            // app.py overwritten below
      "COPY src/app.py /app/app.py\n"
      "RUN rm -f /tmp/big.bin && echo done\n"
      "COPY requirements.txt /r.txt\n");
  Prediction p = Predict(plan, BuildRecord(), PredictOptions{});
  Waste w = ComputeWaste(plan, p);
  CHECK(w.wasted_bytes == 51000);
  REQUIRE(w.files.size() == 2);
  CHECK(w.files[0].path == "/tmp/big.bin");
  CHECK_FALSE(w.files[0].overwritten);
  CHECK(w.files[1].path == "/app/app.py");
  CHECK(w.files[1].overwritten);
  CHECK_FALSE(w.efficiency.has_value());  // the RUN's own size is unknown

  Plan whole = c.MakePlan("FROM scratch\nCOPY src/ /app/\nRUN rm -rf /app\n");
  CHECK(ComputeWaste(whole, Predict(whole, BuildRecord(), PredictOptions{})).wasted_bytes == 1010);

  Plan clean = c.MakePlan("FROM scratch\nCOPY src/ /app/\nCOPY requirements.txt /r.txt\n");
  Prediction cp = Predict(clean, BuildRecord(), PredictOptions{});
  Waste none = ComputeWaste(clean, cp);
  CHECK(none.wasted_bytes == 0);
  REQUIRE(cp.image_size.has_value());
  CHECK(*cp.image_size == 1110);
  CHECK(none.efficiency == 1.0);
}

}  // namespace
}  // namespace dockit::plan
