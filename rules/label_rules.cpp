#include "rules/label_rules.hpp"

#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

bool Literal(const RuleContext& ctx, const SourceRange& r) {
  const std::string& text = ctx.File().Text();
  if (r.end.offset <= r.begin.offset || r.end.offset > text.size()) return true;
  std::string_view raw(text.data() + r.begin.offset, r.end.offset - r.begin.offset);
  return VarRefs(raw, ctx.Tree().escape).empty();
}

}  // namespace

void ForEachLabel(const RuleContext& ctx, const std::function<void(const LabelPair&)>& fn) {
  for (const Stage& stage : ctx.Meaning().stages) {
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind != InstructionKind::kLabel) continue;
      const auto* label = std::get_if<EnvCmd>(&ins.args);
      if (!label) continue;
      for (const KeyValue& kv : label->pairs) {
        fn(LabelPair{&stage, &kv, Literal(ctx, kv.key.range), Literal(ctx, kv.value.range)});
      }
    }
  }
}

void CheckLabelValues(RuleContext& ctx, LabelType type, bool (*valid)(std::string_view),
                      std::string_view what) {
  const auto& schema = ctx.Settings().label_schema;
  ForEachLabel(ctx, [&](const LabelPair& p) {
    const std::string& key = p.pair->key.value;
    const std::string& value = p.pair->value.value;
    auto it = schema.find(key);
    if (it == schema.end() || it->second != type) return;
    // Empty values are label-empty's; values from variables are only known at build time.
    if (value.empty() || !p.key_is_literal || !p.value_is_literal || valid(value)) return;
    ctx.Report(p.pair->value.range,
               "label \"" + key + "\" is not " + std::string(what) + ": \"" + value + "\"");
  });
}

}  // namespace dockit::lint
