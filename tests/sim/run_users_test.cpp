// The RUN model's users and groups: useradd/groupadd and adduser/addgroup edit the account
// files as text, chown resolves the new names, the layer holds exactly those changes.
#include <catch2/catch.hpp>

#include "tests/sim/run_test_util.hpp"
#include "tests/sim/sim_test_util.hpp"

namespace dockit::sim {
namespace {

using testing::RunWorld;

TEST_CASE("run model: useradd, then chown app:app, then the layer", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run(
      "groupadd -r app && useradd -r -g app -m -d /home/app app && "
      "mkdir /x && chown app:app /x");
  REQUIRE(a.exit_code == 0);
  CHECK(a.output.empty());
  std::string passwd = w.Text("/etc/passwd");
  CHECK(passwd.ends_with("app:x:999:999::/home/app:/bin/sh\n"));
  CHECK(w.Text("/etc/group").ends_with("app:x:999:\n"));
  CHECK(w.Text("/etc/shadow").ends_with("app:!:19996:0:99999:7:::\n"));
  CHECK(w.At("/x")->uid == 999);
  CHECK(w.At("/x")->gid == 999);
  CHECK(w.At("/home/app")->uid == 999);

  std::vector<std::string> shown;
  for (const plan::FileChange& c : w.layer->Diff().changes) shown.push_back(testing::Show(c));
  CHECK(shown == std::vector<std::string>{
                     "dir /etc 755 0:0",
                     "file /etc/group 644 0:0 445",
                     "file /etc/passwd 644 0:0 872",
                     "file /etc/shadow 640 0:0 40",
                     "dir /home 755 0:0",
                     "dir /home/app 755 999:999",
                     "dir /var 755 0:0",
                     "dir /var/log 755 0:0",
                     "file /var/log/faillog 644 0:0 32000",
                     "file /var/log/lastlog 664 0:43 292000",
                     "dir /x 755 999:999",
                 });

  // A user of its own group, the next regular uid.
  RunOutcome b = w.Run("useradd -m web && id web");
  CHECK(b.exit_code == 0);
  CHECK(b.output == "uid=1000(web) gid=1000(web) groups=1000(web)\n");
  RunOutcome c = w.Run("useradd web");
  CHECK(c.exit_code == 9);
  CHECK(c.output == "useradd: user 'web' already exists\n");
  RunOutcome d = w.Run("useradd -g nogroup2 x");
  CHECK(d.exit_code == 6);
  CHECK(d.output == "useradd: group 'nogroup2' does not exist\n");
  CHECK(w.Run("groupadd app").output == "groupadd: group 'app' already exists\n");

  // The user a later step runs as.
  w.context.user = "web";
  CHECK(w.Run("whoami && touch /home/web/f").output == "web\n");
  CHECK(w.At("/home/web/f")->uid == 1000);
}

TEST_CASE("run model: useradd without -l writes lastlog and faillog up to the uid", "[sim][run]") {
  // hadolint's DL3046: the records sit at offset uid * size, and a layer holds the full length.
  RunWorld w;
  REQUIRE(w.Run("useradd -l -u 100000000 quiet").exit_code == 0);
  CHECK(w.At("/var/log/lastlog") == nullptr);
  REQUIRE(w.Run("useradd -u 100000001 big").exit_code == 0);
  CHECK(w.At("/var/log/lastlog")->size == 100000002ull * 292);
  CHECK(w.At("/var/log/faillog")->size == 100000002ull * 32);
  CHECK(w.LayerBytes() > 29'000'000'000ull);
}

TEST_CASE("run model: busybox adduser and addgroup", "[sim][run]") {
  RunWorld w("alpine:3.20");
  RunOutcome a = w.Run("addgroup -S app && adduser -S -G app app && chown app:app /tmp");
  REQUIRE(a.exit_code == 0);
  CHECK(w.Text("/etc/group").ends_with("app:x:101:\n"));
  CHECK(w.Text("/etc/passwd").ends_with("app:x:100:101:Linux User,,,:/home/app:/sbin/nologin\n"));
  CHECK(w.At("/home/app")->uid == 100);
  CHECK(w.At("/tmp")->gid == 101);
  RunOutcome b = w.Run("useradd x");
  CHECK(b.exit_code == 127);
  CHECK(b.output == "/bin/sh: useradd: not found\n");
  RunOutcome c = w.Run("adduser -D -u 1000 node2 && id -u node2");
  CHECK(c.output == "1000\n");
  CHECK(w.Text("/etc/group").ends_with("node2:x:1000:\n"));
}

TEST_CASE("run model: Debian's adduser", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("adduser --disabled-password --gecos '' app");
  REQUIRE(a.exit_code == 0);
  CHECK(w.Text("/etc/passwd").ends_with("app:x:1000:1000::/home/app:/bin/bash\n"));
  CHECK(w.At("/home/app") != nullptr);
  RunOutcome b = w.Run("adduser --system --no-create-home svc");
  REQUIRE(b.exit_code == 0);
  CHECK(w.Text("/etc/passwd").ends_with("svc:x:100:65534::/nonexistent:/usr/sbin/nologin\n"));
}

}  // namespace
}  // namespace dockit::sim
