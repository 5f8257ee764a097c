// Loading never fails badly: random compose-like text (built from the keys and punctuation the
// loader reads) either loads, with a start order covering every enabled service, or fails with
// an error inside the file that holds it.
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <catch2/catch.hpp>

#include "tests/sim/compose_test_util.hpp"

namespace dockit::sim {
namespace {

const std::vector<std::string> kTokens = {"services:\n",
                                          "  web:\n",
                                          "  db:\n",
                                          "    image: ",
                                          "app",
                                          "    build: .\n",
                                          "    depends_on: ",
                                          "[db]",
                                          "[web]",
                                          "\n      db:\n        condition: ",
                                          "service_healthy",
                                          "    ports: ",
                                          "[\"8080:80\"]",
                                          "[\"80\"]",
                                          "[\"x:y\"]",
                                          "    volumes: ",
                                          "[\"data:/d\"]",
                                          "[\"./h:/h:ro\"]",
                                          "volumes:\n  data:\n",
                                          "networks:\n  n:\n",
                                          "    networks: [n]\n",
                                          "    command: ",
                                          "echo 'a b'",
                                          "    healthcheck:\n      test: ",
                                          "[\"CMD\", \"true\"]",
                                          "      interval: ",
                                          "1m30s",
                                          "10",
                                          "    profiles: [debug]\n",
                                          "    environment: ",
                                          "{A: 1}",
                                          "[A=1, B]",
                                          "    env_file: x.env\n",
                                          "${V:-1}",
                                          "${V:?no}",
                                          "$$",
                                          "${",
                                          "\n",
                                          " ",
                                          ":",
                                          "- ",
                                          "{",
                                          "}",
                                          "[",
                                          "]",
                                          "\"",
                                          "'",
                                          "#",
                                          "    extends: web\n",
                                          "name: Proj\n",
                                          "    restart: ",
                                          "always",
                                          "never"};

TEST_CASE("property: compose loading returns a project or a positioned error",
          "[sim][compose][property]") {
  rc::prop("random compose text", [] {
    auto parts =
        *rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, kTokens.size()));
    std::string text;
    for (size_t i : parts) text += kTokens[i];
    testing::ProjectDir dir("p");
    dir.Write("compose.yaml", text);
    std::shared_ptr<const SourceFile> file;
    ComposeLoadOptions options;
    options.error_file = &file;
    auto project = LoadComposeProject(dir.Path(), {}, "", {}, options);
    if (project) {
      RC_ASSERT(project->StartOrder().size() == project->services.size());
      RC_ASSERT(project->ServicesToStart({}).Ok() || !project->disabled_services.empty());
    } else {
      // Every error of a one-file project without env files is in that file.
      RC_ASSERT(file != nullptr);
      RC_ASSERT(project.Error().range.end.offset <= file->Text().size());
      RC_ASSERT(project.Error().range.begin.offset <= project.Error().range.end.offset);
    }
  });
}

}  // namespace
}  // namespace dockit::sim
