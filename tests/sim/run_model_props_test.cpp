// A property of the RUN model: random scripts from a small grammar of file commands, joined by
// ;, && and ||, never crash, exit with a status a shell can give, and leave a working layer
// whose diff, pushed onto the base image, gives the working layer's view; the same script on
// the same base always gives the same diff_id and output.
#include <string>
#include <vector>

#include <rapidcheck.h>
#include <rapidcheck/catch.h>
#include <catch2/catch.hpp>

#include "planner/run_size.hpp"
#include "tests/sim/run_test_util.hpp"

namespace dockit::sim {
namespace {

using testing::RunWorld;

rc::Gen<std::string> GenPath() {
  return rc::gen::element<std::string>("/a", "/a/b", "/a/b/c", "/c", "a", "b/c", "/tmp/x",
                                       "/etc/passwd", "/etc", "/usr/bin/sh", "/l", "..");
}

rc::Gen<std::string> GenCommand() {
  return rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 27), GenPath(), GenPath(),
                                     rc::gen::element<std::string>("x", "hello", "")),
                      [](const std::tuple<int, std::string, std::string, std::string>& t) {
                        const auto& [kind, p, q, word] = t;
                        switch (kind) {
                          case 0:
                            return "mkdir " + p;
                          case 1:
                            return "mkdir -p " + p;
                          case 2:
                            return "touch " + p;
                          case 3:
                            return "echo " + word + " > " + p;
                          case 4:
                            return "echo " + word + " >> " + p;
                          case 5:
                            return "rm " + p;
                          case 6:
                            return "rm -rf " + p;
                          case 7:
                            return "cp " + p + " " + q;
                          case 8:
                            return "cp -r " + p + " " + q;
                          case 9:
                            return "mv " + p + " " + q;
                          case 10:
                            return "ln -s " + p + " " + q;
                          case 11:
                            return "chmod 700 " + p;
                          case 12:
                            return "chown -R 1:1 " + p;
                          case 13:
                            return "cd " + p;
                          case 14:
                            return "cat " + p + " > " + q;
                          case 15:
                            return "head -c 1K /dev/zero > " + p;
                          case 16:
                            return "ln -sf " + p + " " + q;
                          case 17:
                            return "rm -rf " + p + "/*";
                          case 18:
                            return "cp -a " + p + " " + q;
                          case 19:
                            return "chmod -R go-w " + p;
                          case 20:
                            return "mkdir -m 700 " + p;
                          case 21:
                            return "sh -c 'touch " + p + "'";
                          case 22:
                            return "echo $HOME > " + p;
                          case 23:
                            return std::string("useradd -m u1");
                          case 24:
                            return "chown u1 " + p;
                          case 25:
                            return "mv " + p + " /usr/local/bin/";
                          default:
                            return "cat " + p + " | tee " + q;
                        }
                      });
}

std::string GenScript() {
  const std::vector<std::string> commands =
      *rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(GenCommand()));
  std::string script;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (i > 0) script += *rc::gen::element<std::string>("; ", " && ", " || ", "\n");
    script += commands[i];
  }
  return script;
}

TEST_CASE("run model: random file scripts keep the layer consistent", "[sim][run][property]") {
  rc::prop("diff squashes to the view, deterministically", [] {
    const std::string image = *rc::gen::element<std::string>("debian:bookworm-slim", "alpine:3.20");
    const std::string script = GenScript();
    RC_TAG(image);
    RunWorld w(image);
    RunOutcome outcome = w.Run(script);
    RC_ASSERT(outcome.exit_code >= 0);
    RC_ASSERT(outcome.exit_code <= 255);
    // Only useradd may be opaque: when an earlier command replaced /etc/passwd with something
    // whose text the model does not hold.
    for (const std::string& o : outcome.opaque) RC_ASSERT(o.starts_with("useradd"));
    RC_CLASSIFY(outcome.exit_code == 0, "exit 0");
    RC_CLASSIFY(outcome.exit_code == 127, "not found");

    plan::Layer diff = w.layer->Diff();
    Result<LayerStack> squashed = w.image->layers.Push(diff);
    if (!squashed.Ok()) RC_FAIL("diff refused: " + squashed.Error().message);
    RC_ASSERT(squashed->View() == w.layer->View());

    RunWorld again(image);
    RunOutcome second = again.Run(script);
    RC_ASSERT(second.output == outcome.output);
    RC_ASSERT(second.exit_code == outcome.exit_code);
    RC_ASSERT(again.layer->Diff().diff_id == diff.diff_id);
  });
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

// Sized-file scripts: the planner's prediction equals the layer the model produces.
rc::Gen<std::string> GenSizedCommand() {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::inRange(0, 8),
                     rc::gen::element<std::string>("/tmp/a", "/tmp/b", "a", "b", "/srv.bin",
                                                   "/tmp/../tmp/a", "./b"),
                     rc::gen::element<std::string>("0", "1", "7", "1K", "3K", "2M", "1KB")),
      [](const std::tuple<int, std::string, std::string>& t) {
        const auto& [kind, file, size] = t;
        switch (kind) {
          case 0:
            return "head -c " + size + " /dev/zero > " + file;
          case 1:
            return "head -c " + size + " /dev/urandom >> " + file;
          case 2:
            return "dd if=/dev/zero of=" + file + " bs=" + size + " count=2";
          case 3:
            return "dd if=/dev/urandom bs=1K count=" + size.substr(0, 1) + " > " + file;
          case 4:
            return "fallocate -l " + size + " " + file;
          case 5:
            return "truncate -s " + size + " " + file;
          case 6:
            return std::string("cd /tmp");
          default:
            return std::string("echo ") + size;
        }
      });
}

TEST_CASE("run model: the planner's size of random sized-file scripts is the layer's",
          "[sim][run][planner][property]") {
  rc::prop("KnownRunSize equals the diff's size", [] {
    const std::vector<std::string> commands =
        *rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(GenSizedCommand()));
    std::string script;
    for (size_t i = 0; i < commands.size(); ++i) {
      if (i > 0) script += *rc::gen::element<std::string>("; ", " && ", "\n");
      script += commands[i];
    }
    ShellScript view = ParseShell(script);
    std::optional<plan::RunSize> predicted = plan::KnownRunSize(view, "/tmp");
    if (!predicted) RC_DISCARD("the planner does not size it (dd bs=0)");
    RunWorld w(*rc::gen::element<std::string>("debian:bookworm-slim", "alpine:3.20"));
    w.context.workdir = "/tmp";
    RunOutcome outcome = RunScript(view, w.context);
    RC_ASSERT(outcome.exit_code == 0);
    RC_ASSERT(outcome.opaque.empty());
    RC_ASSERT(w.LayerBytes() == predicted->bytes);
  });
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

// Syntax the model does not run (if, loops, subshells, substitutions) mixed with what it runs:
// never a crash, and the layer stays consistent.
TEST_CASE("run model: scripts with unmodelled syntax stay consistent", "[sim][run][property]") {
  rc::prop("no crash, diff squashes to the view", [] {
    const std::vector<std::string> commands =
        *rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(rc::gen::oneOf(
            GenCommand(),
            rc::gen::element<std::string>(
                "if [ -d /a ]; then touch /a/i; fi", "(cd /a && touch s)", "X=$(ls /)", "touch /$X",
                "for i in a b; do touch /tmp/$i; done", "echo ${HOME%/*} > /h",
                "{ echo a; echo b; } > /g", "case x in x) touch /k;; esac", "f() { rm -rf /; }",
                "false | tee /p", "set -e", "set -u", "set -x", "exit 3", "cat <<EOF > /hd\na\nEOF",
                "echo $((1+2)) > /n", "sh -c 'exit 4'", "export A=1 B", "unset A", "cd -",
                "mkdir -p ~/x", "ls -la / > /dev/null", "command -v nope", "apt-get update",
                "apt-get install -y curl", "whoami >> /w", "id -u", "printf '%s\\n' a b >&2"))));
    std::string script;
    for (size_t i = 0; i < commands.size(); ++i) {
      if (i > 0) script += *rc::gen::element<std::string>("; ", " && ", " || ", "\n", " | ");
      script += commands[i];
    }
    const std::string image = *rc::gen::element<std::string>("debian:bookworm-slim", "alpine:3.20");
    RunWorld w(image);
    RunOutcome outcome = w.Run(script);
    RC_ASSERT(outcome.exit_code >= 0);
    RC_ASSERT(outcome.exit_code <= 255);
    RC_CLASSIFY(!outcome.opaque.empty(), "opaque commands");
    plan::Layer diff = w.layer->Diff();
    Result<LayerStack> squashed = w.image->layers.Push(diff);
    if (!squashed.Ok()) RC_FAIL("diff refused: " + squashed.Error().message);
    RC_ASSERT(squashed->View() == w.layer->View());
  });
}

}  // namespace
}  // namespace dockit::sim
