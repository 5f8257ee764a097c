// The rule catalogue itself: sorted, unique ids and aliases, examples everywhere, docs current.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "linter/rule_docs.hpp"
#include "parser/text.hpp"

namespace dockit::lint {
namespace {

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_CASE("rules/all.cpp is sorted and ids are unique", "[rules][catalogue]") {
  const auto& rules = AllRules();
  std::set<std::string> ids;
  for (size_t i = 0; i < rules.size(); ++i) {
    INFO(rules[i]->info.slug);
    if (i > 0) CHECK(rules[i - 1]->info.slug < rules[i]->info.slug);
    CHECK(ids.insert(std::string(rules[i]->info.slug)).second);
    for (std::string_view alias : rules[i]->info.aliases) {
      CHECK(ids.insert(text::AsciiLower(alias)).second);
    }
    for (char c : rules[i]->info.slug)
      CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
  }
}

TEST_CASE("every rule has a title, a rationale and bad and good examples", "[rules][catalogue]") {
  for (const Rule* rule : AllRules()) {
    INFO(rule->info.slug);
    CHECK_FALSE(rule->info.title.empty());
    CHECK_FALSE(rule->info.rationale.empty());
    CHECK_FALSE(rule->info.bad.empty());
    CHECK_FALSE(rule->info.good.empty());
    for (const Example& e : rule->info.bad) CHECK_FALSE(e.findings.empty());
  }
}

TEST_CASE("docs/rules is generated from the rules", "[rules][catalogue]") {
  std::filesystem::path dir = std::filesystem::path(DOCKIT_SOURCE_DIR) / "docs/rules";
  for (const Rule* rule : AllRules()) {
    INFO("stale: regenerate with build/dlint --write-rule-docs docs/rules");
    CHECK(Read(dir / (std::string(rule->info.slug) + ".md")) == RuleMarkdown(rule->info));
  }
  CHECK(Read(dir / "README.md") == RuleIndexMarkdown());
  size_t docs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    docs += entry.path().extension() == ".md";
  CHECK(docs == AllRules().size() + 1);  // no page for a rule that no longer exists
}

}  // namespace
}  // namespace dockit::lint
