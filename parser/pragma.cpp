#include "parser/pragma.hpp"

namespace dockit {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool Consume(std::string_view& s, std::string_view word) {
  if (!s.starts_with(word)) return false;
  s = Trim(s.substr(word.size()));
  return true;
}

}  // namespace

std::optional<IgnorePragma> ParseIgnorePragma(std::string_view comment) {
  std::string_view body = Trim(comment);
  IgnorePragma pragma;
  if (Consume(body, "hadolint ")) {
    pragma.hadolint = true;
  } else if (!Consume(body, "dlint ")) {
    return std::nullopt;
  }
  if (Consume(body, "global ")) {
    pragma.scope = IgnorePragma::Scope::kGlobal;
  } else if (!pragma.hadolint && Consume(body, "stage ")) {
    pragma.scope = IgnorePragma::Scope::kStage;
  }
  if (!body.starts_with("ignore=")) return std::nullopt;
  body.remove_prefix(7);
  // The list ends at the first blank or `#`; what follows is the reason, with or without a
  // leading `#`: `ignore=A,B # vendored`, `ignore=A pinned by the base image`.
  std::string_view list = body.substr(0, body.find_first_of(" \t#"));
  std::string_view rest = Trim(body.substr(list.size()));
  if (rest.starts_with('#')) rest = Trim(rest.substr(1));
  pragma.reason = rest;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view id = Trim(list.substr(0, comma));
    if (!id.empty()) pragma.ids.push_back(id);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return pragma;
}

}  // namespace dockit
