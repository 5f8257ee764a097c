#include "planner/chown_spec.hpp"

#include <catch2/catch.hpp>

using dockit::plan::ResolveChown;

namespace {
constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n";
constexpr const char* kGroup = "root:x:0:\nstaff:x:50:app\napp:x:1001:\n";
}  // namespace

TEST_CASE("chown specs resolve through passwd and group as BuildKit does", "[planner]") {
  auto owner = ResolveChown("app", kPasswd, kGroup);
  REQUIRE(owner.Ok());
  CHECK(owner->uid == 1000);
  CHECK(owner->gid == 1001);  // the passwd entry's primary group
  owner = ResolveChown("app:staff", kPasswd, kGroup);
  REQUIRE(owner.Ok());
  CHECK(owner->gid == 50);
  owner = ResolveChown("1000", kPasswd, kGroup);  // numeric, with an entry: its group
  REQUIRE(owner.Ok());
  CHECK(owner->gid == 1001);
  owner = ResolveChown("4242:7", kPasswd, kGroup);  // numeric ids need no entry
  REQUIRE(owner.Ok());
  CHECK((owner->uid == 4242 && owner->gid == 7));
  owner = ResolveChown("4242", kPasswd, kGroup);
  REQUIRE(owner.Ok());
  CHECK(owner->gid == 0);
  auto missing = ResolveChown("ghost", kPasswd, kGroup);
  REQUIRE_FALSE(missing.Ok());
  CHECK(missing.Error().message == "unable to find user ghost: no matching entries in passwd file");
  missing = ResolveChown("app:ghosts", kPasswd, kGroup);
  REQUIRE_FALSE(missing.Ok());
  CHECK(missing.Error().message ==
        "unable to find group ghosts: no matching entries in group file");
}
