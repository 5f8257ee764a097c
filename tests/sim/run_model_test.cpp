// The RUN model: lists and exit codes, cd, variables, redirections and heredocs, the file
// commands with GNU and busybox wording, unknown and opaque commands.
#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"
#include "tests/sim/run_test_util.hpp"

namespace dockit::sim {
namespace {

using testing::RunWorld;

TEST_CASE("run model: && stops at a failure, ; and || go on", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("false && touch /a; touch /b");
  CHECK(a.exit_code == 0);
  CHECK(w.At("/a") == nullptr);
  CHECK(w.At("/b") != nullptr);

  RunOutcome b = w.Run("false || echo rescued");
  CHECK(b.exit_code == 0);
  CHECK(b.output == "rescued\n");

  RunOutcome c = w.Run("true && false");
  CHECK(c.exit_code == 1);

  // Docker's /bin/sh -c has no -e: a failure in a `;` list does not stop it.
  RunOutcome d = w.Run("false; echo after");
  CHECK(d.exit_code == 0);
  CHECK(d.output == "after\n");

  RunOutcome e = w.Run("set -e; false; echo never");
  CHECK(e.exit_code == 1);
  CHECK(e.output.empty());

  RunOutcome f = w.Run("set -e; false || true; echo fine");
  CHECK(f.exit_code == 0);
  CHECK(f.output == "fine\n");

  RunOutcome g = w.Run("exit 3; echo never");
  CHECK(g.exit_code == 3);
  CHECK(g.output.empty());

  RunOutcome h = w.Run("! false && echo negated");
  CHECK(h.output == "negated\n");
}

TEST_CASE("run model: pipelines take the last command's status", "[sim][run]") {
  RunWorld w;
  CHECK(w.Run("false | true").exit_code == 0);
  CHECK(w.Run("true | false").exit_code == 1);
  RunOutcome tee = w.Run("echo piped | tee /t");
  CHECK(tee.output == "piped\n");
  CHECK(w.Text("/t") == "piped\n");
  // dash has no pipefail: `set -o pipefail` is an error that ends the shell.
  RunOutcome dash = w.Run("set -o pipefail && false | true; echo never");
  CHECK(dash.exit_code == 2);
  CHECK(dash.output == "sh: 1: set: Illegal option -o pipefail\n");
  RunWorld alpine("alpine:3.20");
  CHECK(alpine.Run("set -o pipefail; false | true").exit_code == 1);
}

TEST_CASE("run model: cd changes the directory of later commands", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("mkdir -p /app/src && cd /app && touch x && cd src && touch y && pwd");
  CHECK(a.exit_code == 0);
  CHECK(a.output == "/app/src\n");
  CHECK(w.At("/app/x") != nullptr);
  CHECK(w.At("/app/src/y") != nullptr);

  RunOutcome b = w.Run("cd /nope && touch z");
  CHECK(b.exit_code == 2);
  CHECK(b.output == "sh: 1: cd: can't cd to /nope\n");

  w.context.workdir = "/app";
  RunOutcome c = w.Run("touch rel && ls");
  CHECK(c.output == "rel\nsrc\nx\n");
}

TEST_CASE("run model: variables from ENV, assignments and export", "[sim][run]") {
  RunWorld w;
  w.context.env.emplace_back("APP", "/srv/app");
  RunOutcome a = w.Run("mkdir -p $APP/data && echo \"${APP}/data\" ${MISSING:-dflt}");
  CHECK(a.exit_code == 0);
  CHECK(a.output == "/srv/app/data dflt\n");
  CHECK(w.At("/srv/app/data") != nullptr);

  RunOutcome b = w.Run("X=1; echo $X; export Y=2; printenv Y; Z=3 printenv Z; printenv X");
  CHECK(b.output == "1\n2\n3\n");
  CHECK(b.exit_code == 1);  // X is not exported

  RunOutcome c = w.Run("false; echo $?");
  CHECK(c.output == "1\n");

  // A command substitution is never guessed.
  RunOutcome d = w.Run("mkdir /$(uname -m)");
  CHECK(d.exit_code == 0);
  REQUIRE(d.opaque.size() == 1);
  CHECK(d.opaque[0] == "mkdir /$(uname -m)");
}

TEST_CASE("run model: echo, printf and cat to files and to the terminal", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("echo hello > /f && echo again >> /f && cat /f");
  CHECK(a.output == "hello\nagain\n");  // the echoes went to the file
  CHECK(w.Text("/f") == "hello\nagain\n");
  const Node* f = w.At("/f");
  REQUIRE(f != nullptr);
  CHECK(f->mode == 0644);
  CHECK(f->size == 12);

  RunOutcome b = w.Run("printf '%s=%d\\n' a 1 b 2 > /p");
  CHECK(b.exit_code == 0);
  CHECK(w.Text("/p") == "a=1\nb=2\n");

  RunOutcome c = w.Run("cat /p /f > /both");
  CHECK(w.Text("/both") == "a=1\nb=2\nhello\nagain\n");

  RunOutcome d = w.Run("cat /missing");
  CHECK(d.exit_code == 1);
  CHECK(d.output == "cat: /missing: No such file or directory\n");

  RunOutcome e = w.Run("echo x > /nodir/f");
  CHECK(e.exit_code == 2);
  CHECK(e.output == "sh: 1: cannot create /nodir/f: Directory nonexistent\n");

  RunOutcome g = w.Run("cat /missing 2>/dev/null || echo quiet");
  CHECK(g.output == "quiet\n");
  RunOutcome h = w.Run("cat /missing > /err 2>&1");
  CHECK(h.output.empty());
  CHECK(w.Text("/err") == "cat: /missing: No such file or directory\n");
  RunOutcome i = w.Run("cat /missing 2>&1 > /out");
  CHECK(i.output == "cat: /missing: No such file or directory\n");
  CHECK(w.Text("/out").empty());
  RunOutcome j = w.Run("cat /missing 2>&1 | tee /tee");
  CHECK(j.output == "cat: /missing: No such file or directory\n");
  CHECK(w.Text("/tee") == "cat: /missing: No such file or directory\n");
  RunOutcome k = w.Run("echo to-stderr >&2 2>/dev/null; echo visible 1>&2");
  CHECK(k.output == "to-stderr\nvisible\n");
  RunOutcome l = w.Run("echo one > /both && cat /p /missing >> /both 2>&1");
  CHECK(w.Text("/both") == "one\na=1\nb=2\ncat: /missing: No such file or directory\n");
}

TEST_CASE("run model: heredocs", "[sim][run]") {
  RunWorld w;
  w.context.env.emplace_back("NAME", "world");
  RunOutcome a = w.Run("cat > /etc/app.conf <<EOF\nhello $NAME\nport=80\nEOF\necho done");
  CHECK(a.exit_code == 0);
  CHECK(w.Text("/etc/app.conf") == "hello world\nport=80\n");
  CHECK(a.output == "done\n");

  RunOutcome b = w.Run("cat <<'EOF' > /raw\nkeep $NAME\nEOF");
  CHECK(b.exit_code == 0);
  CHECK(w.Text("/raw") == "keep $NAME\n");
}

TEST_CASE("run model: mkdir, touch, rm with coreutils messages", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("mkdir /a/b");
  CHECK(a.exit_code == 1);
  CHECK(a.output == "mkdir: cannot create directory '/a/b': No such file or directory\n");
  CHECK(w.Run("mkdir -p -m 700 /a/b").exit_code == 0);
  CHECK(w.At("/a")->mode == 0755);
  CHECK(w.At("/a/b")->mode == 0700);
  CHECK(w.Run("mkdir /a").output == "mkdir: cannot create directory '/a': File exists\n");

  CHECK(w.Run("touch /a/b/f").exit_code == 0);
  RunOutcome rm = w.Run("rm /a");
  CHECK(rm.exit_code == 1);
  CHECK(rm.output == "rm: cannot remove '/a': Is a directory\n");
  CHECK(w.Run("rm /nope").output == "rm: cannot remove '/nope': No such file or directory\n");
  CHECK(w.Run("rm -f /nope").exit_code == 0);
  CHECK(w.Run("rm -rf /a").exit_code == 0);
  CHECK(w.At("/a") == nullptr);

  // Removing a base-image file leaves a whiteout.
  CHECK(w.Run("rm /etc/shadow").exit_code == 0);
  plan::Layer diff = w.layer->Diff();
  bool whiteout = false;
  for (const plan::FileChange& c : diff.changes) {
    whiteout |= c.kind == plan::FileChange::Kind::kWhiteout && c.path == "/etc/shadow";
  }
  CHECK(whiteout);
}

TEST_CASE("run model: busybox wording on alpine", "[sim][run]") {
  RunWorld w("alpine:3.20");
  RunOutcome a = w.Run("mkdir /a/b");
  CHECK(a.output == "mkdir: can't create directory '/a/b': No such file or directory\n");
  RunOutcome b = w.Run("frobnicate --now");
  CHECK(b.exit_code == 127);
  CHECK(b.output == "/bin/sh: frobnicate: not found\n");
  RunOutcome c = w.Run("apt-get update");
  CHECK(c.exit_code == 127);
  CHECK(c.output == "/bin/sh: apt-get: not found\n");
  RunOutcome d = w.Run("echo x > /nodir/f");
  CHECK(d.exit_code == 1);
  CHECK(d.output == "/bin/sh: can't create /nodir/f: nonexistent directory\n");
}

TEST_CASE("run model: cp, mv, ln", "[sim][run]") {
  RunWorld w;
  REQUIRE(w.Run("mkdir -p /src/sub && echo a > /src/a && echo b > /src/sub/b").exit_code == 0);
  RunOutcome a = w.Run("cp /src /dst");
  CHECK(a.exit_code == 1);
  CHECK(a.output == "cp: -r not specified; omitting directory '/src'\n");
  CHECK(w.Run("cp -r /src /dst").exit_code == 0);
  CHECK(w.Text("/dst/sub/b") == "b\n");
  CHECK(w.Run("mkdir /into && cp /src/a /into && mv /into/a /into/moved").exit_code == 0);
  CHECK(w.Text("/into/moved") == "a\n");
  CHECK(w.At("/into/a") == nullptr);
  CHECK(w.Run("mv /nope /x").output == "mv: cannot stat '/nope': No such file or directory\n");

  CHECK(w.Run("ln -s /src/a /link").exit_code == 0);
  CHECK(w.At("/link")->kind == NodeKind::kSymlink);
  CHECK(w.At("/link")->target == "/src/a");
  RunOutcome again = w.Run("ln -s /src/b /link");
  CHECK(again.exit_code == 1);
  CHECK(again.output == "ln: failed to create symbolic link '/link': File exists\n");
  CHECK(w.Run("ln -sf /src/sub/b /link && cat /link").output == "b\n");
}

TEST_CASE("run model: chmod and chown", "[sim][run]") {
  RunWorld w;
  REQUIRE(w.Run("touch /s && mkdir -p /d/e && touch /d/e/f").exit_code == 0);
  CHECK(w.Run("chmod +x /s").exit_code == 0);
  CHECK(w.At("/s")->mode == 0755);
  CHECK(w.Run("chmod go-rx /s").exit_code == 0);
  CHECK(w.At("/s")->mode == 0700);
  CHECK(w.Run("chmod 4750 /s").exit_code == 0);
  CHECK(w.At("/s")->mode == 04750);
  CHECK(w.Run("chmod -R u=rwx,g=rx,o= /d").exit_code == 0);
  CHECK(w.At("/d/e/f")->mode == 0750);
  CHECK(w.Run("chmod 644 /nope").output ==
        "chmod: cannot access '/nope': No such file or directory\n");
  CHECK(w.Run("chmod zz /s").output == "chmod: invalid mode: 'zz'\n");

  CHECK(w.Run("chown -R 1000:1000 /d").exit_code == 0);
  CHECK(w.At("/d/e/f")->uid == 1000);
  CHECK(w.At("/d/e")->gid == 1000);
  RunOutcome bad = w.Run("chown nobodyhere /s");
  CHECK(bad.exit_code == 1);
  CHECK(bad.output == "chown: invalid user: 'nobodyhere'\n");
  CHECK(w.Run("chown www-data:www-data /s").exit_code == 0);
  CHECK(w.At("/s")->uid == 33);
  CHECK(w.At("/s")->gid == 33);
}

TEST_CASE("run model: sized files", "[sim][run]") {
  RunWorld w;
  CHECK(w.Run("head -c 10M /dev/urandom > /blob").exit_code == 0);
  CHECK(w.At("/blob")->size == 10u << 20);
  CHECK(w.Run("dd if=/dev/zero of=/dd bs=1M count=3").exit_code == 0);
  CHECK(w.At("/dd")->size == 3u << 20);
  CHECK(w.Run("fallocate -l 1G /big").exit_code == 0);
  CHECK(w.At("/big")->size == 1ull << 30);
  CHECK(w.Run("truncate -s 5K /t").exit_code == 0);
  CHECK(w.At("/t")->size == 5u << 10);
  CHECK(w.Run("truncate -s 1K /big").exit_code == 0);
  CHECK(w.At("/big")->size == 1u << 10);
}

TEST_CASE("run model: ls, test, which, whoami, id, env", "[sim][run]") {
  RunWorld w;
  REQUIRE(w.Run("mkdir /l && touch /l/b /l/a /l/.h").exit_code == 0);
  CHECK(w.Run("ls /l").output == "a\nb\n");
  CHECK(w.Run("ls -A /l").output == ".h\na\nb\n");
  RunOutcome missing = w.Run("ls /nope");
  CHECK(missing.exit_code == 2);
  CHECK(missing.output == "ls: cannot access '/nope': No such file or directory\n");
  CHECK(w.Run("test -d /l && [ -f /l/a ] && [ ! -e /l/c ] && echo yes").output == "yes\n");
  CHECK(w.Run("[ 2 -gt 1 ] && [ a = a ] && [ -n x ]").exit_code == 0);
  CHECK(w.Run("[ -f /l/a").output == "sh: 1: [: missing ]\n");
  CHECK(w.Run("which sh").output == "/usr/bin/sh\n");
  CHECK(w.Run("which nothing-here").exit_code == 1);
  CHECK(w.Run("command -v apt-get").output == "/usr/bin/apt-get\n");
  CHECK(w.Run("whoami").output == "root\n");
  CHECK(w.Run("id").output == "uid=0(root) gid=0(root) groups=0(root)\n");
  CHECK(w.Run("sleep 5").exit_code == 0);
}

TEST_CASE("run model: unknown and opaque commands", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("frobnicate --now");
  CHECK(a.exit_code == 127);
  CHECK(a.output == "sh: 1: frobnicate: not found\n");
  RunOutcome b = w.Run("echo a\nfrobnicate");
  CHECK(b.output == "a\nsh: 2: frobnicate: not found\n");
  RunOutcome c = w.Run("sed -i s/a/b/ /etc/passwd && tar -xzf /x.tgz -C /opt");
  CHECK(c.exit_code == 0);
  CHECK(c.opaque ==
        std::vector<std::string>{"sed -i s/a/b/ /etc/passwd", "tar -xzf /x.tgz -C /opt"});
  CHECK(w.layer->Diff().changes.empty());
  RunOutcome d = w.Run("pip install flask");
  CHECK(d.exit_code == 127);
  CHECK(d.output == "sh: 1: pip: not found\n");
  // debian:bookworm-slim has no sudo.
  CHECK(w.Run("sudo touch /s").output == "sh: 1: sudo: not found\n");
  CHECK(w.Run("env A=1 printenv A").output == "1\n");
  RunOutcome e = w.Run("if [ -f /x ]; then touch /y; fi");
  CHECK(e.exit_code == 0);
  CHECK(w.At("/y") == nullptr);
  CHECK(!e.opaque.empty());
}

TEST_CASE("run model: sh -c runs its script in a child shell", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("sh -c 'mkdir /c && cd /c && touch f'; pwd");
  CHECK(a.exit_code == 0);
  CHECK(a.output == "/\n");
  CHECK(w.At("/c/f") != nullptr);
  CHECK(w.Run("sh -c 'exit 4'").exit_code == 4);
}

TEST_CASE("run model: permissions of a non-root user", "[sim][run]") {
  RunWorld w;
  w.context.user = "nobody";
  RunOutcome a = w.Run("mkdir /opt/x");
  CHECK(a.exit_code == 1);
  CHECK(a.output == "mkdir: cannot create directory '/opt/x': Permission denied\n");
  RunOutcome b = w.Run("echo x > /etc/x");
  CHECK(b.exit_code == 2);
  CHECK(b.output == "sh: 1: cannot create /etc/x: Permission denied\n");
  CHECK(w.Run("touch /tmp/mine").exit_code == 0);
  CHECK(w.At("/tmp/mine")->uid == 65534);
  CHECK(w.Run("whoami").output == "nobody\n");
  RunOutcome c = w.Run("apt-get update");
  CHECK(c.exit_code == 100);
}

TEST_CASE("run model: the base system's standard directories exist", "[sim][run]") {
  // The catalogue lists only the files that matter; /usr/local/bin, /opt and /etc/apt are
  // there in the real images all the same.
  RunWorld w;
  CHECK(w.Run("mkdir -p /opt && test -d /usr/local/bin && cd /srv").exit_code == 0);
  CHECK(w.layer->Diff().changes.empty());
  CHECK(w.Run("mkdir /opt").output == "mkdir: cannot create directory '/opt': File exists\n");
  RunOutcome a = w.Run(
      "echo '#!/bin/sh' > /usr/local/bin/tool && chmod +x /usr/local/bin/tool && "
      "cd /opt && touch a");
  CHECK(a.exit_code == 0);
  CHECK(w.At("/usr/local/bin/tool")->mode == 0755);
  CHECK(w.At("/opt/a") != nullptr);
  RunWorld alpine("alpine:3.20");
  CHECK(alpine.Run("cp /etc/passwd /usr/local/bin/").exit_code == 0);
  CHECK(alpine.At("/usr/local/bin/passwd") != nullptr);
}

TEST_CASE("run model: grep decides what || and && run", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run(
      "grep -q '^www-data:' /etc/passwd && echo has-www; "
      "grep -qx 'app' /etc/passwd || echo app >> /tmp/missing");
  CHECK(a.output == "has-www\n");
  CHECK(w.Text("/tmp/missing") == "app\n");
  CHECK(w.Run("grep -c root /etc/passwd /etc/group").output == "/etc/passwd:1\n/etc/group:1\n");
  CHECK(w.Run("grep -n -E '^(root|daemon):' /etc/group").output == "1:root:x:0:\n2:daemon:x:1:\n");
  RunOutcome b = w.Run("grep x /nope");
  CHECK(b.exit_code == 2);
  CHECK(b.output == "grep: /nope: No such file or directory\n");
  CHECK(w.Run("echo hello | grep -i HELLO").output == "hello\n");
  // Basic regular expressions: \( \) group, a plain ( and + are literal.
  CHECK(w.Run("echo 'a(b)+c' | grep 'a(b)+c'").output == "a(b)+c\n");
  CHECK(w.Run("echo abab | grep -x '\\(ab\\)*'").output == "abab\n");
  CHECK(w.Run("echo abab | grep -xE '(ab)+'").output == "abab\n");
  CHECK(w.Run("echo x | grep '('").exit_code == 1);
  CHECK(w.Run("echo x | grep -E '('").opaque.size() == 1);
  CHECK(w.Run("grep -r x /etc").opaque.size() == 1);
}

TEST_CASE("run model: the step's user", "[sim][run]") {
  RunWorld w;
  w.context.user = "nope";
  RunOutcome a = w.Run("true");
  CHECK(a.exit_code == 1);
  CHECK(a.output == "unable to find user nope: no matching entries in passwd file\n");
  w.context.user = "1001";
  CHECK(w.Run("id").output == "uid=1001 gid=0(root) groups=0(root)\n");
  w.context.user = "www-data:nogroup";
  CHECK(w.Run("id -u && id -g && touch /tmp/w").output == "33\n65534\n");
  CHECK(w.At("/tmp/w")->gid == 65534);
}

TEST_CASE("run model: a missing /bin/sh fails the step", "[sim][run]") {
  RunWorld w("scratch");
  RunOutcome a = w.Run("echo hi");
  CHECK(a.exit_code == 127);
  CHECK(a.output == "exec: \"/bin/sh\": stat /bin/sh: no such file or directory\n");
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

// The shell view of a Dockerfile's RUN, as the build gives it to the model.
ShellScript ViewOfRun(const std::string& run) {
  auto file = std::make_shared<SourceFile>("Dockerfile", "FROM debian:bookworm-slim\n" + run);
  auto tree = ParseDockerfile(file);
  REQUIRE(tree);
  return ShellOf((*tree)->instructions[1], *file);
}

TEST_CASE("run model: BuildKit heredocs and exec form", "[sim][run]") {
  RunWorld w;
  ShellScript a = ViewOfRun("RUN cat <<EOF > /etc/motd\nwelcome\nEOF\n");
  RunOutcome ra = RunScript(a, w.context);
  CHECK(ra.exit_code == 0);
  CHECK(w.Text("/etc/motd") == "welcome\n");

  ShellScript b = ViewOfRun("RUN <<EOF\nmkdir -p /opt/app\ncd /opt/app\ntouch ready\nEOF\n");
  RunOutcome rb = RunScript(b, w.context);
  CHECK(rb.exit_code == 0);
  CHECK(w.At("/opt/app/ready") != nullptr);

  ShellScript c = ViewOfRun("RUN [\"mkdir\", \"-p\", \"/exec/dir\"]\n");
  RunOutcome rc = RunScript(c, w.context);
  CHECK(rc.exit_code == 0);
  CHECK(w.At("/exec/dir") != nullptr);

  ShellScript d = ViewOfRun("RUN [\"frobnicate\"]\n");
  RunOutcome rd = RunScript(d, w.context);
  CHECK(rd.exit_code == 127);
  CHECK(rd.output == "exec: \"frobnicate\": executable file not found in $PATH\n");

  ShellScript f = ViewOfRun("RUN bash <<EOF\nset -e\nmkdir /from-bash\nEOF\n");
  RunOutcome rf = RunScript(f, w.context);
  CHECK(rf.exit_code == 0);
  CHECK(w.At("/from-bash") != nullptr);

  ShellScript e = ViewOfRun("RUN [\"sh\", \"-c\", \"echo $HOME > /home.txt\"]\n");
  RunOutcome re = RunScript(e, w.context);
  CHECK(re.exit_code == 0);
  CHECK(w.Text("/home.txt") == "/root\n");
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

TEST_CASE("run model: set -u and set -x", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("set -eux; mkdir -p /a; echo ${NOPE:-fine}; touch /a/$NOPE; echo never");
  CHECK(a.exit_code == 2);
  CHECK(a.output == "+ mkdir -p /a\n+ echo fine\nfine\nsh: 1: NOPE: parameter not set\n");
}

TEST_CASE("run model: SHELL bash", "[sim][run]") {
  RunWorld w;
  w.context.shell = {"/bin/bash", "-c"};
  RunOutcome a = w.Run("set -o pipefail && false | true");
  CHECK(a.exit_code == 1);
  RunOutcome b = w.Run("frobnicate");
  CHECK(b.exit_code == 127);
  CHECK(b.output == "/bin/bash: line 1: frobnicate: command not found\n");
  RunOutcome c = w.Run("echo -e 'a\\tb'");
  CHECK(c.output == "a\tb\n");
  // Under dash, echo knows no -e.
  w.context.shell = {"/bin/sh", "-c"};
  CHECK(w.Run("echo -e 'a'").output == "-e a\n");
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

TEST_CASE("run model: rmdir and install", "[sim][run]") {
  RunWorld w;
  REQUIRE(w.Run("mkdir -p /r/s && touch /r/f").exit_code == 0);
  RunOutcome a = w.Run("rmdir /r");
  CHECK(a.exit_code == 1);
  CHECK(a.output == "rmdir: failed to remove '/r': Directory not empty\n");
  CHECK(w.Run("rm /r/f && rmdir -p /r/s").exit_code == 0);
  CHECK(w.At("/r") == nullptr);

  REQUIRE(w.Run("echo '#!/bin/sh' > /tmp/run.sh").exit_code == 0);
  CHECK(w.Run("install -d -m 0750 -o www-data /srv/www/cache").exit_code == 0);
  CHECK(w.At("/srv/www/cache")->mode == 0750);
  CHECK(w.At("/srv/www/cache")->uid == 33);
  CHECK(w.At("/srv/www")->mode == 0755);
  CHECK(w.Run("install -m 755 /tmp/run.sh /usr/local/bin/run").exit_code == 0);
  CHECK(w.At("/usr/local/bin/run")->mode == 0755);
  CHECK(w.Text("/usr/local/bin/run") == "#!/bin/sh\n");
}

TEST_CASE("run model: a stand-in base makes missing programs opaque", "[sim][run]") {
  RunWorld w;
  w.context.base_unknown = true;
  RunOutcome a = w.Run("frobnicate --now && apk add --no-cache curl");
  CHECK(a.exit_code == 0);
  CHECK(a.opaque == std::vector<std::string>{"frobnicate --now", "apk add --no-cache curl"});
  // Genuine failures still fail.
  CHECK(w.Run("false").exit_code == 1);
  CHECK(w.Run("exit 4").exit_code == 4);
}

TEST_CASE("run model: after an opaque command, a missing path is not a failure", "[sim][run]") {
  RunWorld w;
  // Nothing opaque ran: the missing path fails.
  RunOutcome a = w.Run("chmod +x /usr/local/bin/tool");
  CHECK(a.exit_code == 1);
  CHECK(a.output == "chmod: cannot access '/usr/local/bin/tool': No such file or directory\n");
  // `sed -i` is opaque: what follows may use what it made.
  RunOutcome b = w.Run(
      "sed -i s/a/b/ /etc/passwd && chmod +x /usr/local/bin/tool && mv /tmp/a /tmp/b && "
      "cat /tmp/c && rm /tmp/d && touch /done");
  CHECK(b.exit_code == 0);
  CHECK(b.output.empty());
  CHECK(w.At("/done") != nullptr);
  CHECK(w.At("/usr/local/bin/tool") == nullptr);
  REQUIRE(!b.notes.empty());
  CHECK(b.notes.back().find("may have been made by a command the model does not know") !=
        std::string::npos);
  // Other failures after an opaque command still fail.
  CHECK(w.Run("sed -i s/a/b/ /etc/passwd && false").exit_code == 1);
  CHECK(w.Run("sed -i s/a/b/ /etc/passwd && mkdir /etc").exit_code == 1);
  // An opaque command in an earlier RUN of the chain counts too.
  w.context.earlier_opaque = true;
  RunOutcome c = w.Run("cp /opt/app/config.yml /etc/app.yml");
  CHECK(c.exit_code == 0);
  CHECK(w.At("/etc/app.yml") == nullptr);
  // A program by path after an opaque command may be its output as well.
  CHECK(w.Run("./configure --prefix=/usr").exit_code == 0);
}

TEST_CASE("run model: what an opaque command may have made does not fail later commands",
          "[sim][run]") {
  RunWorld w;
  // Nothing opaque before: cd, redirections and tests of missing paths behave as dash's.
  CHECK(w.Run("cd /src/app").exit_code == 2);
  CHECK(w.Run("echo x > /etc/app/conf").exit_code == 2);
  CHECK(w.Run("[ -f /opt/app/bin ]").exit_code == 1);
  // After `tar -x` (opaque): cd goes there, a write into a missing folder is left out, a test
  // of a missing path is opaque, command -v and which find what may have been brought.
  RunOutcome a = w.Run(
      "tar -xzf /src.tgz -C /usr/src && cd /usr/src/app && echo x > /etc/app/conf && "
      "[ -f /opt/app/bin ] && command -v app && which app && touch made && cat < /etc/app/in");
  CHECK(a.exit_code == 0);
  // The folder is not made: what goes into it is left out of the layer.
  CHECK(w.At("/usr/src/app/made") == nullptr);
  CHECK(w.At("/etc/app/conf") == nullptr);
  REQUIRE(!a.notes.empty());
  // `. FILE` may set any variable: under set -u an unset one is unknown, not an error.
  RunOutcome b = w.Run("set -u; . /etc/os-release; echo \"$UNSET_BY_MODEL\"; touch /sourced");
  CHECK(b.exit_code == 0);
  CHECK(w.At("/sourced") != nullptr);
  CHECK(w.Run("set -u; echo \"$UNSET_BY_MODEL\"").exit_code == 2);
  // What an opaque command prints is unknown to the next command of a pipeline.
  RunOutcome c = w.Run("set -e; sed -n p /etc/hostname | grep -q something; touch /piped");
  CHECK(c.exit_code == 0);
  CHECK(w.At("/piped") != nullptr);
  // A secret mount's files are not modelled.
  w.context.other_mounts = {"/run/secrets/token"};
  CHECK(w.Run("cat /run/secrets/token > /dev/null").exit_code == 0);
}

TEST_CASE("run model: a stand-in base's USER and apt are not known", "[sim][run]") {
  RunWorld w;
  w.context.base_unknown = true;
  w.context.user = "app";
  RunOutcome a = w.Run("apt-get update && apt-get install -y curl && whoami");
  CHECK(a.exit_code == 0);
  CHECK(a.output.ends_with("root\n"));
  CHECK(a.opaque.size() == 2);
  RunWorld alpine("alpine:3.20");
  RunOutcome b = alpine.Run(
      "addgroup -S docker && adduser -S --shell /bin/bash --ingroup docker "
      "vscode && id vscode");
  CHECK(b.exit_code == 0);
  CHECK(b.output.find("(docker)") != std::string::npos);
}

}  // namespace
}  // namespace dockit::sim
