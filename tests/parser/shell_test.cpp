#include "parser/shell.hpp"

#include <rapidcheck.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>

#include "tests/parser/test_support.hpp"

namespace dockit {
namespace {

using testing::MustParse;
using testing::ReadFile;
using testing::SharedDir;

std::vector<std::string> Argv(const ShellCommand& cmd) {
  std::vector<std::string> out;
  for (const ShellWord& w : cmd.argv) out.emplace_back(w.value);
  return out;
}

std::vector<std::string> Argv(const CommandView& view) {
  std::vector<std::string> out;
  for (const ShellWord& w : view.argv) out.emplace_back(w.value);
  return out;
}

std::vector<std::string> Names(const ShellScript& script) {
  std::vector<std::string> out;
  for (const ShellCommand& cmd : script.Commands()) out.emplace_back(cmd.Name());
  return out;
}

std::vector<ShellOperator> Ops(const ShellScript& script) {
  std::vector<ShellOperator> out;
  for (const ShellCommand& cmd : script.Commands()) out.push_back(cmd.next);
  return out;
}

// "line:col-line:col" of a range.
std::string Span(const SourceRange& r) {
  return std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column) + "-" +
         std::to_string(r.end.line) + ":" + std::to_string(r.end.column);
}

std::string Covered(const SourceFile& file, const SourceRange& r) {
  return file.Text().substr(r.begin.offset, r.end.offset - r.begin.offset);
}

// The view of the `index`-th instruction of a Dockerfile.
struct Viewed {
  std::shared_ptr<const SyntaxTree> tree;
  ShellScript script;
  const SourceFile& File() const { return *tree->file; }
};

Viewed View(const std::string& dockerfile, size_t index) {
  Viewed v{MustParse(dockerfile), {}};
  REQUIRE(index < v.tree->instructions.size());
  v.script = ShellOf(v.tree->instructions[index], *v.tree->file);
  return v;
}

TEST_CASE("apt-get update && apt-get install", "[shell]") {
  ShellScript s = ParseShell("apt-get update && apt-get install -y --no-install-recommends curl");
  REQUIRE(s.Kind() == ShellKind::kShell);
  REQUIRE(s.Commands().size() == 2);
  CHECK(Argv(s.Commands()[0]) == std::vector<std::string>{"apt-get", "update"});
  CHECK(Argv(s.Commands()[1]) ==
        std::vector<std::string>{"apt-get", "install", "-y", "--no-install-recommends", "curl"});
  CHECK(Ops(s) == std::vector<ShellOperator>{ShellOperator::kAnd, ShellOperator::kEnd});
  CHECK(s.Warnings().empty());

  const ShellWord& curl = s.Commands()[1].argv[4];
  CHECK(curl.begin == 61);
  CHECK(curl.end == 65);
  CHECK(curl.raw == "curl");
  CHECK(curl.Static());
  CHECK(Span(curl.range) == "1:62-1:66");
  CHECK(Span(s.Commands()[1].range) == "1:19-1:66");

  CHECK(HasCommand(s, "apt-get"));
  CHECK(HasCommand(s, "apt-get", "install"));
  CHECK(HasCommand(s, "apt-get", "update"));
  CHECK_FALSE(HasCommand(s, "apt-get", "upgrade"));
  CHECK_FALSE(HasCommand(s, "apt"));

  std::vector<CommandView> installs = FindCommands(s, "apt-get");
  REQUIRE(installs.size() == 2);
  CHECK(HasFlag(installs[1], {"-y", "--yes", "--assume-yes"}));
  CHECK(HasFlag(installs[1], "--no-install-recommends"));
  CHECK_FALSE(HasFlag(installs[0], {"-y", "--yes", "--assume-yes"}));
  std::vector<const ShellWord*> args = Args(installs[1]);
  REQUIRE(args.size() == 2);
  CHECK(args[0]->value == "install");
  CHECK(args[1]->value == "curl");
}

TEST_CASE("flags: clusters, long forms with values, aliases, values", "[shell]") {
  ShellScript s = ParseShell(
      "apt-get -qq -o Dpkg::Options::=--force-confnew install -qy --assume-yes=true "
      "--target-release bookworm vim -- -notaflag");
  REQUIRE(s.Commands().size() == 1);
  CommandView v = Unwrap(s.Commands()[0]);
  CHECK(HasFlag(v, "-y"));  // inside -qy
  CHECK(HasFlag(v, "-q"));
  CHECK_FALSE(HasFlag(v, "-x"));
  CHECK(HasFlag(v, "--assume-yes"));  // --assume-yes=true
  CHECK_FALSE(HasFlag(v, "--assume"));
  CHECK_FALSE(HasFlag(v, "-n"));  // -notaflag is after --
  CHECK(FlagValue(v, {"-o"}) == std::optional<std::string_view>("Dpkg::Options::=--force-confnew"));
  CHECK(FlagValue(v, {"--assume-yes"}) == std::optional<std::string_view>("true"));
  CHECK(FlagValue(v, {"-t", "--target-release"}) == std::optional<std::string_view>("bookworm"));
  CHECK(FlagValue(v, {"--missing"}) == std::nullopt);

  // Without knowing that -o takes a value, its value looks like the subcommand.
  CHECK(Subcommand(v)->value == "Dpkg::Options::=--force-confnew");
  CHECK(Subcommand(v, {"-o"})->value == "install");
  CHECK(HasCommand(s, "apt-get", "install", {"-o", "-t", "--target-release"}));
  std::vector<std::string> args;
  for (const ShellWord* w : Args(v, {"-o", "-t", "--target-release"})) args.emplace_back(w->value);
  CHECK(args == std::vector<std::string>{"install", "vim", "-notaflag"});

  ShellScript attached = ParseShell("tar -xzf a.tgz -C/opt --file=x");
  CommandView t = Unwrap(attached.Commands()[0]);
  CHECK(FlagValue(t, {"-C"}) == std::optional<std::string_view>("/opt"));
  CHECK(FlagValue(t, {"--file"}) == std::optional<std::string_view>("x"));
  CHECK(HasFlag(t, "-z"));
}

TEST_CASE("multi-line RUN with continuations keeps exact positions", "[shell]") {
  const std::string dockerfile =
      "FROM debian:bookworm\n"
      "RUN apt-get update \\\n"
      "    && apt-get install -y \\\n"
      "# a comment inside the continuation\n"
      "       --no-install-recommends \\\n"
      "       curl ca-certificates \\\n"
      "    && rm -rf /var/lib/apt/lists/*\n";
  Viewed v = View(dockerfile, 1);
  const ShellScript& s = v.script;
  REQUIRE(s.Kind() == ShellKind::kShell);
  REQUIRE(s.Commands().size() == 3);
  CHECK(Names(s) == std::vector<std::string>{"apt-get", "apt-get", "rm"});
  const ShellCommand& install = s.Commands()[1];
  CHECK(Argv(install) == std::vector<std::string>{"apt-get", "install", "-y",
                                                  "--no-install-recommends", "curl",
                                                  "ca-certificates"});
  CHECK(Span(install.argv[0].range) == "3:8-3:15");
  CHECK(Span(install.argv[2].range) == "3:24-3:26");
  CHECK(Span(install.argv[3].range) == "5:8-5:31");
  CHECK(Span(install.argv[4].range) == "6:8-6:12");
  CHECK(Span(install.argv[5].range) == "6:13-6:28");
  CHECK(Span(install.range) == "3:8-6:28");
  const ShellCommand& rm = s.Commands()[2];
  CHECK(Span(rm.argv[2].range) == "7:15-7:35");
  CHECK(rm.argv[2].value == "/var/lib/apt/lists/*");
  CHECK(rm.argv[2].Has(ShellWordFlags::kGlob));
  CHECK_FALSE(rm.argv[2].HasExpansion());
  for (const ShellCommand& cmd : s.Commands()) {
    for (const ShellWord& w : cmd.argv) CHECK(Covered(v.File(), w.range) == w.raw);
  }
  CHECK(Ops(s) ==
        std::vector<ShellOperator>{ShellOperator::kAnd, ShellOperator::kAnd, ShellOperator::kEnd});
}

TEST_CASE("RUN flags are not part of the script; ONBUILD RUN heredocs work", "[shell]") {
  Viewed v = View("FROM x\nRUN --mount=type=cache,target=/root/.cache pip install -r req.txt\n", 1);
  REQUIRE(v.script.Commands().size() == 1);
  CHECK(Argv(v.script.Commands()[0]) ==
        std::vector<std::string>{"pip", "install", "-r", "req.txt"});
  CHECK(Span(v.script.Commands()[0].range) == "2:44-2:66");
  Viewed onbuild = View("FROM x\nONBUILD RUN <<EOF\necho later\nEOF\n", 1);
  CHECK(Names(onbuild.script) == std::vector<std::string>{"echo"});
  CHECK(Span(onbuild.script.Commands()[0].range) == "3:1-3:11");
}

TEST_CASE("a word split by a continuation inside a Dockerfile line is one word", "[shell]") {
  // BuildKit joins the lines first, so `ca-\` + `certificates` is one word.
  Viewed v = View("FROM x\nRUN apt-get install ca-\\\ncertificates\n", 1);
  REQUIRE(v.script.Commands().size() == 1);
  const ShellWord& w = v.script.Commands()[0].argv[2];
  CHECK(w.value == "ca-certificates");
  CHECK(Span(w.range) == "2:21-3:13");
}

TEST_CASE("pipes, background and newlines", "[shell]") {
  ShellScript s =
      ParseShell("curl -fsSL https://x/install.sh | sh -s -- -y\nmake |& tee log &\nwait");
  CHECK(Names(s) == std::vector<std::string>{"curl", "sh", "make", "tee", "wait"});
  CHECK(Ops(s) == std::vector<ShellOperator>{ShellOperator::kPipe, ShellOperator::kNewline,
                                             ShellOperator::kPipeAll, ShellOperator::kBackground,
                                             ShellOperator::kEnd});
  CHECK(s.Commands()[0].In(ShellContext::kPipeline));
  CHECK(s.Commands()[1].In(ShellContext::kPipeline));
  CHECK_FALSE(s.Commands()[4].In(ShellContext::kPipeline));
  CHECK(Span(s.Commands()[4].range) == "3:1-3:5");
  CHECK(OperatorText(ShellOperator::kPipeAll) == "|&");
}

TEST_CASE("if, for, while, case, functions, groups and subshells", "[shell]") {
  ShellScript s = ParseShell(
      "if [ -f /etc/os-release ]; then . /etc/os-release; elif command -v apk; then apk add x; "
      "else exit 1; fi\n"
      "for f in a b; do rm \"$f\"; done\n"
      "while ! curl -sf localhost; do sleep 1; done\n"
      "case \"$ARCH\" in amd64) echo x86;; *) echo other;; esac\n"
      "cleanup() { rm -rf /tmp/x; }\n"
      "(cd /src && make) || { echo failed; exit 1; }\n");
  CHECK(Names(s) == std::vector<std::string>{"[", ".", "command", "apk", "exit", "rm", "curl",
                                             "sleep", "echo", "echo", "rm", "cd", "make", "echo",
                                             "exit"});
  auto cmds = s.Commands();
  CHECK(Argv(cmds[0]) == std::vector<std::string>{"[", "-f", "/etc/os-release", "]"});
  CHECK(cmds[0].In(ShellContext::kIf));
  CHECK(cmds[0].In(ShellContext::kCondition));
  CHECK(cmds[1].In(ShellContext::kIf));
  CHECK_FALSE(cmds[1].In(ShellContext::kCondition));
  CHECK(cmds[2].In(ShellContext::kCondition));
  CHECK_FALSE(cmds[3].In(ShellContext::kCondition));
  CHECK(cmds[4].In(ShellContext::kIf));
  // command -v only looks the program up: it is not seen through.
  CHECK(Unwrap(cmds[2]).Name() == "command");
  CHECK(cmds[5].In(ShellContext::kLoop));
  CHECK(cmds[5].argv[1].value == "$f");
  CHECK(cmds[5].argv[1].Has(ShellWordFlags::kParameter));
  CHECK_FALSE(cmds[5].argv[1].Static());
  CHECK(cmds[6].In(ShellContext::kLoop | ShellContext::kCondition));
  CHECK(cmds[6].In(ShellContext::kNegated));
  CHECK(cmds[7].In(ShellContext::kLoop));
  CHECK_FALSE(cmds[7].In(ShellContext::kCondition));
  CHECK(cmds[8].In(ShellContext::kCase));
  CHECK(cmds[8].next == ShellOperator::kCaseBreak);
  CHECK(cmds[10].In(ShellContext::kFunction));
  CHECK(cmds[10].In(ShellContext::kBraceGroup));
  CHECK(cmds[11].In(ShellContext::kSubshell));
  CHECK(cmds[11].next == ShellOperator::kAnd);
  CHECK(cmds[12].next == ShellOperator::kEnd);  // last in the subshell
  CHECK(cmds[13].In(ShellContext::kBraceGroup));
  CHECK_FALSE(cmds[13].In(ShellContext::kSubshell));
  CHECK(s.Warnings().empty());
}

TEST_CASE("command substitutions are commands of their own, after their command", "[shell]") {
  ShellScript s =
      ParseShell("echo \"kernel $(uname -r)\" `date +%s` >> \"$(mktemp)\"; X=$(id -u) make");
  CHECK(Names(s) == std::vector<std::string>{"echo", "uname", "date", "mktemp", "make", "id"});
  auto cmds = s.Commands();
  CHECK(Argv(cmds[0]) == std::vector<std::string>{"echo", "kernel $(uname -r)", "`date +%s`"});
  CHECK(cmds[0].argv[1].Has(ShellWordFlags::kCommandSubstitution));
  CHECK(cmds[0].argv[1].Has(ShellWordFlags::kQuoted));
  CHECK(cmds[0].argv[1].HasExpansion());
  CHECK(cmds[0].next == ShellOperator::kSemicolon);
  REQUIRE(cmds[0].redirects.size() == 1);
  CHECK(cmds[0].redirects[0].op == ">>");
  CHECK(cmds[0].redirects[0].target.raw == "\"$(mktemp)\"");
  for (int i : {1, 2, 3}) {
    INFO(i);
    CHECK(cmds[i].In(ShellContext::kCommandSubstitution));
    CHECK(cmds[i].next == ShellOperator::kEnd);
  }
  CHECK(Span(cmds[1].range) == "1:16-1:24");
  CHECK(Argv(cmds[2]) == std::vector<std::string>{"date", "+%s"});
  CHECK(cmds[5].In(ShellContext::kCommandSubstitution));
  REQUIRE(cmds[4].assignments.size() == 1);
  CHECK(cmds[4].assignments[0].name == "X");
  CHECK(cmds[4].assignments[0].kind == ShellAssignment::Kind::kPrefix);
  CHECK(cmds[4].assignments[0].value.raw == "$(id -u)");
}

TEST_CASE("wrappers: sudo, env, nice, xargs, timeout, gosu", "[shell]") {
  ShellScript s = ParseShell(
      "sudo -E -u app env DEBIAN_FRONTEND=noninteractive -u X nice -n 5 apt-get -qy install curl\n"
      "find . -name '*.pyc' | xargs -0 -n 1 rm -f\n"
      "timeout -s KILL 30 /usr/bin/pip install x\n"
      "gosu app:app /entry.sh --flag\n"
      "sudo\n"
      "sudo -l\n"
      "exec \"$@\"\n");
  auto cmds = s.Commands();
  REQUIRE(cmds.size() == 8);
  CommandView apt = Unwrap(cmds[0]);
  CHECK(apt.Name() == "apt-get");
  CHECK(Argv(apt) == std::vector<std::string>{"apt-get", "-qy", "install", "curl"});
  CHECK(apt.wrappers.size() == 11);
  CHECK(apt.WrappedBy("sudo"));
  CHECK(apt.WrappedBy("env"));
  CHECK(apt.WrappedBy("nice"));
  CHECK_FALSE(apt.WrappedBy("app"));
  CHECK(HasCommand(s, "apt-get", "install"));
  CHECK(HasFlag(apt, "-y"));
  CHECK(Unwrap(cmds[2]).Name() == "rm");
  CHECK(Unwrap(cmds[2]).WrappedBy("xargs"));
  CHECK(Unwrap(cmds[3]).Name() == "pip");
  CHECK(Argv(Unwrap(cmds[3])) == std::vector<std::string>{"/usr/bin/pip", "install", "x"});
  CHECK(Unwrap(cmds[4]).Name() == "entry.sh");
  CHECK(Unwrap(cmds[5]).Name() == "sudo");  // wraps nothing
  CHECK(Unwrap(cmds[6]).Name() == "sudo");  // -l lists, runs nothing
  CHECK(Unwrap(cmds[7]).Name() == "$@");
  CHECK(FindCommands(s, "rm").size() == 1);
  CHECK(FindCommands(s, "sudo").size() == 2);
}

TEST_CASE("quoting and escapes give the value the program receives", "[shell]") {
  ShellScript s = ParseShell(
      "printf 'a b' \"q\\\"\\$\\\\z\\n\" $'x\\ty\\'' a\\ b x\"y\"'z' --opt=\"v w\" ~/x {a,b} "
      "$((1+2)) \"${HOME:-/root}\" '' \"\"");
  REQUIRE(s.Commands().size() == 1);
  auto argv = s.Commands()[0].argv;
  REQUIRE(argv.size() == 13);
  CHECK(argv[1].value == "a b");
  CHECK(argv[1].Static());
  CHECK(argv[1].Has(ShellWordFlags::kQuoted));
  CHECK(argv[2].value == "q\"$\\z\\n");  // \n stays two characters in double quotes
  CHECK(argv[2].Static());
  CHECK(argv[3].value == "x\ty'");
  CHECK(argv[4].value == "a b");
  CHECK(argv[5].value == "xyz");
  CHECK(argv[6].value == "--opt=v w");
  CHECK(argv[7].value == "~/x");
  CHECK(argv[7].Has(ShellWordFlags::kTilde));
  CHECK_FALSE(argv[7].Static());
  CHECK_FALSE(argv[7].HasExpansion());
  CHECK(argv[8].Has(ShellWordFlags::kBrace));
  CHECK(argv[9].Has(ShellWordFlags::kArithmetic));
  CHECK(argv[10].value == "${HOME:-/root}");
  CHECK(argv[10].Has(ShellWordFlags::kParameter));
  CHECK(argv[11].value == "");
  CHECK(argv[11].raw == "''");
  CHECK(argv[12].value == "");
  for (const ShellWord& w : argv) CHECK(s.Text().substr(w.begin, w.end - w.begin) == w.raw);
}

TEST_CASE("a redirect after a list or pipeline belongs to its last command", "[shell]") {
  // tree-sitter-bash hangs it on the whole list; bash gives it to the last command.
  ShellScript s = ParseShell("true && head -c 5 /dev/zero > /a; x | tee t >> \"$(mktemp)\"\n");
  auto cmds = s.Commands();
  REQUIRE(cmds.size() >= 4);
  CHECK(cmds[0].redirects.empty());
  REQUIRE(cmds[1].redirects.size() == 1);
  CHECK(cmds[1].redirects[0].op == ">");
  CHECK(cmds[1].redirects[0].target.value == "/a");
  CHECK(s.Text().substr(cmds[1].begin, cmds[1].end - cmds[1].begin) ==
        "head -c 5 /dev/zero > /a");
  CHECK(cmds[2].redirects.empty());
  REQUIRE(cmds[3].redirects.size() == 1);
  CHECK(cmds[3].redirects[0].op == ">>");
  // The substitution in the target is still parsed as a command of its own.
  CHECK(Names(s) == std::vector<std::string>{"true", "head", "x", "tee", "mktemp"});
  // A subshell or group keeps the redirect for itself: no command gets it.
  ShellScript group = ParseShell("{ a; b; } > /log\n");
  for (const ShellCommand& cmd : group.Commands()) CHECK(cmd.redirects.empty());
}

TEST_CASE("redirections and assignments", "[shell]") {
  ShellScript s = ParseShell(
      "FOO=1 BAR+=\"x y\" cmd arg 2>&1 >/dev/null <in 3< rw &>>log\n"
      "A=1 B=\nexport PATH=\"/opt/bin:$PATH\" EMPTY\nlocal -r Z=2\n> truncated\n");
  auto cmds = s.Commands();
  REQUIRE(cmds.size() == 4);
  const ShellCommand& cmd = cmds[0];
  CHECK(Argv(cmd) == std::vector<std::string>{"cmd", "arg"});
  REQUIRE(cmd.assignments.size() == 2);
  CHECK(cmd.assignments[0].name == "FOO");
  CHECK(cmd.assignments[0].value.value == "1");
  CHECK(cmd.assignments[1].name == "BAR");
  CHECK(cmd.assignments[1].append);
  CHECK(cmd.assignments[1].value.value == "x y");
  CHECK(cmd.assignments[1].command == 0);
  REQUIRE(cmd.redirects.size() == 5);
  CHECK(cmd.redirects[0].fd == 2);
  CHECK(cmd.redirects[0].op == ">&");
  CHECK(cmd.redirects[0].target.value == "1");
  CHECK(cmd.redirects[1].fd == -1);
  CHECK(cmd.redirects[1].op == ">");
  CHECK(cmd.redirects[1].target.value == "/dev/null");
  CHECK(cmd.redirects[2].op == "<");
  CHECK(cmd.redirects[3].fd == 3);
  CHECK(cmd.redirects[3].op == "<");
  CHECK(cmd.redirects[4].op == "&>>");
  CHECK(cmd.redirects[4].target.value == "log");
  CHECK(Span(cmd.redirects[4].range) == "1:52-1:58");

  std::vector<std::string> bare;
  for (const ShellAssignment& a : s.Assignments()) {
    if (a.kind == ShellAssignment::Kind::kBare) bare.emplace_back(a.name);
  }
  CHECK(bare == std::vector<std::string>{"A", "B"});
  const ShellAssignment& b = s.Assignments()[3];
  CHECK(b.name == "B");
  CHECK_FALSE(b.has_value);
  CHECK(b.command == -1);

  CHECK(Argv(cmds[1]) == std::vector<std::string>{"export", "PATH=/opt/bin:$PATH", "EMPTY"});
  REQUIRE(cmds[1].assignments.size() == 2);
  CHECK(cmds[1].assignments[0].kind == ShellAssignment::Kind::kDeclaration);
  CHECK(cmds[1].assignments[0].value.value == "/opt/bin:$PATH");
  CHECK(cmds[1].assignments[1].name == "EMPTY");
  CHECK_FALSE(cmds[1].assignments[1].has_value);
  CHECK(Argv(cmds[2]) == std::vector<std::string>{"local", "-r", "Z=2"});
  CHECK(cmds[3].argv.empty());
  CHECK(cmds[3].Name() == "");
  REQUIRE(cmds[3].redirects.size() == 1);
  CHECK(cmds[3].redirects[0].target.value == "truncated");
}

TEST_CASE("heredocs inside a script", "[shell]") {
  ShellScript s = ParseShell(
      "cat <<EOF > /etc/app.conf && echo written\nkey=$(hostname)\nEOF\n"
      "cat <<-'END' | sh\n\techo $(not run here)\n\tEND\n");
  CHECK(Names(s) == std::vector<std::string>{"cat", "echo", "hostname", "cat", "sh"});
  auto cmds = s.Commands();
  REQUIRE(cmds[0].redirects.size() == 2);
  CHECK(cmds[0].redirects[0].IsHeredoc());
  CHECK(cmds[0].redirects[0].target.value == "EOF");
  CHECK(cmds[0].redirects[1].target.value == "/etc/app.conf");
  CHECK(cmds[0].next == ShellOperator::kAnd);
  CHECK(cmds[2].In(ShellContext::kCommandSubstitution));
  CHECK(cmds[3].redirects[0].op == "<<-");
  CHECK(cmds[3].redirects[0].target.value == "END");
  CHECK(cmds[3].redirects[0].target.Has(ShellWordFlags::kQuoted));
  CHECK(cmds[3].next == ShellOperator::kPipe);
  CHECK(cmds[4].In(ShellContext::kPipeline));
}

TEST_CASE("nested sh -c, bash -c and su -c scripts are parsed", "[shell]") {
  ShellScript s = ParseShell(
      "sudo sh -c 'apt-get install -y \"curl\" && echo $HOME'\n"
      "su -l app -c \"npm ci --omit=dev\"\n"
      "bash -o pipefail -ec \"cd /x && make \\\"all\\\"\"\n"
      "sh -c \"$CMD\"\n"
      "sh script.sh -c x\n");
  CHECK(Names(s) == std::vector<std::string>{"sudo", "apt-get", "echo", "su", "npm", "bash", "cd",
                                             "make", "sh", "$CMD", "sh"});
  auto cmds = s.Commands();
  CHECK(cmds[1].In(ShellContext::kNestedShell));
  CHECK(Argv(cmds[1]) == std::vector<std::string>{"apt-get", "install", "-y", "curl"});
  CHECK(Span(cmds[1].argv[3].range) == "1:32-1:38");
  CHECK(cmds[1].argv[3].raw == "\"curl\"");
  CHECK(cmds[1].next == ShellOperator::kAnd);
  CHECK(Span(cmds[4].range) == "2:15-2:32");
  CHECK(Argv(cmds[7]) == std::vector<std::string>{"make", "all"});
  // Escaped quotes inside the outer double quotes: the range covers the escapes.
  CHECK(Span(cmds[7].argv[1].range) == "3:37-3:44");
  CHECK(cmds[7].argv[1].raw == "\"all\"");
  REQUIRE(s.Segments().size() == 5);
  CHECK(s.Segments()[1].origin == ShellSegment::Origin::kNestedScript);
  CHECK(s.Segments()[1].command == 0);
  CHECK(cmds[9].In(ShellContext::kNestedShell));  // "$CMD" parsed as a script of its own
  for (const ShellCommand& cmd : cmds) {
    for (const ShellWord& w : cmd.argv) CHECK(s.Text().substr(w.begin, w.end - w.begin) == w.raw);
  }
}

TEST_CASE("syntax errors are warnings with ranges; commands still come out", "[shell]") {
  ShellScript s = ParseShell("apt-get update &&\nif true; then echo x");
  REQUIRE_FALSE(s.Warnings().empty());
  for (const Diagnostic& d : s.Warnings()) {
    CHECK(d.severity == Severity::kWarning);
    CHECK(d.code == "shell-syntax");
    CHECK(d.message.starts_with("shell syntax error"));
  }
  CHECK(HasCommand(s, "apt-get", "update"));
  CHECK(HasCommand(s, "echo"));

  ShellScript unterminated = ParseShell("echo \"abc");
  REQUIRE_FALSE(unterminated.Warnings().empty());
  CHECK(Span(unterminated.Warnings()[0].range).starts_with("1:"));
  ShellScript parens = ParseShell("echo )(");
  CHECK_FALSE(parens.Warnings().empty());
}

TEST_CASE("heredoc RUN: the body is the script", "[shell]") {
  const std::string dockerfile =
      "FROM alpine\n"
      "RUN <<EOF\n"
      "set -eux\n"
      "apk add --no-cache curl\n"
      "EOF\n";
  Viewed v = View(dockerfile, 1);
  REQUIRE(v.script.Kind() == ShellKind::kShell);
  CHECK(Names(v.script) == std::vector<std::string>{"set", "apk"});
  const ShellCommand& apk = v.script.Commands()[1];
  CHECK(Span(apk.argv[3].range) == "4:20-4:24");
  CHECK(Covered(v.File(), apk.argv[3].range) == "curl");
  CHECK(v.script.Segments()[0].origin == ShellSegment::Origin::kHeredoc);
  CHECK(v.script.Segments()[0].heredoc == 0);
}

TEST_CASE("heredoc RUN with <<- strips tabs but keeps exact ranges", "[shell]") {
  const std::string dockerfile =
      "FROM alpine\n"
      "RUN <<-EOT\n"
      "\tapk add \\\n"
      "\t\t\tcurl\n"
      "\t\techo \"$(date)\"\n"
      "\tEOT\n";
  Viewed v = View(dockerfile, 1);
  REQUIRE(v.script.Kind() == ShellKind::kShell);
  CHECK(v.script.Text() == "apk add \\\ncurl\necho \"$(date)\"\n");
  CHECK(Names(v.script) == std::vector<std::string>{"apk", "echo", "date"});
  const ShellCommand& apk = v.script.Commands()[0];
  CHECK(Argv(apk) == std::vector<std::string>{"apk", "add", "curl"});
  CHECK(Span(apk.argv[0].range) == "3:2-3:5");
  CHECK(Span(apk.argv[2].range) == "4:4-4:8");
  CHECK(Span(apk.range) == "3:2-4:8");
  CHECK(Span(v.script.Commands()[2].range) == "5:11-5:15");
  for (const ShellCommand& cmd : v.script.Commands()) {
    for (const ShellWord& w : cmd.argv) CHECK(Covered(v.File(), w.range) == w.raw);
  }
  CHECK(v.script.Warnings().empty());
}

TEST_CASE("heredoc RUN fed to a shell: RUN bash <<EOF and RUN <<EOF bash", "[shell]") {
  for (const char* line : {"RUN bash -e <<EOF", "RUN <<EOF bash", "RUN sudo sh -s -- arg <<EOF"}) {
    INFO(line);
    std::string dockerfile = std::string("FROM x\n") + line + "\npip install requests\nEOF\n";
    Viewed v = View(dockerfile, 1);
    REQUIRE(v.script.Kind() == ShellKind::kShell);
    auto cmds = v.script.Commands();
    REQUIRE(cmds.size() == 2);
    CHECK(Unwrap(cmds[0]).Name() != "pip");
    REQUIRE(cmds[0].redirects.size() == 1);
    CHECK(cmds[0].redirects[0].IsHeredoc());
    CHECK(cmds[0].redirects[0].target.value == "EOF");
    CHECK(Covered(v.File(), cmds[0].redirects[0].range) == "<<EOF");
    CHECK(Argv(cmds[1]) == std::vector<std::string>{"pip", "install", "requests"});
    CHECK(cmds[1].In(ShellContext::kNestedShell));
    CHECK(Span(cmds[1].argv[2].range) == "3:13-3:21");
    REQUIRE(v.script.Segments().size() == 2);
    CHECK(v.script.Segments()[1].is_shell);
    CHECK(v.script.Segments()[1].command == 0);
    CHECK(v.script.Warnings().empty());
  }
  Viewed two = View("FROM x\nRUN bash <<A && sh <<-B\necho a\nA\n\techo b\n\tB\n", 1);
  CHECK(Names(two.script) == std::vector<std::string>{"bash", "sh", "echo", "echo"});
  CHECK(two.script.Commands()[0].next == ShellOperator::kAnd);
  CHECK(two.script.Commands()[1].redirects[0].op == "<<-");
  CHECK(Span(two.script.Commands()[2].argv[1].range) == "3:6-3:7");
  CHECK(Span(two.script.Commands()[3].argv[1].range) == "5:7-5:8");
  CHECK(two.script.Segments()[2].command == 1);
  Viewed leading = View("FROM x\nRUN <<EOF bash\nls\nEOF\n", 1);
  CHECK(Argv(leading.script.Commands()[0]) == std::vector<std::string>{"bash"});
  CHECK(Span(leading.script.Commands()[0].range) == "2:5-2:15");
}

TEST_CASE("heredocs that are not shell code", "[shell]") {
  SECTION("RUN python3 <<EOF: python3 runs, its body is not parsed") {
    Viewed v = View("FROM python\nRUN python3 <<EOF\nimport os\nprint(os.getcwd())\nEOF\n", 1);
    REQUIRE(v.script.Kind() == ShellKind::kShell);
    CHECK(Names(v.script) == std::vector<std::string>{"python3"});
    REQUIRE(v.script.Segments().size() == 2);
    const ShellSegment& body = v.script.Segments()[1];
    CHECK_FALSE(body.is_shell);
    CHECK(body.interpreter == "python3");
    CHECK(v.script.Text().substr(body.begin, body.end - body.begin) ==
          "import os\nprint(os.getcwd())\n");
    CHECK_FALSE(HasCommand(v.script, "import"));
  }
  SECTION("a python shebang: nothing runs through a shell") {
    Viewed v = View("FROM python\nRUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF\n", 1);
    CHECK(v.script.Kind() == ShellKind::kNotShell);
    CHECK_FALSE(v.script.IsShell());
    CHECK(v.script.Commands().empty());
    REQUIRE(v.script.Segments().size() == 1);
    CHECK(v.script.Segments()[0].interpreter == "/usr/bin/env python3");
  }
  SECTION("a shell shebang is shell") {
    Viewed v = View("FROM x\nRUN <<EOF\n#!/bin/bash -e\necho hi\nEOF\n", 1);
    CHECK(v.script.Kind() == ShellKind::kShell);
    CHECK(Names(v.script) == std::vector<std::string>{"echo"});
    Viewed env = View("FROM x\nRUN <<EOF\n#!/usr/bin/env sh\necho hi\nEOF\n", 1);
    CHECK(Names(env.script) == std::vector<std::string>{"echo"});
  }
  SECTION("a heredoc written to a file is data") {
    Viewed v =
        View("FROM x\nRUN cat <<'EOF' > /etc/motd && chmod 644 /etc/motd\nrm -rf /\nEOF\n", 1);
    CHECK(Names(v.script) == std::vector<std::string>{"cat", "chmod"});
    CHECK(v.script.Commands()[0].next == ShellOperator::kAnd);
    CHECK(v.script.Commands()[0].redirects[0].target.value == "EOF");
    CHECK(v.script.Commands()[0].redirects[0].target.raw == "'EOF'");
    CHECK(v.script.Segments()[1].interpreter == "cat");
    CHECK_FALSE(HasCommand(v.script, "rm"));
  }
}

TEST_CASE("exec form: sh -c scripts are parsed, other argv is one command", "[shell]") {
  SECTION("sh -c with JSON escapes keeps exact ranges") {
    Viewed v = View(
        "FROM x\nRUN [\"/bin/sh\", \"-c\", \"echo \\\"a b\\\" && apt-get install -y curl\"]\n", 1);
    REQUIRE(v.script.Kind() == ShellKind::kShell);
    auto cmds = v.script.Commands();
    REQUIRE(cmds.size() == 2);
    CHECK(Argv(cmds[0]) == std::vector<std::string>{"echo", "a b"});
    CHECK(Span(cmds[0].argv[1].range) == "2:29-2:36");
    CHECK(Covered(v.File(), cmds[0].argv[1].range) == "\\\"a b\\\"");
    CHECK(Span(cmds[1].argv[3].range) == "2:59-2:63");
    CHECK(HasCommand(v.script, "apt-get", "install"));
    CHECK(v.script.Segments()[0].origin == ShellSegment::Origin::kExecScript);
  }
  SECTION("bash with options before -c") {
    Viewed v =
        View("FROM x\nRUN [\"bash\", \"-o\", \"pipefail\", \"-c\", \"curl x | tar -x\"]\n", 1);
    CHECK(Names(v.script) == std::vector<std::string>{"curl", "tar"});
  }
  SECTION("no shell: a single command") {
    Viewed v = View("FROM x\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n", 1);
    REQUIRE(v.script.Kind() == ShellKind::kExec);
    REQUIRE(v.script.Commands().size() == 1);
    const ShellCommand& cmd = v.script.Commands()[0];
    CHECK(Argv(cmd) == std::vector<std::string>{"nginx", "-g", "daemon off;"});
    CHECK(cmd.argv[2].raw == "\"daemon off;\"");
    CHECK(Span(cmd.argv[2].range) == "2:21-2:34");
    CHECK(v.script.Text().substr(cmd.argv[2].begin, cmd.argv[2].end - cmd.argv[2].begin) ==
          cmd.argv[2].raw);
  }
  SECTION("a script file is not a -c script") {
    Viewed v = View("FROM x\nRUN [\"sh\", \"/setup.sh\", \"-c\"]\n", 1);
    CHECK(v.script.Kind() == ShellKind::kExec);
  }
}

TEST_CASE("SHELL per stage, ONBUILD and HEALTHCHECK", "[shell]") {
  auto tree = MustParse(
      "FROM mcr.microsoft.com/windows AS win\n"
      "SHELL [\"powershell\", \"-Command\"]\n"
      "RUN Get-ChildItem\n"
      "RUN [\"cmd\", \"/c\", \"dir\"]\n"
      "FROM win AS child\n"
      "RUN Write-Host hi\n"
      "FROM debian\n"
      "ONBUILD RUN make install\n"
      "HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n"
      "HEALTHCHECK NONE\n"
      "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
      "RUN echo ok\n");
  std::vector<ShellScript> views = ShellViewsOf(*tree);
  REQUIRE(views.size() == tree->instructions.size());
  CHECK(views[0].Kind() == ShellKind::kNone);
  CHECK(views[2].Kind() == ShellKind::kNotPosix);
  CHECK(views[2].Commands().empty());
  CHECK(views[3].Kind() == ShellKind::kExec);
  CHECK(views[5].Kind() == ShellKind::kNotPosix);  // inherited through FROM win
  CHECK(views[7].Kind() == ShellKind::kShell);
  CHECK(Names(views[7]) == std::vector<std::string>{"make"});
  CHECK(Span(views[7].Commands()[0].range) == "8:13-8:25");
  CHECK(Names(views[8]) == std::vector<std::string>{"curl", "exit"});
  CHECK(Span(views[8].Commands()[0].argv[0].range) == "9:31-9:35");
  CHECK(views[9].Kind() == ShellKind::kNone);
  CHECK(views[11].Kind() == ShellKind::kShell);
  CHECK(ShellInstructionIsPosix(tree->instructions[10]));
  CHECK_FALSE(ShellInstructionIsPosix(tree->instructions[1]));
  auto env = MustParse("FROM x\nSHELL [\"/usr/bin/env\", \"bash\", \"-c\"]\n");
  CHECK(ShellInstructionIsPosix(env->instructions[1]));

  ShellScript not_posix =
      ShellOf(tree->instructions[11], *tree->file, ShellOptions{/*posix_shell=*/false});
  CHECK(not_posix.Kind() == ShellKind::kNotPosix);
}

TEST_CASE("a ShellScript outlives copies and the parse input", "[shell]") {
  ShellScript copy;
  {
    std::string script = "echo 'short'";
    ShellScript s = ParseShell(script);
    script.assign(script.size(), 'x');
    copy = s;
  }
  REQUIRE(copy.Commands().size() == 1);
  CHECK(copy.Commands()[0].argv[1].value == "short");
  CHECK(copy.Commands()[0].argv[1].raw == "'short'");
  ShellScript empty;
  CHECK(empty.Kind() == ShellKind::kNone);
  CHECK(empty.Commands().empty());
  CHECK(ParseShell("").Commands().empty());
  CHECK(ParseShell("   \n# only a comment\n").Commands().empty());
}

// ---- Property: random scripts from a small grammar ----------------------------------------

struct GenWord {
  std::string text;   // as written in the script
  std::string value;  // what the program receives
};

const char kSafe[] = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_./,:%+@-";
const char kQuotable[] = "abcxyz019 _./,:%+@-*?;&|<>()#~{}=!'\"\\$`[]\t";

rc::Gen<std::string> Chars(const char* alphabet, int min_len, int max_len) {
  std::string alpha(alphabet);
  return rc::gen::mapcat(rc::gen::inRange(min_len, max_len + 1), [alpha](int n) {
    return rc::gen::container<std::string>(n, rc::gen::elementOf(alpha));
  });
}

rc::Gen<GenWord> GenPiece() {
  return rc::gen::oneOf(
      // bare
      rc::gen::map(Chars(kSafe, 1, 6),
                   [](std::string s) {
                     return GenWord{s, s};
                   }),
      // single quotes
      rc::gen::map(Chars(kQuotable, 0, 6),
                   [](std::string s) {
                     std::erase(s, '\'');
                     return GenWord{"'" + s + "'", s};
                   }),
      // double quotes, escaping what must be escaped; without "((", which tree-sitter-bash
      // lexes as an arithmetic command even inside quotes
      rc::gen::map(Chars(kQuotable, 0, 6),
                   [](std::string s) {
                     for (size_t p = s.find("(("); p != std::string::npos; p = s.find("((")) {
                       s[p + 1] = 'x';
                     }
                     std::string text = "\"";
                     for (char c : s) {
                       if (c == '"' || c == '\\' || c == '$' || c == '`') text += '\\';
                       text += c;
                     }
                     return GenWord{text + "\"", s};
                   }),
      // backslash escapes; not of a tab, which tree-sitter-bash ends a word at (bash would not)
      rc::gen::map(Chars(kQuotable, 1, 4),
                   [](std::string s) {
                     std::erase(s, '\t');
                     if (s.empty()) s = "x";
                     std::string text;
                     for (char c : s) {
                       text += '\\';
                       text += c;
                     }
                     return GenWord{text, s};
                   }),
      // ANSI-C quotes; not ending in a backslash: tree-sitter-bash's token (/\$'([^']|\\')*'/)
      // reads `\\'` as an escaped quote
      rc::gen::map(Chars("abc xyz\t\n'\\", 0, 5), [](std::string s) {
        if (!s.empty() && s.back() == '\\') s.back() = 'a';
        std::string text = "$'";
        for (char c : s) {
          if (c == '\t')
            text += "\\t";
          else if (c == '\n')
            text += "\\n";
          else if (c == '\'')
            text += "\\'";
          else if (c == '\\')
            text += "\\\\";
          else
            text += c;
        }
        return GenWord{text + "'", s};
      }));
}

rc::Gen<GenWord> GenArgWord() {
  auto pieces = rc::gen::mapcat(rc::gen::inRange<size_t>(1, 4), [](size_t n) {
    return rc::gen::container<std::vector<GenWord>>(n, GenPiece());
  });
  return rc::gen::map(pieces, [](const std::vector<GenWord>& pieces) {
    GenWord w;
    for (const GenWord& p : pieces) {
      w.text += p.text;
      w.value += p.value;
    }
    return w;
  });
}

bool IsReserved(const std::string& s) {
  static const char* kWords[] = {"if",     "then",     "else",   "elif",  "fi",      "do",
                                 "done",   "case",     "esac",   "while", "until",   "for",
                                 "in",     "function", "select", "time",  "declare", "typeset",
                                 "export", "readonly", "local",  "unset", "unsetenv"};
  for (const char* w : kWords) {
    if (s == w) return true;
  }
  return false;
}

struct GenCommand {
  std::vector<GenWord> argv;
};

struct GenItem {
  std::vector<GenCommand> commands;  // one command, or a group of commands
  int group = 0;                     // 0 none, 1 subshell, 2 brace group
  std::vector<int> inner_joiners;
};

const char* const kJoiners[] = {" && ", " || ", "; ", " | ", "\n", " && \\\n  "};
const ShellOperator kJoinerOps[] = {ShellOperator::kAnd,       ShellOperator::kOr,
                                    ShellOperator::kSemicolon, ShellOperator::kPipe,
                                    ShellOperator::kNewline,   ShellOperator::kAnd};

rc::Gen<GenCommand> GenCommandGen() {
  auto name = rc::gen::suchThat(Chars("abcdefghijklmnopqrstuvwxyz", 1, 6),
                                [](const std::string& s) { return !IsReserved(s); });
  return rc::gen::apply(
      [](std::string n, std::vector<GenWord> args) {
        GenCommand c;
        c.argv.push_back(GenWord{n, n});
        for (auto& a : args) c.argv.push_back(a);
        return c;
      },
      name, rc::gen::mapcat(rc::gen::inRange<size_t>(0, 4), [](size_t n) {
        return rc::gen::container<std::vector<GenWord>>(n, GenArgWord());
      }));
}

TEST_CASE("property: ranges, raw text and static values of random scripts", "[shell]") {
  bool ok = rc::check("random scripts", [] {
    const int items = *rc::gen::inRange(1, 5);
    std::string script;
    std::vector<std::vector<std::string>> expected_argv;
    std::vector<ShellOperator> expected_ops;
    for (int i = 0; i < items; ++i) {
      const int group = *rc::gen::inRange(0, 3);
      const int count = group == 0 ? 1 : *rc::gen::inRange(1, 4);
      if (group == 1) script += "( ";
      if (group == 2) script += "{ ";
      for (int k = 0; k < count; ++k) {
        GenCommand cmd = *GenCommandGen();
        std::vector<std::string> argv;
        for (size_t w = 0; w < cmd.argv.size(); ++w) {
          if (w) script += ' ';
          script += cmd.argv[w].text;
          argv.push_back(cmd.argv[w].value);
        }
        expected_argv.push_back(argv);
        if (k + 1 < count) {
          int j = *rc::gen::inRange(0, 6);
          script += kJoiners[j];
          expected_ops.push_back(kJoinerOps[j]);
        } else {
          // `{ ...; }` needs the `;`; a subshell ends without one.
          expected_ops.push_back(group == 2 ? ShellOperator::kSemicolon : ShellOperator::kEnd);
        }
      }
      if (group == 1) script += " )";
      if (group == 2) script += "; }";
      if (i + 1 < items) {
        int j = *rc::gen::inRange(0, 6);
        script += kJoiners[j];
        if (group == 0) expected_ops.back() = kJoinerOps[j];
      }
    }
    RC_LOG() << script << "\n";
    ShellScript s = ParseShell(script);
    // The same script mapped into a file after a first line: ranges follow the mapping.
    SourceFile file("Dockerfile", "FROM x\nRUN " + script);
    ShellScript mapped = ParseShell(
        script, [&file](uint32_t b, uint32_t e) { return file.RangeOf(11 + b, 11 + e); });
    RC_ASSERT(mapped.Commands().size() == s.Commands().size());
    for (const ShellCommand& cmd : mapped.Commands()) {
      for (const ShellWord& w : cmd.argv) {
        RC_ASSERT(Covered(file, w.range) == w.raw);
        RC_ASSERT(w.range.begin.line >= 2u);
      }
    }
    RC_ASSERT(s.Text() == script);
    RC_ASSERT(s.Warnings().empty());
    RC_ASSERT(s.Commands().size() == expected_argv.size());
    for (size_t c = 0; c < expected_argv.size(); ++c) {
      const ShellCommand& cmd = s.Commands()[c];
      RC_ASSERT(cmd.argv.size() == expected_argv[c].size());
      RC_ASSERT(cmd.next == expected_ops[c]);
      RC_ASSERT(cmd.begin <= cmd.end);
      RC_ASSERT(cmd.end <= script.size());
      for (size_t w = 0; w < cmd.argv.size(); ++w) {
        const ShellWord& word = cmd.argv[w];
        RC_ASSERT(word.begin <= word.end);
        RC_ASSERT(word.end <= script.size());
        RC_ASSERT(word.raw == std::string_view(script).substr(word.begin, word.end - word.begin));
        RC_ASSERT(word.range.begin.offset == word.begin);
        RC_ASSERT(word.range.end.offset == word.end);
        RC_ASSERT(word.Static());
        RC_ASSERT(std::string(word.value) == expected_argv[c][w]);
      }
    }
  });
  CHECK(ok);
}

// ---- Real Dockerfiles ---------------------------------------------------------------------

TEST_CASE("every RUN of the real Dockerfile corpus gets a shell view", "[shell][corpus]") {
  const std::filesystem::path dir = SharedDir() / "corpus/real/dockerfile";
  REQUIRE(std::filesystem::is_directory(dir));
  size_t files = 0, runs = 0, commands = 0, warned = 0, exact = 0, words = 0;
  std::map<ShellKind, size_t> kinds;
  auto start = std::chrono::steady_clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    auto file =
        std::make_shared<SourceFile>(entry.path().filename().string(), ReadFile(entry.path()));
    auto tree = ParseDockerfile(file);
    if (!tree) continue;  // BuildKit refuses it too
    ++files;
    std::vector<ShellScript> views = ShellViewsOf(**tree);
    REQUIRE(views.size() == (*tree)->instructions.size());
    for (size_t i = 0; i < views.size(); ++i) {
      const Instruction& ins = (*tree)->instructions[i];
      bool is_run = ins.kind == InstructionKind::kRun ||
                    (ins.kind == InstructionKind::kOnbuild && ins.onbuild &&
                     ins.onbuild->kind == InstructionKind::kRun);
      if (!is_run) continue;
      ++runs;
      INFO(file->Path() << ":" << ins.range.begin.line);
      const ShellScript& s = views[i];
      CHECK(s.Kind() != ShellKind::kNone);
      ++kinds[s.Kind()];
      if (!s.Warnings().empty()) ++warned;
      for (const ShellCommand& cmd : s.Commands()) {
        ++commands;
        CHECK(cmd.begin <= cmd.end);
        CHECK(cmd.end <= s.Text().size());
        for (const ShellWord& w : cmd.argv) {
          ++words;
          REQUIRE(w.end <= s.Text().size());
          CHECK(s.Text().substr(w.begin, w.end - w.begin) == w.raw);
          CHECK(w.range.begin.offset <= w.range.end.offset);
          CHECK(w.range.end.offset <= file->Text().size());
          // Where the script is the file's own text, the range covers exactly the raw word.
          if (Covered(*file, w.range) == w.raw) ++exact;
        }
      }
    }
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  // Shown when a check below fails.
  INFO("corpus: " << files << " files, " << runs << " RUN (" << kinds[ShellKind::kShell]
                  << " shell, " << kinds[ShellKind::kExec] << " exec, "
                  << kinds[ShellKind::kNotShell] << " not shell, " << kinds[ShellKind::kNotPosix]
                  << " non-POSIX SHELL), " << commands << " commands, " << words << " words ("
                  << exact << " covering their raw text), " << warned << " with shell warnings, "
                  << ms << " ms");
  CHECK(files > 800);
  CHECK(kinds[ShellKind::kNone] == 0);
  CHECK(kinds[ShellKind::kShell] * 100 >= runs * 95);
  CHECK(exact * 1000 >= words * 995);
}

}  // namespace
}  // namespace dockit
