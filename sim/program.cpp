#include "sim/program.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "sim/path.hpp"
#include "sim/sim_time.hpp"

namespace dockit::sim {
namespace {

Diagnostic DeclarationError(const std::string& origin, size_t line, const std::string& why) {
  return Diagnostic{
      "bad-program-declaration", origin + ": line " + std::to_string(line) + ": " + why, {}};
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::optional<int64_t> ParseInt(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string Lookup(const Env& env, std::string_view name) {
  for (auto it = env.rbegin(); it != env.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return "";
}

bool Has(const Env& env, std::string_view name) {
  return std::any_of(env.begin(), env.end(),
                     [&](const auto& e) { return e.first == name && !e.second.empty(); });
}

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string Join(const std::vector<std::string>& words, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < words.size(); ++i) out += (i > from ? " " : "") + words[i];
  return out;
}

// Splits a shell line into words, honouring single and double quotes (no expansions beyond
// the caller's $VAR pass).
std::vector<std::string> Words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

Behaviour ExitsAt(std::string origin, int64_t at, int code) {
  Behaviour b;
  b.origin = std::move(origin);
  b.exit_after = at;
  b.exit_code = code;
  return b;
}

Behaviour PrintsAndExits(std::string origin, std::vector<std::string> lines, int code,
                         bool to_stderr = false) {
  Behaviour b = ExitsAt(std::move(origin), 0, code);
  for (std::string& line : lines) b.prints.push_back({0, std::move(line), to_stderr});
  return b;
}

// Where a command word leads in the container, or nullopt when it is not there.
std::optional<std::string> FindExecutable(const std::string& word, const ProgramContext& ctx) {
  auto is_file = [&](const std::string& path) {
    auto node = ctx.view->Stat(path);
    return node.Ok() && node.Value().kind == NodeKind::kFile;
  };
  if (word.find('/') != std::string::npos) {
    std::string path = word[0] == '/' ? word : ctx.workdir + "/" + word;
    return is_file(path) ? std::optional<std::string>(path) : std::nullopt;
  }
  std::string path_var = Lookup(ctx.env, "PATH");
  if (path_var.empty()) path_var = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  size_t start = 0;
  while (start <= path_var.size()) {
    size_t colon = path_var.find(':', start);
    if (colon == std::string::npos) colon = path_var.size();
    std::string dir = path_var.substr(start, colon - start);
    if (!dir.empty() && is_file(dir + "/" + word)) return dir + "/" + word;
    start = colon + 1;
  }
  // The catalogue keeps only the files that matter as entries; the core utilities of an image
  // with a shell are taken to be there (coreutils or busybox).
  static const std::set<std::string, std::less<>> kCore = {
      "echo", "sleep", "cat", "true", "false", "sh", "env", "printenv", "ls", "touch", "tail"};
  if (kCore.count(word) && ctx.view->Stat("/bin/sh").Ok()) return "/bin/" + word;
  return std::nullopt;
}

std::string ShellNotFound(const std::string& word, const ProgramContext& ctx) {
  bool busybox = ctx.view->Stat("/bin/busybox").Ok();
  return busybox ? "/bin/sh: " + word + ": not found" : "/bin/sh: 1: " + word + ": not found";
}

Result<Behaviour> Resolve(std::vector<std::string> argv, const ProgramContext& ctx,
                          bool interactive, int depth);

// `sh -c SCRIPT`: `;`, `&&`, `||` and newlines between simple commands, each resolved as a
// program and run one after the other on the timeline.
Result<Behaviour> ShellScript(const std::string& script, const ProgramContext& ctx, int depth) {
  Behaviour out;
  out.origin = "built-in sh -c";
  out.ignore_sigterm = true;  // a shell as PID 1 has no SIGTERM handler
  int64_t cursor = 0;
  int status = 0;
  std::string rest = script;
  std::string op = ";";
  while (true) {
    // The first separator outside quotes.
    size_t cut = rest.size();
    std::string next_op;
    char quote = 0;
    for (size_t i = 0; i < rest.size() && next_op.empty(); ++i) {
      char ch = rest[i];
      if (quote) {
        if (ch == quote) quote = 0;
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
      } else if (ch == ';' || ch == '\n') {
        cut = i;
        next_op = std::string(1, ch);
      } else if ((ch == '&' || ch == '|') && i + 1 < rest.size() && rest[i + 1] == ch) {
        cut = i;
        next_op = std::string(2, ch);
      }
    }
    std::string segment = Trim(rest.substr(0, cut));
    rest = cut == rest.size() ? "" : rest.substr(cut + next_op.size());
    bool skip = (op == "&&" && status != 0) || (op == "||" && status == 0);
    if (!segment.empty() && !skip) {
      std::vector<std::string> words = Words(ExpandVars(segment, ctx.env));
      if (!words.empty() && words[0] == "exit") {
        status = words.size() > 1 ? static_cast<int>(ParseInt(words[1]).value_or(2) & 255) : status;
        out.exit_after = cursor;
        out.exit_code = status;
        return out;
      }
      if (!words.empty() && words[0] == "exec") words.erase(words.begin());
      Result<Behaviour> step = Resolve(words, ctx, false, depth + 1);
      Behaviour b;
      if (!step.Ok()) {
        b = PrintsAndExits("", {ShellNotFound(words.empty() ? "" : words[0], ctx)}, 127, true);
      } else {
        b = std::move(step).Value();
      }
      for (TimedLine& line : b.prints)
        out.prints.push_back({cursor + line.at, line.text, line.stderr_stream});
      if (b.listen_port && !out.listen_port) {
        out.listen_port = b.listen_port;
        out.listen_at = cursor + b.listen_at;
        out.response = b.response;
      }
      if (b.healthy_after && !out.healthy_after) out.healthy_after = cursor + *b.healthy_after;
      if (!b.declared) {
        out.declared = false;
        out.origin = b.origin;
      }
      if (!b.exit_after) {  // runs forever: the rest is never reached
        out.exit_after.reset();
        return out;
      }
      cursor += *b.exit_after;
      status = b.exit_code;
    }
    if (rest.empty() && next_op.empty()) break;
    op = next_op == "\n" ? ";" : next_op;
  }
  out.exit_after = cursor;
  out.exit_code = status;
  return out;
}

Behaviour Nginx(const ProgramContext& ctx) {
  Behaviour b;
  b.origin = "built-in nginx";
  std::string t = FormatTime(ctx.now, "%Y/%m/%d %H:%M:%S");
  for (const char* line :
       {"/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform "
        "configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of "
        "/etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in "
        "/etc/nginx/conf.d/default.conf",
        "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        "/docker-entrypoint.sh: Configuration complete; ready for start up"}) {
    b.prints.push_back({0, line, false});
  }
  for (const char* line : {"using the \"epoll\" event method", "nginx/1.27.3",
                           "built by gcc 12.2.0 (Debian 12.2.0-14)", "start worker processes"}) {
    b.prints.push_back({0, t + " [notice] 1#1: " + line, true});
  }
  b.listen_port = 80;
  b.response = NginxWelcomePage();
  b.sigterm_exit_code = 0;  // SIGQUIT (its STOPSIGNAL) or SIGTERM: a clean shutdown
  return b;
}

Behaviour Redis(const ProgramContext& ctx) {
  Behaviour b;
  b.origin = "built-in redis-server";
  std::string t = FormatTime(ctx.now, "%d %b %Y %H:%M:%S") + ".000";
  b.prints = {{0, "1:C " + t + " * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", false},
              {0,
               "1:C " + t +
                   " * Redis version=7.4.1, bits=64, commit=00000000, modified=0, "
                   "pid=1, just started",
               false},
              {0, "1:M " + t + " * Server initialized", false},
              {0, "1:M " + t + " * Ready to accept connections tcp", false}};
  b.listen_port = 6379;
  b.sigterm_exit_code = 0;
  return b;
}

Behaviour Postgres(const ProgramContext& ctx) {
  if (!Has(ctx.env, "POSTGRES_PASSWORD") &&
      Lookup(ctx.env, "POSTGRES_HOST_AUTH_METHOD") != "trust") {
    return PrintsAndExits(
        "built-in postgres",
        {"Error: Database is uninitialized and superuser password is not specified.",
         "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
         "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".", "",
         "       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all",
         "       connections without a password. This is *not* recommended.", "",
         "       See PostgreSQL documentation about \"trust\":",
         "       https://www.postgresql.org/docs/current/auth-trust.html"},
        1, true);
  }
  Behaviour b;
  b.origin = "built-in postgres";
  b.prints = {
      {0, "The files belonging to this database system will be owned by user \"postgres\".", false},
      {1, "Success. You can now start the database server using:", false},
      {2, "PostgreSQL init process complete; ready for start up.", false},
      {3,
       FormatTime(ctx.now + 3, "%Y-%m-%d %H:%M:%S") +
           ".000 UTC [1] LOG:  database system is ready to accept connections",
       false}};
  b.listen_port = 5432;
  b.listen_at = 3;
  b.healthy_after = 3;
  b.sigterm_exit_code = 0;
  return b;
}

Behaviour Mysql(const ProgramContext& ctx) {
  std::string t = FormatTime(ctx.now, "%Y-%m-%d %H:%M:%S") + "+00:00";
  if (!Has(ctx.env, "MYSQL_ROOT_PASSWORD") && !Has(ctx.env, "MYSQL_ALLOW_EMPTY_PASSWORD") &&
      !Has(ctx.env, "MYSQL_RANDOM_ROOT_PASSWORD")) {
    return PrintsAndExits(
        "built-in mysqld",
        {t + " [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.40-1.el9 started.",
         t + " [ERROR] [Entrypoint]: Database is uninitialized and password option is not "
             "specified",
         "    You need to specify one of the following as an environment variable:",
         "    - MYSQL_ROOT_PASSWORD", "    - MYSQL_ALLOW_EMPTY_PASSWORD",
         "    - MYSQL_RANDOM_ROOT_PASSWORD"},
        1, true);
  }
  Behaviour b;
  b.origin = "built-in mysqld";
  b.prints = {
      {0, t + " [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.40-1.el9 started.",
       false},
      {10,
       FormatTime(ctx.now + 10, "%Y-%m-%dT%H:%M:%S") +
           ".000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for "
           "connections. Version: '8.0.40'  socket: '/var/run/mysqld/mysqld.sock'  port: "
           "3306  MySQL Community Server - GPL.",
       false}};
  b.listen_port = 3306;
  b.listen_at = 10;
  b.healthy_after = 10;
  b.sigterm_exit_code = 0;
  return b;
}

Behaviour HttpServer(const std::vector<std::string>& argv, size_t module_at,
                     const ProgramContext& ctx) {
  Behaviour b;
  b.origin = "built-in python -m http.server";
  int port = 8000;
  if (module_at + 2 < argv.size()) {
    if (auto p = ParseInt(argv[module_at + 2])) port = static_cast<int>(*p);
  }
  b.listen_port = port;
  b.response =
      "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory "
      "listing for /</title>\n</head>\n<body>\n<h1>Directory listing for /</h1>\n<hr>\n<ul>\n"
      "</ul>\n<hr>\n</body>\n</html>\n";
  // Python block-buffers stdout when it is not a terminal: without -u or PYTHONUNBUFFERED the
  // banner never reaches `docker logs` while the server runs.
  bool unbuffered =
      Has(ctx.env, "PYTHONUNBUFFERED") || std::find(argv.begin(), argv.end(), "-u") != argv.end();
  if (unbuffered) {
    std::string p = std::to_string(port);
    b.prints.push_back(
        {0, "Serving HTTP on 0.0.0.0 port " + p + " (http://0.0.0.0:" + p + "/) ...", false});
  }
  b.ignore_sigterm = true;  // python as PID 1 installs no SIGTERM handler
  return b;
}

// `python app.py`, `node server.js`: the behaviour the program file declares.
Result<Behaviour> Script(const std::string& interpreter, const std::string& file,
                         const ProgramContext& ctx) {
  std::string path = file[0] == '/' ? file : (ctx.workdir == "/" ? "" : ctx.workdir) + "/" + file;
  auto node = ctx.view->Stat(path);
  if (!node.Ok()) {
    if (interpreter == "node") {
      return PrintsAndExits("built-in node",
                            {"node:internal/modules/cjs/loader:1228", "  throw err;", "  ^", "",
                             "Error: Cannot find module '" + path + "'"},
                            1, true);
    }
    return PrintsAndExits(
        "built-in python",
        {interpreter + ": can't open file '" + path + "': [Errno 2] No such file or directory"}, 2,
        true);
  }
  std::optional<std::string_view> text;
  if (ctx.texts != nullptr) text = ctx.texts->Get(node.Value().digest);
  if (text) {
    if (std::optional<std::string> declaration = DeclarationInFile(*text)) {
      return ParseDeclaration(*declaration, ctx.env, "declared in " + path);
    }
  }
  Behaviour b;
  b.declared = false;
  b.origin = "undeclared program: " + path +
             (text ? " has no `dexec:` declaration" : " has no text the simulator knows");
  return b;
}

Result<Behaviour> Resolve(std::vector<std::string> argv, const ProgramContext& ctx,
                          bool interactive, int depth) {
  if (argv.empty()) return ExitsAt("built-in empty command", 0, 0);
  if (depth > 8) return ExitsAt("built-in (nested too deep)", 0, 0);
  // The official images' entrypoints exec their arguments.
  if (argv.size() > 1 && Basename(argv[0]) == "docker-entrypoint.sh") {
    argv.erase(argv.begin());
  }
  // A lesson's declaration, the longest matching prefix of words first.
  if (ctx.declared != nullptr) {
    std::string joined = Join(argv);
    const std::string* best = nullptr;
    size_t best_len = 0;
    for (const auto& [prefix, declaration] : *ctx.declared) {
      bool match = joined == prefix ||
                   (joined.size() > prefix.size() &&
                    joined.compare(0, prefix.size(), prefix) == 0 && joined[prefix.size()] == ' ');
      if (match && prefix.size() >= best_len) {
        best = &declaration;
        best_len = prefix.size();
      }
    }
    if (best != nullptr) {
      if (!FindExecutable(argv[0], ctx)) {
        return Diagnostic{
            "exec-not-found", "exec: \"" + argv[0] + "\": executable file not found in $PATH", {}};
      }
      return ParseDeclaration(*best, ctx.env, "declared for `" + joined.substr(0, best_len) + "`");
    }
  }
  if (!FindExecutable(argv[0], ctx)) {
    if (argv[0].find('/') != std::string::npos) {
      return Diagnostic{
          "exec-not-found",
          "exec: \"" + argv[0] + "\": stat " + argv[0] + ": no such file or directory",
          {}};
    }
    return Diagnostic{
        "exec-not-found", "exec: \"" + argv[0] + "\": executable file not found in $PATH", {}};
  }
  std::string name = Basename(argv[0]);
  if (name == "nginx") return Nginx(ctx);
  if (name == "redis-server") return Redis(ctx);
  if (name == "postgres") return Postgres(ctx);
  if (name == "mysqld") return Mysql(ctx);
  if (name == "echo") {
    bool newline = argv.size() < 2 || argv[1] != "-n";
    std::string text = Join(argv, newline ? 1 : 2);
    return PrintsAndExits("built-in echo", {text}, 0);
  }
  if (name == "true") return ExitsAt("built-in true", 0, 0);
  if (name == "false") return ExitsAt("built-in false", 0, 1);
  if (name == "sleep") {
    Behaviour b;
    b.origin = "built-in sleep";
    b.ignore_sigterm = true;  // PID 1 without a handler
    if (argv.size() < 2)
      return PrintsAndExits("built-in sleep", {"sleep: missing operand"}, 1, true);
    if (argv[1] != "infinity" && argv[1] != "inf") {
      std::string n = argv[1];
      int64_t scale = 1;
      if (!n.empty() && (n.back() == 's' || n.back() == 'm' || n.back() == 'h')) {
        scale = n.back() == 'm' ? 60 : n.back() == 'h' ? 3600 : 1;
        n.pop_back();
      }
      auto seconds = ParseInt(n);
      if (!seconds) {
        return PrintsAndExits("built-in sleep", {"sleep: invalid time interval '" + argv[1] + "'"},
                              1, true);
      }
      b.exit_after = *seconds * scale;
    }
    return b;
  }
  if (name == "cat") {
    if (argv.size() == 1) {
      if (!interactive) return ExitsAt("built-in cat", 0, 0);  // stdin is empty
      Behaviour b;
      b.origin = "built-in cat (reading stdin)";
      return b;
    }
    Behaviour b = ExitsAt("built-in cat", 0, 0);
    for (size_t i = 1; i < argv.size(); ++i) {
      auto node = ctx.view->Stat(argv[i][0] == '/' ? argv[i] : ctx.workdir + "/" + argv[i]);
      std::optional<std::string_view> text;
      if (node.Ok() && ctx.texts != nullptr) text = ctx.texts->Get(node.Value().digest);
      if (!node.Ok()) {
        b.prints.push_back({0, "cat: " + argv[i] + ": No such file or directory", true});
        b.exit_code = 1;
      } else if (text) {
        std::string_view rest = *text;
        while (!rest.empty()) {
          size_t nl = rest.find('\n');
          b.prints.push_back({0, std::string(rest.substr(0, nl)), false});
          rest = nl == std::string_view::npos ? "" : rest.substr(nl + 1);
        }
      }
    }
    return b;
  }
  if (name == "sh" || name == "bash" || name == "ash" || name == "dash") {
    if (argv.size() >= 3 && argv[1] == "-c") return ShellScript(argv[2], ctx, depth);
    if (argv.size() >= 2 && argv[1] != "-i" && argv[1][0] != '-') {
      return Script(name, argv[1], ctx);  // a script file: its own declaration
    }
    if (!interactive) return ExitsAt("built-in " + name + " (no terminal: stdin is empty)", 0, 0);
    Behaviour b;
    b.origin = "built-in " + name + " (interactive)";
    b.ignore_sigterm = true;
    return b;
  }
  bool python = name.rfind("python", 0) == 0;
  if (python || name == "node" || name == "nodejs") {
    for (size_t i = 1; i < argv.size(); ++i) {
      if (python && argv[i] == "-m" && i + 1 < argv.size() && argv[i + 1] == "http.server") {
        return HttpServer(argv, i, ctx);
      }
      if (argv[i][0] == '-') continue;
      return Script(python ? name : "node", argv[i], ctx);
    }
    if (!interactive) return ExitsAt("built-in " + name + " (no terminal: stdin is empty)", 0, 0);
    Behaviour b;
    b.origin = "built-in " + name + " (interactive)";
    return b;
  }
  Behaviour b;
  b.declared = false;
  b.origin = "undeclared program `" + Join(argv) + "`";
  return b;
}

}  // namespace

void SetEnv(Env& env, const std::string& name, const std::string& value) {
  for (auto& [n, v] : env) {
    if (n == name) {
      v = value;
      return;
    }
  }
  env.emplace_back(name, value);
}

std::string ExpandVars(std::string_view text, const Env& env) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '{') {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        out += text[i];
        continue;
      }
      std::string inner(text.substr(i + 2, close - i - 2));
      size_t dflt = inner.find(":-");
      std::string name = inner.substr(0, dflt);
      std::string value = Lookup(env, name);
      if (value.empty() && dflt != std::string::npos) value = inner.substr(dflt + 2);
      out += value;
      i = close;
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
      ++end;
    }
    if (end == i + 1) {
      out += text[i];
      continue;
    }
    out += Lookup(env, text.substr(i + 1, end - i - 1));
    i = end - 1;
  }
  return out;
}

std::optional<std::string> DeclarationInFile(std::string_view file_text) {
  std::string out;
  bool found = false;
  while (!file_text.empty()) {
    size_t nl = file_text.find('\n');
    std::string line = Trim(file_text.substr(0, nl));
    file_text = nl == std::string_view::npos ? "" : file_text.substr(nl + 1);
    for (const char* marker : {"# dexec:", "// dexec:"}) {
      std::string_view m = marker;
      if (line.compare(0, m.size(), m) == 0) {
        out += Trim(std::string_view(line).substr(m.size())) + "\n";
        found = true;
      }
    }
  }
  return found ? std::optional<std::string>(out) : std::nullopt;
}

Result<Behaviour> ParseDeclaration(std::string_view text, const Env& env, std::string origin) {
  Behaviour b;
  b.origin = std::move(origin);
  int64_t cursor = 0;
  size_t number = 0;
  std::optional<std::pair<std::string, std::string>> required;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
    ++number;
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find(' ');
    std::string directive = line.substr(0, space);
    std::string arg = space == std::string::npos ? "" : Trim(line.substr(space + 1));
    std::string expanded = ExpandVars(arg, env);
    auto number_arg = [&](const std::string& s) -> Result<int64_t> {
      if (auto v = ParseInt(s)) return *v;
      return DeclarationError(b.origin, number,
                              "`" + directive + "` needs a number, not `" + s + "`");
    };
    if (directive == "print" || directive == "eprint") {
      b.prints.push_back({cursor, expanded, directive == "eprint"});
    } else if (directive == "wait") {
      auto n = number_arg(expanded);
      if (!n.Ok()) return n.Error();
      cursor += n.Value();
    } else if (directive == "listen") {
      auto n = number_arg(expanded);
      if (!n.Ok()) return n.Error();
      if (n.Value() < 1 || n.Value() > 65535) {
        return DeclarationError(b.origin, number, "port out of range: " + expanded);
      }
      b.listen_port = static_cast<int>(n.Value());
      b.listen_at = cursor;
    } else if (directive == "respond") {
      b.response += expanded + "\n";
    } else if (directive == "healthy-after") {
      auto n = number_arg(expanded);
      if (!n.Ok()) return n.Error();
      b.healthy_after = n.Value();
    } else if (directive == "exit") {
      std::vector<std::string> words = Words(expanded);
      if (words.empty()) return DeclarationError(b.origin, number, "`exit` needs a code");
      auto code = number_arg(words[0]);
      if (!code.Ok()) return code.Error();
      b.exit_code = static_cast<int>(code.Value() & 255);
      b.exit_after = cursor;
      if (words.size() == 3 && words[1] == "after") {
        auto at = number_arg(words[2]);
        if (!at.Ok()) return at.Error();
        b.exit_after = at.Value();
      } else if (words.size() != 1) {
        return DeclarationError(b.origin, number, "expected `exit CODE` or `exit CODE after N`");
      }
    } else if (directive == "ignore" && arg == "SIGTERM") {
      b.ignore_sigterm = true;
    } else if (directive == "on") {
      std::vector<std::string> words = Words(arg);
      if (words.size() != 3 || words[0] != "SIGTERM" || words[1] != "exit") {
        return DeclarationError(b.origin, number, "expected `on SIGTERM exit CODE`");
      }
      auto code = number_arg(words[2]);
      if (!code.Ok()) return code.Error();
      b.sigterm_exit_code = static_cast<int>(code.Value() & 255);
    } else if (directive == "require") {
      size_t sp = arg.find(' ');
      std::string var = arg.substr(0, sp);
      if (var.empty()) return DeclarationError(b.origin, number, "`require` needs a variable");
      if (!required && !Has(env, var)) {
        required = {var, sp == std::string::npos ? "error: " + var + " is not set"
                                                 : ExpandVars(Trim(arg.substr(sp + 1)), env)};
      }
    } else {
      return DeclarationError(b.origin, number, "unknown directive `" + directive + "`");
    }
  }
  std::stable_sort(b.prints.begin(), b.prints.end(),
                   [](const TimedLine& x, const TimedLine& y) { return x.at < y.at; });
  if (required) return PrintsAndExits(b.origin, {required->second}, 1, true);
  return b;
}

Result<Behaviour> ResolveProgram(const std::vector<std::string>& argv, const ProgramContext& ctx) {
  return Resolve(argv, ctx, ctx.interactive, 0);
}

std::string NginxWelcomePage() {
  return "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { "
         "color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, "
         "Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to "
         "nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed "
         "and\nworking. Further configuration is required.</p>\n\n<p>For online documentation "
         "and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\n"
         "Commercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n"
         "\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
}

}  // namespace dockit::sim
