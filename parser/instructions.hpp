// The meaning of a Dockerfile: stages and one typed, validated instruction per syntax node,
// with ARG/ENV scoping and word expansion as BuildKit does them. Built by AnalyzeDockerfile
// from a SyntaxTree; later stages (linter, planner) read this instead of raw words.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/syntax.hpp"

namespace dockit {

// A value after expansion, with the range of the words it came from.
struct Expanded {
  std::string value;
  SourceRange range;
};

struct KeyValue {
  Expanded key;
  Expanded value;
};

// One `--mount=...` of RUN.
struct Mount {
  std::string type = "bind";  // bind, cache, tmpfs, secret, ssh
  std::string target;
  std::string source;
  std::string from;
  std::string id;
  std::string sharing;  // shared, private, locked (cache)
  std::string mode, uid, gid, size, env;
  bool read_only = false;
  bool required = false;
  SourceRange range;
};

struct FromCmd {
  Expanded image;                      // expanded with the global ARGs
  std::optional<Expanded> stage_name;  // lower-cased, as BuildKit matches stage names
  std::optional<Expanded> platform;
};
struct RunCmd {
  bool exec_form = false;
  std::vector<Expanded> argv;  // exec form; shell form: one element, the script (not expanded)
  std::vector<Mount> mounts;
  std::string network;   // "", default, none, host
  std::string security;  // "", sandbox, insecure
};
struct CopyCmd {  // COPY and ADD
  bool is_add = false;
  std::vector<Expanded> sources;  // heredoc sources appear as their `<<NAME` word
  Expanded dest;
  std::optional<Expanded> from, chown, chmod, checksum;
  std::vector<Expanded> excludes;
  bool link = false, parents = false, keep_git_dir = false;
  std::optional<bool> unpack;
};
struct EnvCmd {  // ENV and LABEL
  std::vector<KeyValue> pairs;
};
struct ArgDecl {
  Expanded name;
  std::optional<Expanded> default_value;
};
struct ArgCmd {
  std::vector<ArgDecl> args;
};
struct CommandCmd {  // CMD, ENTRYPOINT, SHELL: not expanded by the builder
  bool exec_form = false;
  std::vector<Expanded> argv;
};
struct PortSpec {
  Expanded text;
  unsigned first = 0, last = 0;
  std::string protocol = "tcp";
};
struct ExposeCmd {
  std::vector<PortSpec> ports;
};
struct HealthcheckCmd {
  bool none = false;
  bool exec_form = false;
  std::vector<Expanded> test;
  std::optional<Expanded> interval, timeout, start_period, start_interval, retries;
};
struct SingleValueCmd {  // USER, WORKDIR, STOPSIGNAL, MAINTAINER
  Expanded value;
};
struct VolumeCmd {
  std::vector<Expanded> paths;
};
struct OnbuildCmd {
  // The trigger's own syntax node; it is analysed where the image is used as a base.
  const Instruction* trigger = nullptr;
};

using TypedArgs = std::variant<std::monostate, FromCmd, RunCmd, CopyCmd, EnvCmd, ArgCmd, CommandCmd,
                               ExposeCmd, HealthcheckCmd, SingleValueCmd, VolumeCmd, OnbuildCmd>;

struct TypedInstruction {
  const Instruction* syntax = nullptr;
  InstructionKind kind = InstructionKind::kUnknown;
  TypedArgs args;  // std::monostate when the instruction is invalid (see diagnostics)
};

struct Stage {
  size_t index = 0;
  std::string name;                  // lower-case stage name, "" when unnamed
  Expanded base;                     // the image or stage it starts from
  std::optional<size_t> base_stage;  // when `base` names an earlier stage
  std::optional<Expanded> platform;
  std::vector<TypedInstruction> instructions;  // FROM first
  // ENV at the end of the stage (inherited by stages built FROM this one), ARGs in scope.
  std::map<std::string, std::string> env;
};

struct AnalyzeOptions {
  std::map<std::string, std::string> build_args;  // --build-arg K=V
  std::string target_platform = "linux/amd64";
  std::string build_platform = "linux/amd64";
};

struct Analysis {
  std::shared_ptr<const SyntaxTree> tree;
  std::vector<TypedInstruction> global_args;     // ARGs before the first FROM
  std::map<std::string, std::string> meta_args;  // their values (and the platform args)
  std::vector<Stage> stages;
  // Errors (invalid instructions, what BuildKit refuses before building) and warnings
  // (undefined variables), in source order.
  std::vector<Diagnostic> diagnostics;
  bool HasErrors() const;
};

Analysis AnalyzeDockerfile(std::shared_ptr<const SyntaxTree> tree,
                           const AnalyzeOptions& options = {});

}  // namespace dockit
