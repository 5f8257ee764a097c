#include "parser/pragma.hpp"

#include <catch2/catch.hpp>

namespace dockit {
namespace {

using Ids = std::vector<std::string_view>;

TEST_CASE("ignore pragmas: scope, ids and reason", "[parser][pragma]") {
  auto p = ParseIgnorePragma(" dlint ignore=DL3008, apt-pin-versions # the mirror pins");
  REQUIRE(p);
  CHECK(p->scope == IgnorePragma::Scope::kNextInstruction);
  CHECK_FALSE(p->hadolint);
  // The list ends at the first blank: ", apt-pin-versions" is part of the reason.
  CHECK(p->ids == Ids{"DL3008"});
  CHECK(p->reason == "apt-pin-versions # the mirror pins");

  p = ParseIgnorePragma(" hadolint global ignore=DL3008,DL3015");
  REQUIRE(p);
  CHECK(p->scope == IgnorePragma::Scope::kGlobal);
  CHECK(p->hadolint);
  CHECK(p->ids == Ids{"DL3008", "DL3015"});
  CHECK(p->reason.empty());

  p = ParseIgnorePragma(" dlint stage ignore=no-non-root-user#needs port 80 ");
  REQUIRE(p);
  CHECK(p->scope == IgnorePragma::Scope::kStage);
  CHECK(p->ids == Ids{"no-non-root-user"});
  CHECK(p->reason == "needs port 80");

  p = ParseIgnorePragma(" dlint ignore=SC2086 quoting breaks the glob");
  REQUIRE(p);
  CHECK(p->reason == "quoting breaks the glob");
}

TEST_CASE("comments that are not ignore pragmas", "[parser][pragma]") {
  CHECK_FALSE(ParseIgnorePragma(" hadolint is run in CI"));
  CHECK_FALSE(ParseIgnorePragma(" dlint: ignore="));
  CHECK_FALSE(ParseIgnorePragma(" hadolint stage ignore=DL3008"));  // hadolint has no stage form
  CHECK_FALSE(ParseIgnorePragma("dlintignore=DL3008"));
  auto empty = ParseIgnorePragma(" dlint ignore=");
  REQUIRE(empty);
  CHECK(empty->ids.empty());
}

}  // namespace
}  // namespace dockit
