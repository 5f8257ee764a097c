// Alpine and BusyBox stages (rules/instructions_util.hpp: AlpineLike, ApkAddsBefore) as the
// pipefail rule's message shows them: ash where bash is missing, bash once a package adds it.
#include <catch2/catch.hpp>

#include "linter/engine.hpp"

namespace dockit::lint {
namespace {

std::vector<std::string> PipefailMessages(std::string_view text) {
  LintOptions options;
  options.only.insert("pipefail");
  LintResult result =
      LintDockerfile(std::make_shared<SourceFile>("Dockerfile", std::string(text)), options);
  std::vector<std::string> out;
  for (const Finding& f : result.findings) out.push_back(f.message);
  return out;
}

bool Suggests(const std::string& message, std::string_view shell) {
  return message.find(std::string("[\"") + std::string(shell) + "\"") != std::string::npos;
}

TEST_CASE("pipefail suggests the shell the stage has", "[rules]") {
  const char* pipe = "RUN wget -qO- https://e.com/x.tgz | tar -xz\n";
  struct Case {
    std::string dockerfile;
    std::string_view shell;
  };
  std::vector<Case> cases = {
      {std::string("FROM debian:12\n") + pipe, "/bin/bash"},
      {std::string("FROM alpine:3.20\n") + pipe, "/bin/ash"},
      {std::string("FROM busybox\n") + pipe, "/bin/ash"},
      {std::string("FROM openjdk:8-alpine\n") + pipe, "/bin/ash"},
      // apk says Alpine whatever the image is called, even in a later RUN.
      {std::string("FROM docker:29-cli\n") + pipe + "RUN apk add --no-cache iptables\n",
       "/bin/ash"},
      // Through FROM <stage>.
      {std::string("FROM alpine:3.20 AS base\nFROM base\n") + pipe, "/bin/ash"},
      // bash added before the RUN, here or in the stage it is built from.
      {std::string("FROM alpine:3.20\nRUN apk add --no-cache bash=5.2.26-r0\n") + pipe,
       "/bin/bash"},
      {std::string("FROM alpine:3.20 AS base\nRUN apk --no-cache add curl bash\nFROM base\n") +
           pipe,
       "/bin/bash"},
      // bash added only after the RUN, or only a package whose name starts with bash.
      {std::string("FROM alpine:3.20\n") + pipe + "RUN apk add bash\n", "/bin/ash"},
      {std::string("FROM alpine:3.20\nRUN apk add bash-completion\n") + pipe, "/bin/ash"},
      {std::string("FROM alpine:3.20\nRUN apk add --virtual bash curl\n") + pipe, "/bin/ash"},
  };
  for (const Case& c : cases) {
    INFO(c.dockerfile);
    std::vector<std::string> messages = PipefailMessages(c.dockerfile);
    REQUIRE(messages.size() == 1);
    CHECK(Suggests(messages[0], c.shell));
  }
}

}  // namespace
}  // namespace dockit::lint
