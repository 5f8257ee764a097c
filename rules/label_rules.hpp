// Shared by the label-schema rules (label-missing, label-not-in-schema, label-empty and the
// label-invalid-* value checks): the LABEL pairs of the file and the value-check shape.
#pragma once

#include <functional>
#include <string_view>

#include "rules/rule.hpp"

namespace dockit::lint {

struct LabelPair {
  const Stage* stage = nullptr;
  const KeyValue* pair = nullptr;
  bool key_is_literal = true;    // false: the key holds a variable, known only at build time
  bool value_is_literal = true;  // the same for the value
};

// Every LABEL pair of every stage, in file order (ONBUILD triggers not included: they label the
// images built FROM this one).
void ForEachLabel(const RuleContext& ctx, const std::function<void(const LabelPair&)>& fn);

// The shape of the label-invalid-* rules: each literal, non-empty value of a label that the
// schema types `type` and that `valid` refuses is reported on the value as
// `label "KEY" is not WHAT: "VALUE"`.
void CheckLabelValues(RuleContext& ctx, LabelType type, bool (*valid)(std::string_view),
                      std::string_view what);

}  // namespace dockit::lint
