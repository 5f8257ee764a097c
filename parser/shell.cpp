// The tree-sitter-bash walk behind ParseShell and ShellOf. One pass over each tree with a
// TSTreeCursor (ts_node_child is linear in the child index in tree-sitter 0.20, so walking
// children by index would be quadratic on long scripts). Words keep string_views into the
// script; only values that differ from their raw text get their own string.
#include "parser/shell.hpp"

#include <tree_sitter/api.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>

#include "parser/shell_internal.hpp"

extern "C" const TSLanguage* tree_sitter_bash(void);

namespace dockit {
namespace shell_internal {
namespace {

// Deeper trees are cut off with a warning: recursion must not overflow the stack on hostile
// input. Long && chains are flattened iteratively and do not count towards it.
constexpr int kMaxDepth = 200;
// sh -c 'bash -c "..."': enough for real scripts, bounded for hostile ones.
constexpr uint32_t kMaxSegmentDepth = 3;

enum class NodeKind : uint8_t {
  kOther,
  kProgram,
  kList,
  kPipeline,
  kCommand,
  kCommandName,
  kVariableAssignment,
  kVariableAssignments,
  kRedirectedStatement,
  kFileRedirect,
  kHeredocRedirect,
  kHerestringRedirect,
  kHeredocStart,
  kHeredocBody,
  kSubshell,
  kCompoundStatement,
  kIfStatement,
  kElifClause,
  kElseClause,
  kForStatement,
  kCStyleFor,
  kWhileStatement,
  kDoGroup,
  kCaseStatement,
  kCaseItem,
  kFunctionDefinition,
  kNegatedCommand,
  kTestCommand,
  kDeclarationCommand,
  kUnsetCommand,
  kCommandSubstitution,
  kProcessSubstitution,
  kWord,
  kString,
  kRawString,
  kAnsiCString,
  kTranslatedString,
  kConcatenation,
  kSimpleExpansion,
  kExpansion,
  kArithmeticExpansion,
  kStringContent,
  kNumber,
  kArray,
  kBraceExpression,
  kExtglobPattern,
  kFileDescriptor,
  kComment,
  kVariableName,
  kSubscript,
  kUnaryExpression,
  kBinaryExpression,
  kTernaryExpression,
  kPostfixExpression,
  kParenthesizedExpression,
  kError,
  // Anonymous tokens.
  kTokAnd,
  kTokOr,
  kTokSemi,
  kTokAmp,
  kTokPipe,
  kTokPipeAll,
  kTokCaseBreak,
  kTokCondStart,  // if elif while until: the statements after it are a condition
  kTokBodyStart,  // then do else: the statements after it are a body
  kTokOther,
};

struct KindName {
  std::string_view name;
  NodeKind kind;
};

constexpr std::array<KindName, 57> kNamedKinds{{
    {"program", NodeKind::kProgram},
    {"list", NodeKind::kList},
    {"pipeline", NodeKind::kPipeline},
    {"command", NodeKind::kCommand},
    {"command_name", NodeKind::kCommandName},
    {"variable_assignment", NodeKind::kVariableAssignment},
    {"variable_assignments", NodeKind::kVariableAssignments},
    {"redirected_statement", NodeKind::kRedirectedStatement},
    {"file_redirect", NodeKind::kFileRedirect},
    {"heredoc_redirect", NodeKind::kHeredocRedirect},
    {"herestring_redirect", NodeKind::kHerestringRedirect},
    {"heredoc_start", NodeKind::kHeredocStart},
    {"heredoc_body", NodeKind::kHeredocBody},
    {"subshell", NodeKind::kSubshell},
    {"compound_statement", NodeKind::kCompoundStatement},
    {"if_statement", NodeKind::kIfStatement},
    {"elif_clause", NodeKind::kElifClause},
    {"else_clause", NodeKind::kElseClause},
    {"for_statement", NodeKind::kForStatement},
    {"c_style_for_statement", NodeKind::kCStyleFor},
    {"while_statement", NodeKind::kWhileStatement},
    {"do_group", NodeKind::kDoGroup},
    {"case_statement", NodeKind::kCaseStatement},
    {"case_item", NodeKind::kCaseItem},
    {"function_definition", NodeKind::kFunctionDefinition},
    {"negated_command", NodeKind::kNegatedCommand},
    {"test_command", NodeKind::kTestCommand},
    {"declaration_command", NodeKind::kDeclarationCommand},
    {"unset_command", NodeKind::kUnsetCommand},
    {"command_substitution", NodeKind::kCommandSubstitution},
    {"process_substitution", NodeKind::kProcessSubstitution},
    {"word", NodeKind::kWord},
    {"string", NodeKind::kString},
    {"raw_string", NodeKind::kRawString},
    {"ansi_c_string", NodeKind::kAnsiCString},
    {"translated_string", NodeKind::kTranslatedString},
    {"concatenation", NodeKind::kConcatenation},
    {"simple_expansion", NodeKind::kSimpleExpansion},
    {"expansion", NodeKind::kExpansion},
    {"arithmetic_expansion", NodeKind::kArithmeticExpansion},
    {"string_content", NodeKind::kStringContent},
    {"number", NodeKind::kNumber},
    {"array", NodeKind::kArray},
    {"brace_expression", NodeKind::kBraceExpression},
    {"extglob_pattern", NodeKind::kExtglobPattern},
    {"file_descriptor", NodeKind::kFileDescriptor},
    {"comment", NodeKind::kComment},
    {"variable_name", NodeKind::kVariableName},
    {"special_variable_name", NodeKind::kVariableName},
    {"subscript", NodeKind::kSubscript},
    {"unary_expression", NodeKind::kUnaryExpression},
    {"binary_expression", NodeKind::kBinaryExpression},
    {"ternary_expression", NodeKind::kTernaryExpression},
    {"postfix_expression", NodeKind::kPostfixExpression},
    {"parenthesized_expression", NodeKind::kParenthesizedExpression},
    {"heredoc_end", NodeKind::kOther},
    {"heredoc_content", NodeKind::kOther},
}};

constexpr std::array<KindName, 19> kTokenKinds{{
    {"&&", NodeKind::kTokAnd},          {"||", NodeKind::kTokOr},
    {";", NodeKind::kTokSemi},          {"&", NodeKind::kTokAmp},
    {"|", NodeKind::kTokPipe},          {"|&", NodeKind::kTokPipeAll},
    {";;", NodeKind::kTokCaseBreak},    {";&", NodeKind::kTokCaseBreak},
    {";;&", NodeKind::kTokCaseBreak},   {"if", NodeKind::kTokCondStart},
    {"elif", NodeKind::kTokCondStart},  {"while", NodeKind::kTokCondStart},
    {"until", NodeKind::kTokCondStart}, {"then", NodeKind::kTokBodyStart},
    {"do", NodeKind::kTokBodyStart},    {"else", NodeKind::kTokBodyStart},
    {"fi", NodeKind::kTokBodyStart},    {"done", NodeKind::kTokBodyStart},
    {"esac", NodeKind::kTokBodyStart},
}};

// Node kinds by symbol id, built once: tree-sitter aliases give one name several symbols, so
// names are matched, not ids looked up by name.
class Grammar {
 public:
  Grammar() : language_(tree_sitter_bash()) {
    uint32_t count = ts_language_symbol_count(language_);
    kinds_.assign(count, NodeKind::kOther);
    for (uint32_t s = 0; s < count; ++s) {
      TSSymbol symbol = static_cast<TSSymbol>(s);
      const char* raw_name = ts_language_symbol_name(language_, symbol);
      if (raw_name == nullptr) continue;
      std::string_view name(raw_name);
      TSSymbolType type = ts_language_symbol_type(language_, symbol);
      if (type == TSSymbolTypeRegular) {
        for (const KindName& k : kNamedKinds) {
          if (k.name == name) kinds_[s] = k.kind;
        }
      } else if (type == TSSymbolTypeAnonymous) {
        kinds_[s] = NodeKind::kTokOther;
        for (const KindName& k : kTokenKinds) {
          if (k.name == name) kinds_[s] = k.kind;
        }
      }
    }
  }

  const TSLanguage* Language() const { return language_; }

  NodeKind Kind(TSNode node) const {
    TSSymbol symbol = ts_node_symbol(node);
    if (symbol == static_cast<TSSymbol>(-1)) return NodeKind::kError;
    if (symbol < kinds_.size()) {
      NodeKind k = kinds_[symbol];
      // An anonymous-looking kind on a named node (or the reverse) cannot happen with this
      // grammar; trust the table.
      return k;
    }
    return NodeKind::kOther;
  }

 private:
  const TSLanguage* language_;
  std::vector<NodeKind> kinds_;
};

const Grammar& BashGrammar() {
  static const Grammar grammar;
  return grammar;
}

// One parser per thread: creating a TSParser allocates, and parses are frequent and short.
TSParser* ThreadParser() {
  struct Holder {
    TSParser* parser = nullptr;
    Holder() {
      parser = ts_parser_new();
      ts_parser_set_language(parser, BashGrammar().Language());
    }
    ~Holder() { ts_parser_delete(parser); }
  };
  thread_local Holder holder;
  return holder.parser;
}

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

class Cursor {
 public:
  explicit Cursor(TSNode node) : cursor_(ts_tree_cursor_new(node)) {}
  ~Cursor() { ts_tree_cursor_delete(&cursor_); }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  TSTreeCursor* get() { return &cursor_; }

 private:
  TSTreeCursor cursor_;
};

inline TSNode Current(TSTreeCursor* c) { return ts_tree_cursor_current_node(c); }
inline uint32_t Begin(TSNode n) { return ts_node_start_byte(n); }
inline uint32_t End(TSNode n) { return ts_node_end_byte(n); }
inline NodeKind KindOf(TSNode n) { return BashGrammar().Kind(n); }

bool IsTestContainer(NodeKind k) {
  return k == NodeKind::kUnaryExpression || k == NodeKind::kBinaryExpression ||
         k == NodeKind::kTernaryExpression || k == NodeKind::kPostfixExpression ||
         k == NodeKind::kParenthesizedExpression;
}

bool IsRedirect(NodeKind k) {
  return k == NodeKind::kFileRedirect || k == NodeKind::kHeredocRedirect ||
         k == NodeKind::kHerestringRedirect;
}

bool IsCommandLike(NodeKind k) {
  return k == NodeKind::kCommand || k == NodeKind::kDeclarationCommand ||
         k == NodeKind::kUnsetCommand || k == NodeKind::kTestCommand;
}

ShellOperator OperatorOf(NodeKind k) {
  switch (k) {
    case NodeKind::kTokAnd:
      return ShellOperator::kAnd;
    case NodeKind::kTokOr:
      return ShellOperator::kOr;
    case NodeKind::kTokSemi:
      return ShellOperator::kSemicolon;
    case NodeKind::kTokAmp:
      return ShellOperator::kBackground;
    case NodeKind::kTokPipe:
      return ShellOperator::kPipe;
    case NodeKind::kTokPipeAll:
      return ShellOperator::kPipeAll;
    case NodeKind::kTokCaseBreak:
      return ShellOperator::kCaseBreak;
    default:
      return ShellOperator::kEnd;
  }
}

}  // namespace

// ---- The builder ------------------------------------------------------------------------------

class Builder {
 public:
  Builder() : data_(std::make_shared<ShellScript::Data>()) {}

  uint32_t ParseSegment(const SegmentSpec& spec, uint32_t segment_depth = 0);
  uint32_t AddTextSegment(std::string_view text, ShellSegment::Origin origin,
                          std::string interpreter, int32_t heredoc, int32_t command);
  void AddExecCommand(std::string_view text, const std::vector<ShellBuilder::ExecWord>& words,
                      const ShellMapping& mapping);
  std::vector<WordRef> ArgvOf(int32_t command) const;
  void SetKind(ShellKind kind) { data_->kind = kind; }
  ShellScript Finish();

 private:
  // Build-time forms: offsets instead of views, because the text still grows.
  struct BWord {
    uint32_t begin = 0;
    uint32_t end = 0;
    uint32_t value_begin = 0;  // value in text when value_owned is empty
    uint32_t value_size = 0;
    std::string_view value_owned;  // in the arena
    bool owned = false;
    uint16_t flags = 0;
    SourceRange range;
  };
  struct BRedirect {
    uint32_t op_begin = 0;
    uint32_t op_size = 0;
    int32_t fd = -1;
    BWord target;
    uint32_t begin = 0;
    uint32_t end = 0;
    SourceRange range;
  };
  struct BAssignment {
    ShellAssignment::Kind kind = ShellAssignment::Kind::kBare;
    uint32_t name_begin = 0;
    uint32_t name_size = 0;
    bool append = false;
    bool has_value = false;
    BWord value;
    int32_t command = -1;
    uint32_t context = 0;
    uint32_t begin = 0;
    uint32_t end = 0;
    SourceRange range;
  };
  struct BCommand {
    uint32_t argv_begin = 0, argv_end = 0;
    uint32_t assign_begin = 0, assign_end = 0;
    uint32_t redirect_begin = 0, redirect_end = 0;
    ShellOperator next = ShellOperator::kEnd;
    uint32_t context = 0;
    uint32_t segment = 0;
    uint32_t begin = 0;
    uint32_t end = 0;
    SourceRange range;
  };

  // The segment being parsed.
  struct Segment {
    uint32_t index = 0;
    uint32_t base = 0;  // offset of the segment in text
    uint32_t size = 0;
    std::string_view parse_text;  // when it differs from the text (blanked heredoc words)
    const ShellMapping* mapping = nullptr;
    uint32_t depth = 0;
    std::vector<HeredocMarker>* heredocs = nullptr;
  };

  // Work found inside a command and done after it, so the command's words, assignments and
  // redirections stay contiguous in the flat arrays.
  struct Deferred {
    enum class Type : uint8_t { kSubstitution, kStatement, kNestedScript };
    Type type = Type::kSubstitution;
    TSNode node{};
    uint32_t begin = 0;
    ShellOperator op = ShellOperator::kEnd;  // kStatement: operator joining it to the command
    uint32_t word = 0;                       // kNestedScript: index in words
  };

  // A word being assembled from one or more adjacent nodes.
  struct WordAcc {
    std::string* out = nullptr;
    uint16_t flags = 0;
    bool first = true;        // nothing appended yet: a ~ here is a tilde expansion
    bool brace_open = false;  // unquoted { seen
    bool brace_sep = false;   // then , or ..
    std::vector<Deferred>* deferred = nullptr;
  };

  struct CommandState {
    int32_t index = -1;
    uint32_t context = 0;
    bool have_name = false;
    bool word_open = false;
    uint32_t word_begin = 0;
    uint32_t word_end = 0;
    WordAcc acc;
    std::vector<Deferred> deferred;
    ShellOperator heredoc_op = ShellOperator::kEnd;
    uint32_t assign_begin = 0;       // this command's first assignment
    uint32_t last_end = UINT32_MAX;  // end of the last child seen
    uint32_t begin = UINT32_MAX;     // set when leading assignments turned out to be a statement
  };

  // Text access. Always through the string: it grows when nested scripts are added.
  std::string_view Slice(uint32_t b, uint32_t e) const {
    return std::string_view(data_->text).substr(b, e - b);
  }
  char ParseChar(uint32_t abs) const {
    return seg_->parse_text.empty() ? data_->text[abs] : seg_->parse_text[abs - seg_->base];
  }
  SourceRange Map(uint32_t b, uint32_t e) const {
    if (seg_->mapping == nullptr || !*seg_->mapping) return SourceRange{};
    return (*seg_->mapping)(b - seg_->base, e - seg_->base);
  }
  // Node offsets are segment-local; everything stored is absolute in text.
  uint32_t AbsBegin(TSNode n) const { return seg_->base + Begin(n); }
  uint32_t AbsEnd(TSNode n) const { return seg_->base + End(n); }

  void Warn(uint32_t b, uint32_t e, std::string message) {
    data_->warnings.push_back(
        Diagnostic{"shell-syntax", std::move(message), Map(b, e), Severity::kWarning});
  }
  void CollectErrors(TSNode root);
  // True past kMaxDepth, with one warning per script.
  bool TooDeep(TSNode n) {
    if (depth_ < kMaxDepth) return false;
    if (!depth_warned_) {
      depth_warned_ = true;
      Warn(AbsBegin(n), AbsEnd(n), "shell script nested too deeply: the rest is not analysed");
    }
    return true;
  }

  void SetOp(int32_t command, ShellOperator op) {
    if (command >= 0 && commands_[command].next == ShellOperator::kEnd) {
      commands_[command].next = op;
    }
  }
  bool NewlineBetween(uint32_t b, uint32_t e) const {
    for (uint32_t i = b; i < e; ++i) {
      if (ParseChar(i) == '\n' && (i == b || ParseChar(i - 1) != '\\')) return true;
    }
    return false;
  }
  // Two nodes with nothing but line continuations between them are one shell word.
  bool Joins(uint32_t prev_end, uint32_t next_begin) const {
    uint32_t i = prev_end;
    while (i + 1 < next_begin && ParseChar(i) == '\\' && ParseChar(i + 1) == '\n') i += 2;
    return i == next_begin;
  }

  // Statements.
  int32_t Statement(TSTreeCursor* c, uint32_t ctx, int32_t lead = -1);
  void Sequence(TSTreeCursor* c, uint32_t ctx);
  // An unnamed child of a list or pipeline: an operator ends the command before it. Returns
  // false for anything else.
  bool TakeOperator(TSNode n, int32_t* tail) {
    if (ts_node_is_named(n)) return false;
    ShellOperator op = OperatorOf(KindOf(n));
    if (op != ShellOperator::kEnd) {
      SetOp(*tail, op);
      *tail = -1;
    }
    return true;
  }
  int32_t List(TSTreeCursor* c, uint32_t ctx);
  int32_t Pipeline(TSTreeCursor* c, uint32_t ctx, int32_t lead);
  int32_t RedirectedCompound(TSTreeCursor* c, uint32_t ctx);
  void BareAssignments(TSTreeCursor* c, uint32_t ctx);
  void ScanNested(TSTreeCursor* c, uint32_t ctx);
  void RunDeferred(std::vector<Deferred>& deferred, int32_t command, uint32_t ctx);
  void ParseNested(uint32_t word_index, int32_t command, uint32_t ctx);

  // Commands.
  int32_t Command(TSTreeCursor* c, uint32_t ctx);
  void CommandBody(TSTreeCursor* c, CommandState& st);
  void TestArgs(TSTreeCursor* c, CommandState& st);
  void Redirect(TSTreeCursor* c, CommandState& st);
  void AddPiece(TSTreeCursor* c, CommandState& st);
  void AddSingleWord(TSTreeCursor* c, CommandState& st);
  void CloseWord(CommandState& st);
  void GapText(uint32_t from, uint32_t to, CommandState& st);
  void SeeChild(TSNode n, CommandState& st) {
    if (st.last_end != UINT32_MAX && AbsBegin(n) > st.last_end)
      GapText(st.last_end, AbsBegin(n), st);
    st.last_end = std::max(st.last_end == UINT32_MAX ? 0 : st.last_end, AbsEnd(n));
  }
  void ClaimHeredocs(TSNode node, CommandState& st);
  void DeclarationsFromWords(CommandState& st);
  BAssignment Assignment(TSTreeCursor* c, ShellAssignment::Kind kind, uint32_t ctx,
                         std::vector<Deferred>* deferred);

  // Words.
  // Argument words assemble in scratch_; targets and assignment values, which may be built
  // while an argument word is still open, in aux_scratch_.
  void StartWord(WordAcc& acc, std::string* buffer, std::vector<Deferred>* deferred) {
    buffer->clear();
    acc = WordAcc{};
    acc.out = buffer;
    acc.deferred = deferred;
  }
  void WordPart(TSTreeCursor* c, WordAcc& acc);
  void ContainerPart(TSTreeCursor* c, WordAcc& acc);
  void StringPart(TSTreeCursor* c, WordAcc& acc);
  void RawPart(TSNode n, WordAcc& acc, uint16_t flags);
  void UnquotedText(uint32_t b, uint32_t e, WordAcc& acc);
  void DoubleQuotedText(uint32_t b, uint32_t e, WordAcc& acc);
  void CollectSubstitutions(TSTreeCursor* c, WordAcc& acc);
  BWord FinishWord(uint32_t b, uint32_t e, const WordAcc& acc);

  ShellWord Final(const BWord& w) const {
    ShellWord out;
    out.raw = Slice(w.begin, w.end);
    out.value = w.owned ? w.value_owned : Slice(w.value_begin, w.value_begin + w.value_size);
    out.begin = w.begin;
    out.end = w.end;
    out.flags = w.flags;
    out.range = w.range;
    return out;
  }
  std::string_view ValueOf(const BWord& w) const {
    return w.owned ? w.value_owned : Slice(w.value_begin, w.value_begin + w.value_size);
  }

  std::shared_ptr<ShellScript::Data> data_;
  Segment* seg_ = nullptr;
  int depth_ = 0;
  bool depth_warned_ = false;
  std::string scratch_;
  std::string aux_scratch_;
  std::vector<BWord> words_;
  std::vector<BRedirect> redirects_;
  std::vector<BAssignment> assignments_;
  std::vector<BCommand> commands_;
};

// ---- Segments ---------------------------------------------------------------------------------

uint32_t Builder::ParseSegment(const SegmentSpec& spec, uint32_t segment_depth) {
  std::string& text = data_->text;
  if (!text.empty()) text.push_back('\n');
  Segment seg;
  seg.index = static_cast<uint32_t>(data_->segments.size());
  seg.base = static_cast<uint32_t>(text.size());
  seg.size = static_cast<uint32_t>(spec.text.size());
  seg.parse_text =
      spec.parse_text.size() == spec.text.size() ? spec.parse_text : std::string_view();
  seg.mapping = &spec.mapping;
  seg.depth = segment_depth;
  seg.heredocs = spec.heredocs;
  text.append(spec.text);

  ShellSegment info;
  info.origin = spec.origin;
  info.is_shell = true;
  info.begin = seg.base;
  info.end = seg.base + seg.size;
  info.heredoc = spec.heredoc;
  info.command = spec.command;
  info.context = spec.context;
  data_->segments.push_back(std::move(info));

  Segment* saved = seg_;
  seg_ = &seg;
  // tree-sitter gets its own copy of the input pointer only for the duration of the parse.
  std::string_view input =
      seg.parse_text.empty() ? std::string_view(text).substr(seg.base, seg.size) : seg.parse_text;
  // tree-sitter-bash reports an error for an escaped blank at the very end of its input
  // (`echo \ `), though not before a newline; give it one.
  std::string padded;
  if (input.size() >= 2 && input[input.size() - 2] == '\\' &&
      (input.back() == ' ' || input.back() == '\t')) {
    padded.assign(input);
    padded.push_back('\n');
    input = padded;
  }
  TreePtr tree(ts_parser_parse_string(ThreadParser(), nullptr, input.data(),
                                      static_cast<uint32_t>(input.size())));
  if (!tree) {
    Warn(seg.base, seg.base + seg.size, "shell script could not be parsed");
  } else {
    TSNode root = ts_tree_root_node(tree.get());
    if (ts_node_has_error(root)) CollectErrors(root);
    Cursor cursor(root);
    Sequence(cursor.get(), spec.context);
  }
  seg_ = saved;
  return seg.index;
}

uint32_t Builder::AddTextSegment(std::string_view text_in, ShellSegment::Origin origin,
                                 std::string interpreter, int32_t heredoc, int32_t command) {
  std::string& text = data_->text;
  if (!text.empty()) text.push_back('\n');
  ShellSegment info;
  info.origin = origin;
  info.is_shell = false;
  info.begin = static_cast<uint32_t>(text.size());
  text.append(text_in);
  info.end = static_cast<uint32_t>(text.size());
  info.interpreter = std::move(interpreter);
  info.heredoc = heredoc;
  info.command = command;
  data_->segments.push_back(std::move(info));
  return static_cast<uint32_t>(data_->segments.size() - 1);
}

void Builder::AddExecCommand(std::string_view text_in,
                             const std::vector<ShellBuilder::ExecWord>& words,
                             const ShellMapping& mapping) {
  std::string& text = data_->text;
  if (!text.empty()) text.push_back('\n');
  Segment seg;
  seg.index = static_cast<uint32_t>(data_->segments.size());
  seg.base = static_cast<uint32_t>(text.size());
  seg.size = static_cast<uint32_t>(text_in.size());
  seg.mapping = &mapping;
  text.append(text_in);
  ShellSegment info;
  info.origin = ShellSegment::Origin::kExecArgv;
  info.is_shell = false;
  info.begin = seg.base;
  info.end = seg.base + seg.size;
  data_->segments.push_back(std::move(info));

  Segment* saved = seg_;
  seg_ = &seg;
  BCommand cmd;
  cmd.segment = seg.index;
  cmd.argv_begin = static_cast<uint32_t>(words_.size());
  for (const ShellBuilder::ExecWord& ew : words) {
    BWord w;
    w.begin = seg.base + ew.begin;
    w.end = seg.base + ew.end;
    w.flags = ShellWordFlags::kQuoted;
    if (Slice(w.begin, w.end) == ew.value) {
      w.value_begin = w.begin;
      w.value_size = w.end - w.begin;
    } else if (w.end - w.begin == ew.value.size() + 2 &&
               Slice(w.begin + 1, w.end - 1) == ew.value) {
      w.value_begin = w.begin + 1;
      w.value_size = w.end - w.begin - 2;
    } else {
      w.owned = true;
      w.value_owned = data_->arena.emplace_back(ew.value);
    }
    w.range = Map(w.begin, w.end);
    words_.push_back(w);
  }
  cmd.argv_end = static_cast<uint32_t>(words_.size());
  cmd.assign_begin = cmd.assign_end = static_cast<uint32_t>(assignments_.size());
  cmd.redirect_begin = cmd.redirect_end = static_cast<uint32_t>(redirects_.size());
  if (!words.empty()) {
    cmd.begin = words_[cmd.argv_begin].begin;
    cmd.end = words_.back().end;
    cmd.range = Map(cmd.begin, cmd.end);
    commands_.push_back(cmd);
  }
  seg_ = saved;
}

std::vector<WordRef> Builder::ArgvOf(int32_t command) const {
  std::vector<WordRef> out;
  if (command < 0 || static_cast<size_t>(command) >= commands_.size()) return out;
  const BCommand& cmd = commands_[command];
  for (uint32_t i = cmd.argv_begin; i < cmd.argv_end; ++i) {
    out.push_back(WordRef{ValueOf(words_[i]), words_[i].flags});
  }
  return out;
}

ShellScript Builder::Finish() {
  ShellScript::Data& d = *data_;
  d.words.reserve(words_.size());
  for (const BWord& w : words_) d.words.push_back(Final(w));
  d.redirects.reserve(redirects_.size());
  for (const BRedirect& r : redirects_) {
    ShellRedirect out;
    out.op = Slice(r.op_begin, r.op_begin + r.op_size);
    out.fd = r.fd;
    out.target = Final(r.target);
    out.begin = r.begin;
    out.end = r.end;
    out.range = r.range;
    d.redirects.push_back(out);
  }
  d.assignments.reserve(assignments_.size());
  for (const BAssignment& a : assignments_) {
    ShellAssignment out;
    out.kind = a.kind;
    out.name = Slice(a.name_begin, a.name_begin + a.name_size);
    out.append = a.append;
    out.has_value = a.has_value;
    out.value = Final(a.value);
    out.command = a.command;
    out.context = a.context;
    out.begin = a.begin;
    out.end = a.end;
    out.range = a.range;
    d.assignments.push_back(out);
  }
  d.commands.reserve(commands_.size());
  for (const BCommand& c : commands_) {
    ShellCommand out;
    out.argv = std::span<const ShellWord>(d.words.data() + c.argv_begin, c.argv_end - c.argv_begin);
    out.assignments = std::span<const ShellAssignment>(d.assignments.data() + c.assign_begin,
                                                       c.assign_end - c.assign_begin);
    out.redirects = std::span<const ShellRedirect>(d.redirects.data() + c.redirect_begin,
                                                   c.redirect_end - c.redirect_begin);
    out.next = c.next;
    out.context = c.context;
    out.segment = c.segment;
    out.begin = c.begin;
    out.end = c.end;
    out.range = c.range;
    d.commands.push_back(out);
  }
  return ShellScript(std::move(data_));
}

void Builder::CollectErrors(TSNode root) {
  // Iterative, and only into subtrees that hold an error.
  Cursor cursor(root);
  TSTreeCursor* c = cursor.get();
  for (;;) {
    TSNode n = Current(c);
    bool descend = false;
    if (KindOf(n) == NodeKind::kError) {
      uint32_t b = AbsBegin(n);
      uint32_t e = AbsEnd(n);
      std::string_view snippet = Slice(b, e);
      snippet = snippet.substr(0, std::min<size_t>(snippet.find('\n'), 24));
      Warn(b, e,
           snippet.empty() ? "shell syntax error"
                           : "shell syntax error near \"" + std::string(snippet) + "\"");
    } else if (ts_node_is_missing(n)) {
      Warn(AbsBegin(n), AbsEnd(n),
           std::string("shell syntax error: missing \"") + ts_node_type(n) + "\"");
    } else {
      descend = ts_node_has_error(n);
    }
    if (descend && ts_tree_cursor_goto_first_child(c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(c)) {
      if (!ts_tree_cursor_goto_parent(c)) return;
    }
  }
}

// ---- Statements -------------------------------------------------------------------------------

void Builder::Sequence(TSTreeCursor* c, uint32_t ctx) {
  if (!ts_tree_cursor_goto_first_child(c)) return;
  bool condition = false;
  int32_t tail = -1;
  do {
    TSNode n = Current(c);
    NodeKind k = KindOf(n);
    if (!ts_node_is_named(n)) {
      switch (k) {
        case NodeKind::kTokCondStart:
          condition = true;
          break;
        case NodeKind::kTokBodyStart:
          condition = false;
          break;
        default: {
          ShellOperator op = OperatorOf(k);
          if (op != ShellOperator::kEnd) {
            SetOp(tail, op);
            tail = -1;
          }
        }
      }
      continue;
    }
    switch (k) {
      case NodeKind::kComment:
      case NodeKind::kHeredocBody:
        break;
      case NodeKind::kElifClause:
      case NodeKind::kElseClause:
      case NodeKind::kDoGroup:
      case NodeKind::kCaseItem:
        Sequence(c, ctx);
        tail = -1;
        break;
      default:
        if (tail >= 0 && NewlineBetween(commands_[tail].end, AbsBegin(n))) {
          SetOp(tail, ShellOperator::kNewline);
        }
        tail = Statement(c, ctx | (condition ? ShellContext::kCondition : 0));
    }
  } while (ts_tree_cursor_goto_next_sibling(c));
  ts_tree_cursor_goto_parent(c);
}

int32_t Builder::Statement(TSTreeCursor* c, uint32_t ctx, int32_t lead) {
  TSNode n = Current(c);
  if (TooDeep(n)) return -1;
  ++depth_;
  int32_t tail = -1;
  switch (KindOf(n)) {
    case NodeKind::kCommand:
    case NodeKind::kDeclarationCommand:
    case NodeKind::kUnsetCommand:
    case NodeKind::kTestCommand:
      tail = Command(c, ctx);
      break;
    case NodeKind::kRedirectedStatement: {
      NodeKind body = NodeKind::kOther;
      if (ts_tree_cursor_goto_first_child(c)) {
        body = KindOf(Current(c));
        ts_tree_cursor_goto_parent(c);
      }
      // `> file` alone is a command without argv.
      tail = IsCommandLike(body) || IsRedirect(body) ? Command(c, ctx) : RedirectedCompound(c, ctx);
      break;
    }
    case NodeKind::kVariableAssignment:
    case NodeKind::kVariableAssignments:
      BareAssignments(c, ctx);
      break;
    case NodeKind::kList:
      tail = List(c, ctx);
      break;
    case NodeKind::kPipeline:
      tail = Pipeline(c, ctx | ShellContext::kPipeline, lead);
      break;
    case NodeKind::kNegatedCommand:
      if (ts_tree_cursor_goto_first_child(c)) {
        do {
          if (ts_node_is_named(Current(c))) tail = Statement(c, ctx | ShellContext::kNegated);
        } while (ts_tree_cursor_goto_next_sibling(c));
        ts_tree_cursor_goto_parent(c);
      }
      break;
    case NodeKind::kSubshell:
      Sequence(c, ctx | ShellContext::kSubshell);
      break;
    case NodeKind::kCompoundStatement:
      Sequence(c, ctx | ShellContext::kBraceGroup);
      break;
    case NodeKind::kIfStatement:
      Sequence(c, ctx | ShellContext::kIf);
      break;
    case NodeKind::kWhileStatement:
    case NodeKind::kForStatement:
    case NodeKind::kCStyleFor:
      Sequence(c, ctx | ShellContext::kLoop);
      break;
    case NodeKind::kCaseStatement:
      Sequence(c, ctx | ShellContext::kCase);
      break;
    case NodeKind::kFunctionDefinition:
      Sequence(c, ctx | ShellContext::kFunction);
      break;
    case NodeKind::kProgram:
    case NodeKind::kError:
      Sequence(c, ctx);
      break;
    case NodeKind::kComment:
      break;
    default:
      ScanNested(c, ctx);
      break;
  }
  --depth_;
  return tail;
}

int32_t Builder::List(TSTreeCursor* c, uint32_t ctx) {
  // `a && b || c` is left-recursive: list(list(a, b), c). Walk down the left spine with the
  // cursor and back up, so a long chain costs no recursion.
  int levels = 0;
  while (KindOf(Current(c)) == NodeKind::kList && ts_tree_cursor_goto_first_child(c)) ++levels;
  int32_t tail = levels > 0 ? Statement(c, ctx) : -1;
  for (int level = 0; level < levels; ++level) {
    while (ts_tree_cursor_goto_next_sibling(c)) {
      TSNode n = Current(c);
      if (TakeOperator(n, &tail) || KindOf(n) == NodeKind::kComment) continue;
      if (tail >= 0 && NewlineBetween(commands_[tail].end, AbsBegin(n))) {
        SetOp(tail, ShellOperator::kNewline);
      }
      tail = Statement(c, ctx);
    }
    ts_tree_cursor_goto_parent(c);
  }
  return tail;
}

int32_t Builder::Pipeline(TSTreeCursor* c, uint32_t ctx, int32_t lead) {
  int32_t tail = lead;
  if (!ts_tree_cursor_goto_first_child(c)) return tail;
  do {
    TSNode n = Current(c);
    if (TakeOperator(n, &tail) || KindOf(n) == NodeKind::kComment) continue;
    tail = Statement(c, ctx);
  } while (ts_tree_cursor_goto_next_sibling(c));
  ts_tree_cursor_goto_parent(c);
  return tail;
}

int32_t Builder::RedirectedCompound(TSTreeCursor* c, uint32_t ctx) {
  int32_t tail = -1;
  if (!ts_tree_cursor_goto_first_child(c)) return tail;
  bool first = true;
  // tree-sitter-bash 0.23 parses `a && b > f` (and `a | b > f`) as a redirect of the whole list;
  // bash gives it to the last command. When that command is a simple one whose redirections
  // are still the last ones recorded, the redirect is attached to it.
  bool to_tail = false;
  do {
    TSNode n = Current(c);
    if (!ts_node_is_named(n)) continue;
    NodeKind k = KindOf(n);
    if (first) {
      uint32_t count = ts_node_named_child_count(n);
      to_tail = (k == NodeKind::kList || k == NodeKind::kPipeline) && count > 0 &&
                KindOf(ts_node_named_child(n, count - 1)) == NodeKind::kCommand;
      tail = Statement(c, ctx);
      first = false;
    } else if (to_tail && tail >= 0 &&
               (k == NodeKind::kFileRedirect || k == NodeKind::kHerestringRedirect) &&
               commands_[tail].redirect_end == redirects_.size()) {
      CommandState st;
      st.index = tail;
      st.context = commands_[tail].context;
      Redirect(c, st);
      BCommand& cmd = commands_[tail];
      cmd.redirect_end = static_cast<uint32_t>(redirects_.size());
      for (uint32_t i = cmd.redirect_begin; i < cmd.redirect_end; ++i) {
        cmd.end = std::max(cmd.end, redirects_[i].end);
      }
      cmd.range = Map(cmd.begin, cmd.end);
      RunDeferred(st.deferred, tail, st.context);  // substitutions in the target
    } else {
      ScanNested(c, ctx);  // substitutions in targets and heredoc bodies
    }
  } while (ts_tree_cursor_goto_next_sibling(c));
  ts_tree_cursor_goto_parent(c);
  return tail;
}

void Builder::ScanNested(TSTreeCursor* c, uint32_t ctx) {
  TSNode n = Current(c);
  switch (KindOf(n)) {
    case NodeKind::kCommandSubstitution:
      Sequence(c, (ctx & ~(ShellContext::kPipeline | ShellContext::kNegated)) |
                      ShellContext::kCommandSubstitution);
      return;
    case NodeKind::kProcessSubstitution:
      Sequence(c, (ctx & ~(ShellContext::kPipeline | ShellContext::kNegated)) |
                      ShellContext::kProcessSubstitution);
      return;
    case NodeKind::kCommand:
    case NodeKind::kDeclarationCommand:
    case NodeKind::kUnsetCommand:
    case NodeKind::kRedirectedStatement:
    case NodeKind::kList:
    case NodeKind::kPipeline:
    case NodeKind::kSubshell:
    case NodeKind::kCompoundStatement:
    case NodeKind::kIfStatement:
    case NodeKind::kWhileStatement:
    case NodeKind::kForStatement:
    case NodeKind::kCaseStatement:
      Statement(c, ctx);
      return;
    default:
      break;
  }
  if (TooDeep(n)) return;
  ++depth_;
  if (ts_tree_cursor_goto_first_child(c)) {
    do {
      if (ts_node_is_named(Current(c))) ScanNested(c, ctx);
    } while (ts_tree_cursor_goto_next_sibling(c));
    ts_tree_cursor_goto_parent(c);
  }
  --depth_;
}

void Builder::BareAssignments(TSTreeCursor* c, uint32_t ctx) {
  std::vector<Deferred> deferred;
  TSNode n = Current(c);
  if (KindOf(n) == NodeKind::kVariableAssignment) {
    assignments_.push_back(Assignment(c, ShellAssignment::Kind::kBare, ctx, &deferred));
  } else if (ts_tree_cursor_goto_first_child(c)) {
    do {
      if (KindOf(Current(c)) == NodeKind::kVariableAssignment) {
        assignments_.push_back(Assignment(c, ShellAssignment::Kind::kBare, ctx, &deferred));
      }
    } while (ts_tree_cursor_goto_next_sibling(c));
    ts_tree_cursor_goto_parent(c);
  }
  RunDeferred(deferred, -1, ctx);
}

void Builder::RunDeferred(std::vector<Deferred>& deferred, int32_t command, uint32_t ctx) {
  if (deferred.empty()) return;
  std::stable_sort(deferred.begin(), deferred.end(),
                   [](const Deferred& a, const Deferred& b) { return a.begin < b.begin; });
  for (const Deferred& d : deferred) {
    switch (d.type) {
      case Deferred::Type::kSubstitution: {
        Cursor cursor(d.node);
        ScanNested(cursor.get(), ctx);
        break;
      }
      case Deferred::Type::kStatement: {
        // The rest of a line after a heredoc start: `cat <<EOF | sh`, `cat <<EOF && x`.
        uint32_t inner = ctx;
        if (d.op == ShellOperator::kPipe || d.op == ShellOperator::kPipeAll ||
            KindOf(d.node) == NodeKind::kPipeline) {
          inner |= ShellContext::kPipeline;
          if (command >= 0) commands_[command].context |= ShellContext::kPipeline;
        }
        SetOp(command, d.op);
        Cursor cursor(d.node);
        if (KindOf(d.node) == NodeKind::kPipeline) {
          Pipeline(cursor.get(), inner, command);
        } else {
          Statement(cursor.get(), inner);
        }
        break;
      }
      case Deferred::Type::kNestedScript:
        ParseNested(d.word, command, ctx);
        break;
    }
  }
}

void Builder::ParseNested(uint32_t word_index, int32_t command, uint32_t ctx) {
  if (seg_->depth + 1 > kMaxSegmentDepth) return;
  const BWord w = words_[word_index];
  // Copies: the text grows while the nested script is parsed.
  std::string raw(Slice(w.begin, w.end));
  std::string decoded;
  OffsetMap map;
  UnquoteWord(raw, w.begin, &decoded, &map);
  // The tree's value is the reference; a word this decoder reads differently is left alone.
  if (decoded != ValueOf(w)) return;
  const ShellMapping* outer = seg_->mapping;
  uint32_t outer_base = seg_->base;
  ShellMapping mapping;
  if (outer != nullptr && *outer) {
    mapping = [outer, outer_base, map = std::move(map)](uint32_t b, uint32_t e) {
      auto [rb, re] = map.Range(b, e);
      return (*outer)(rb - outer_base, re - outer_base);
    };
  }
  SegmentSpec spec;
  spec.text = decoded;
  spec.mapping = std::move(mapping);
  spec.origin = ShellSegment::Origin::kNestedScript;
  spec.context = ctx | ShellContext::kNestedShell;
  spec.command = command;
  ParseSegment(spec, seg_->depth + 1);
}

// ---- Commands ---------------------------------------------------------------------------------

int32_t Builder::Command(TSTreeCursor* c, uint32_t ctx) {
  TSNode node = Current(c);
  CommandState st;
  st.index = static_cast<int32_t>(commands_.size());
  st.context = ctx;
  commands_.push_back(BCommand{});
  uint32_t argv_begin = static_cast<uint32_t>(words_.size());
  st.assign_begin = static_cast<uint32_t>(assignments_.size());
  uint32_t redirect_begin = static_cast<uint32_t>(redirects_.size());

  if (KindOf(node) == NodeKind::kRedirectedStatement) {
    if (ts_tree_cursor_goto_first_child(c)) {
      bool first = true;
      do {
        TSNode n = Current(c);
        NodeKind k = KindOf(n);
        if (first && ts_node_is_named(n) && !IsRedirect(k)) {
          CommandBody(c, st);
          first = false;
        } else if (IsRedirect(k)) {
          SeeChild(n, st);
          CloseWord(st);
          Redirect(c, st);
        }
      } while (ts_tree_cursor_goto_next_sibling(c));
      ts_tree_cursor_goto_parent(c);
    }
  } else {
    CommandBody(c, st);
  }
  if (st.last_end != UINT32_MAX) {
    // Escaped blanks right after the command's last node (`echo a\ ` at the end).
    uint32_t seg_end = seg_->base + seg_->size;
    uint32_t stop = st.last_end;
    for (uint32_t i = st.last_end; i < seg_end;) {
      char ch = ParseChar(i);
      if (ch == ' ' || ch == '\t') {
        ++i;
      } else if (ch == '\\' && i + 1 < seg_end &&
                 (ParseChar(i + 1) == ' ' || ParseChar(i + 1) == '\t' ||
                  ParseChar(i + 1) == '\n')) {
        i += 2;
        stop = i;
      } else {
        break;
      }
    }
    if (stop > st.last_end) GapText(st.last_end, stop, st);
  }
  CloseWord(st);
  if (seg_->heredocs != nullptr) ClaimHeredocs(node, st);

  const uint32_t assign_begin = st.assign_begin;
  BCommand& cmd = commands_[st.index];
  cmd.argv_begin = argv_begin;
  cmd.argv_end = static_cast<uint32_t>(words_.size());
  cmd.assign_begin = assign_begin;
  cmd.assign_end = static_cast<uint32_t>(assignments_.size());
  cmd.redirect_begin = redirect_begin;
  cmd.redirect_end = static_cast<uint32_t>(redirects_.size());
  cmd.context = ctx;
  cmd.segment = seg_->index;
  cmd.begin = std::max(AbsBegin(node), st.begin == UINT32_MAX ? 0 : st.begin);
  cmd.end = AbsEnd(node);
  // A heredoc redirect spans its body and the rest of the line; the command ends at the last
  // word or redirection of its own.
  uint32_t last = cmd.begin;
  for (uint32_t i = argv_begin; i < cmd.argv_end; ++i) last = std::max(last, words_[i].end);
  for (uint32_t i = assign_begin; i < cmd.assign_end; ++i)
    last = std::max(last, assignments_[i].end);
  for (uint32_t i = redirect_begin; i < cmd.redirect_end; ++i) {
    last = std::max(last, redirects_[i].end);
    cmd.begin = std::min(cmd.begin, redirects_[i].begin);
  }
  cmd.end = last;
  cmd.range = Map(cmd.begin, cmd.end);
  std::sort(redirects_.begin() + redirect_begin, redirects_.end(),
            [](const BRedirect& a, const BRedirect& b) { return a.begin < b.begin; });

  if (KindOf(node) != NodeKind::kDeclarationCommand && cmd.argv_end > cmd.argv_begin) {
    DeclarationsFromWords(st);
  }
  cmd.assign_end = static_cast<uint32_t>(assignments_.size());
  int32_t result = st.index;
  if (cmd.argv_end == cmd.argv_begin && cmd.redirect_end == cmd.redirect_begin) {
    // Only assignments (tree-sitter makes `FOO=1 \n` a command sometimes): they are bare.
    for (uint32_t i = assign_begin; i < cmd.assign_end; ++i) {
      assignments_[i].kind = ShellAssignment::Kind::kBare;
      assignments_[i].command = -1;
    }
    commands_.pop_back();
    result = -1;
  } else if (cmd.argv_end - cmd.argv_begin >= 2) {
    // sh -c '...' and friends: the script is parsed as commands of its own.
    std::span<const BWord> argv(words_.data() + cmd.argv_begin, cmd.argv_end - cmd.argv_begin);
    bool candidate = false;
    for (const BWord& w : argv) {
      std::string_view name = Basename(ValueOf(w));
      if (IsPosixShellName(name) || name == "su" || name == "runuser") candidate = true;
    }
    if (candidate) {
      std::vector<WordRef> refs = ArgvOf(st.index);
      if (std::optional<size_t> script = NestedScriptIndex(std::span<const WordRef>(refs))) {
        Deferred d;
        d.type = Deferred::Type::kNestedScript;
        d.word = cmd.argv_begin + static_cast<uint32_t>(*script);
        d.begin = words_[d.word].begin;
        st.deferred.push_back(d);
      }
    }
  }
  RunDeferred(st.deferred, result, ctx);
  return result;
}

void Builder::CommandBody(TSTreeCursor* c, CommandState& st) {
  NodeKind kind = KindOf(Current(c));
  if (kind == NodeKind::kTestCommand) {
    TestArgs(c, st);
    return;
  }
  if (!ts_tree_cursor_goto_first_child(c)) return;
  bool declaration = kind == NodeKind::kDeclarationCommand || kind == NodeKind::kUnsetCommand;
  uint32_t prev_end = UINT32_MAX;
  do {
    TSNode n = Current(c);
    NodeKind k = KindOf(n);
    if (k != NodeKind::kComment) SeeChild(n, st);
    if (!st.have_name && prev_end != UINT32_MAX && k != NodeKind::kComment &&
        NewlineBetween(prev_end, AbsBegin(n))) {
      // tree-sitter-bash sometimes runs `A=1 B=` on into the next line's command; the shell
      // ends the statement at the newline, so the assignments before it are bare.
      for (uint32_t i = st.assign_begin; i < assignments_.size(); ++i) {
        assignments_[i].kind = ShellAssignment::Kind::kBare;
        assignments_[i].command = -1;
      }
      st.assign_begin = static_cast<uint32_t>(assignments_.size());
      st.begin = AbsBegin(n);
    }
    prev_end = AbsEnd(n);
    if (!ts_node_is_named(n)) {
      if (declaration && !st.have_name) {
        // export, local, declare, readonly, typeset, unset: the keyword is argv[0].
        CloseWord(st);
        AddSingleWord(c, st);
        st.have_name = true;
      } else if (k == NodeKind::kTokOther) {
        AddPiece(c, st);  // `$` of $"..." and the like
      }
      continue;
    }
    switch (k) {
      case NodeKind::kComment:
      case NodeKind::kError:
        CloseWord(st);
        break;
      case NodeKind::kVariableAssignment:
        if (declaration) {
          CloseWord(st);
          AddSingleWord(c, st);
          if (kind != NodeKind::kDeclarationCommand) break;
          assignments_.push_back(
              Assignment(c, ShellAssignment::Kind::kDeclaration, st.context, nullptr));
          assignments_.back().command = st.index;
        } else if (!st.have_name) {
          CloseWord(st);
          assignments_.push_back(
              Assignment(c, ShellAssignment::Kind::kPrefix, st.context, &st.deferred));
          assignments_.back().command = st.index;
        } else {
          AddPiece(c, st);
        }
        break;
      case NodeKind::kCommandName:
        CloseWord(st);
        AddPiece(c, st);
        st.have_name = true;
        break;
      case NodeKind::kFileRedirect:
      case NodeKind::kHeredocRedirect:
      case NodeKind::kHerestringRedirect:
        CloseWord(st);
        Redirect(c, st);
        break;
      default:
        AddPiece(c, st);
        if (kind == NodeKind::kDeclarationCommand && k == NodeKind::kVariableName) {
          // `export FOO`: declared without a value.
          CloseWord(st);
          BAssignment a;
          a.kind = ShellAssignment::Kind::kDeclaration;
          a.name_begin = AbsBegin(n);
          a.name_size = End(n) - Begin(n);
          a.command = st.index;
          a.context = st.context;
          a.begin = AbsBegin(n);
          a.end = AbsEnd(n);
          a.range = Map(a.begin, a.end);
          a.value.begin = a.value.end = a.value.value_begin = a.end;
          a.value.range = Map(a.end, a.end);
          assignments_.push_back(a);
        }
        break;
    }
  } while (ts_tree_cursor_goto_next_sibling(c));
  ts_tree_cursor_goto_parent(c);
}

void Builder::TestArgs(TSTreeCursor* c, CommandState& st) {
  // [ -f x ], [[ $a == b* ]], (( i++ )): the operands and operators, flattened, as argv.
  if (!ts_tree_cursor_goto_first_child(c)) return;
  do {
    TSNode n = Current(c);
    NodeKind k = KindOf(n);
    if (!ts_node_is_named(n)) {
      CloseWord(st);
      AddSingleWord(c, st);
    } else if (IsTestContainer(k)) {
      CloseWord(st);
      TestArgs(c, st);
    } else if (IsRedirect(k)) {
      CloseWord(st);
      Redirect(c, st);
    } else if (k != NodeKind::kComment && k != NodeKind::kError) {
      AddPiece(c, st);
    }
  } while (ts_tree_cursor_goto_next_sibling(c));
  ts_tree_cursor_goto_parent(c);
}

void Builder::AddPiece(TSTreeCursor* c, CommandState& st) {
  TSNode n = Current(c);
  uint32_t b = AbsBegin(n);
  uint32_t e = AbsEnd(n);
  if (!st.word_open || !Joins(st.word_end, b)) {
    CloseWord(st);
    StartWord(st.acc, &scratch_, &st.deferred);
    st.word_open = true;
    st.word_begin = b;
  }
  WordPart(c, st.acc);
  st.word_end = e;
}

void Builder::AddSingleWord(TSTreeCursor* c, CommandState& st) {
  AddPiece(c, st);
  CloseWord(st);
}

void Builder::GapText(uint32_t from, uint32_t to, CommandState& st) {
  // tree-sitter-bash's grammar lists `\ ` and `\<tab>` with the whitespace it skips, but to the
  // shell they are word characters: `"a"\ b` is one word "a b", `x \  y` has the word " ".
  // Recover them from the text between nodes.
  for (uint32_t i = from; i < to;) {
    char ch = ParseChar(i);
    if (ch == '\\' && i + 1 < to) {
      char next = ParseChar(i + 1);
      if (next != '\n') {
        if (!st.word_open) {
          StartWord(st.acc, &scratch_, &st.deferred);
          st.word_open = true;
          st.word_begin = i;
        }
        UnquotedText(i, i + 2, st.acc);
        st.word_end = i + 2;
      } else if (st.word_open && st.word_end == i) {
        st.word_end = i + 2;  // a continuation inside the word
      }
      i += 2;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') CloseWord(st);
    ++i;
  }
}

void Builder::CloseWord(CommandState& st) {
  if (!st.word_open) return;
  st.word_open = false;
  words_.push_back(FinishWord(st.word_begin, st.word_end, st.acc));
}

void Builder::Redirect(TSTreeCursor* c, CommandState& st) {
  TSNode node = Current(c);
  NodeKind kind = KindOf(node);
  BRedirect r;
  r.begin = AbsBegin(node);
  r.end = AbsEnd(node);
  bool have_op = false;
  bool target_open = false;
  uint32_t target_begin = 0, target_end = 0;
  WordAcc acc;
  std::vector<TSNode> nested_redirects;
  if (kind == NodeKind::kHeredocRedirect) st.heredoc_op = ShellOperator::kEnd;
  if (!ts_tree_cursor_goto_first_child(c)) return;
  do {
    TSNode n = Current(c);
    NodeKind k = KindOf(n);
    if (!ts_node_is_named(n)) {
      if (!have_op) {
        have_op = true;
        r.op_begin = AbsBegin(n);
        r.op_size = End(n) - Begin(n);
      } else if (kind == NodeKind::kHeredocRedirect) {
        ShellOperator op = OperatorOf(k);
        if (op != ShellOperator::kEnd) st.heredoc_op = op;
      }
      continue;
    }
    switch (k) {
      case NodeKind::kFileDescriptor: {
        std::string_view digits = Slice(AbsBegin(n), AbsEnd(n));
        int32_t fd = 0;
        for (char ch : digits) {
          if (ch < '0' || ch > '9' || fd > 100000) break;
          fd = fd * 10 + (ch - '0');
        }
        r.fd = fd;
        break;
      }
      case NodeKind::kHeredocStart: {
        StartWord(acc, &aux_scratch_, nullptr);
        UnquoteWord(Slice(AbsBegin(n), AbsEnd(n)), 0, acc.out, nullptr);
        if (*acc.out != Slice(AbsBegin(n), AbsEnd(n))) acc.flags |= ShellWordFlags::kQuoted;
        r.target = FinishWord(AbsBegin(n), AbsEnd(n), acc);
        r.end = AbsEnd(n);
        break;
      }
      case NodeKind::kHeredocBody:
        // An unquoted delimiter lets the shell expand $(...) in the body.
        if ((r.target.flags & ShellWordFlags::kQuoted) == 0) {
          WordAcc body;
          std::string unused;
          StartWord(body, &unused, &st.deferred);
          CollectSubstitutions(c, body);
        }
        break;
      case NodeKind::kFileRedirect:
      case NodeKind::kHerestringRedirect:
        nested_redirects.push_back(n);
        break;
      case NodeKind::kError:
      case NodeKind::kComment:
      case NodeKind::kOther:
        break;
      case NodeKind::kPipeline:
      case NodeKind::kList:
      case NodeKind::kCommand:
      case NodeKind::kRedirectedStatement:
      case NodeKind::kSubshell:
      case NodeKind::kCompoundStatement: {
        Deferred d;
        d.type = Deferred::Type::kStatement;
        d.node = n;
        d.begin = AbsBegin(n);
        d.op = st.heredoc_op;
        st.deferred.push_back(d);
        break;
      }
      default:
        if (kind == NodeKind::kHeredocRedirect) {
          // Words after `<<EOF` on the line are the command's arguments: `cat <<EOF a b`.
          AddPiece(c, st);
          break;
        }
        if (!target_open) {
          StartWord(acc, &aux_scratch_, &st.deferred);
          target_open = true;
          target_begin = AbsBegin(n);
        }
        WordPart(c, acc);
        target_end = AbsEnd(n);
        break;
    }
  } while (ts_tree_cursor_goto_next_sibling(c));
  ts_tree_cursor_goto_parent(c);
  if (kind == NodeKind::kHeredocRedirect) CloseWord(st);
  if (target_open) r.target = FinishWord(target_begin, target_end, acc);
  if (!target_open && kind != NodeKind::kHeredocRedirect) {
    r.target.begin = r.target.end = r.target.value_begin = r.end;
    r.target.range = Map(r.end, r.end);
  }
  r.range = Map(r.begin, r.end);
  redirects_.push_back(r);
  for (TSNode nested : nested_redirects) {
    Cursor cursor(nested);
    Redirect(cursor.get(), st);
  }
}

void Builder::DeclarationsFromWords(CommandState& st) {
  // tree-sitter-bash parses `export A=1` as a plain command in some contexts (after `B=` and a
  // newline); the shell still declares A.
  const BCommand& cmd = commands_[st.index];
  std::string_view name = ValueOf(words_[cmd.argv_begin]);
  if (name != "export" && name != "declare" && name != "typeset" && name != "local" &&
      name != "readonly") {
    return;
  }
  for (uint32_t i = cmd.argv_begin + 1; i < cmd.argv_end; ++i) {
    const BWord w = words_[i];
    std::string_view raw = Slice(w.begin, w.end);
    std::string_view value = ValueOf(w);
    if (raw.find('=') == std::string_view::npos && raw == value && !raw.empty() &&
        IsAssignmentWord(std::string(raw) + "=")) {
      // `export NAME`: declared without a value.
      BAssignment a;
      a.kind = ShellAssignment::Kind::kDeclaration;
      a.name_begin = w.begin;
      a.name_size = w.end - w.begin;
      a.command = st.index;
      a.context = st.context;
      a.begin = w.begin;
      a.end = w.end;
      a.range = w.range;
      a.value.begin = a.value.end = a.value.value_begin = w.end;
      a.value.range = Map(w.end, w.end);
      assignments_.push_back(a);
      continue;
    }
    if (!IsAssignmentWord(raw) || !IsAssignmentWord(value)) continue;
    uint32_t eq = static_cast<uint32_t>(raw.find('='));
    BAssignment a;
    a.kind = ShellAssignment::Kind::kDeclaration;
    a.name_begin = w.begin;
    a.name_size = eq;
    a.has_value = true;
    a.command = st.index;
    a.context = st.context;
    a.begin = w.begin;
    a.end = w.end;
    a.range = w.range;
    a.value.begin = w.begin + eq + 1;
    a.value.end = w.end;
    a.value.flags = w.flags;
    std::string_view v = value.substr(eq + 1);
    if (Slice(a.value.begin, a.value.end) == v) {
      a.value.value_begin = a.value.begin;
      a.value.value_size = a.value.end - a.value.begin;
    } else {
      a.value.owned = true;
      a.value.value_owned = data_->arena.emplace_back(v);
    }
    a.value.range = Map(a.value.begin, a.value.end);
    assignments_.push_back(a);
  }
}

void Builder::ClaimHeredocs(TSNode node, CommandState& st) {
  // Heredoc words of a RUN line were blanked for tree-sitter; a word belongs to the command it
  // sits in or next to, with only blanks between.
  uint32_t seg_begin = seg_->base;
  uint32_t seg_end = seg_->base + seg_->size;
  uint32_t b = AbsBegin(node);
  uint32_t e = AbsEnd(node);
  while (b > seg_begin && (ParseChar(b - 1) == ' ' || ParseChar(b - 1) == '\t')) --b;
  while (e < seg_end && (ParseChar(e) == ' ' || ParseChar(e) == '\t')) ++e;
  for (HeredocMarker& m : *seg_->heredocs) {
    uint32_t mb = seg_->base + m.begin;
    uint32_t me = seg_->base + m.end;
    if (m.command >= 0 || mb < b || me > e) continue;
    m.command = st.index;
    BRedirect r;
    r.begin = mb;
    r.end = me;
    r.fd = m.fd;
    std::string_view word = Slice(mb, me);
    size_t op = word.find("<<");
    r.op_begin = mb + static_cast<uint32_t>(op == std::string_view::npos ? 0 : op);
    r.op_size = m.chomp ? 3 : 2;
    r.target.begin = seg_->base + m.delimiter_begin;
    r.target.end = me;
    if (Slice(r.target.begin, r.target.end) == m.name) {
      r.target.value_begin = r.target.begin;
      r.target.value_size = r.target.end - r.target.begin;
    } else {
      r.target.owned = true;
      r.target.value_owned = data_->arena.emplace_back(m.name);
      r.target.flags = ShellWordFlags::kQuoted;
    }
    r.target.range = Map(r.target.begin, r.target.end);
    r.range = Map(r.begin, r.end);
    redirects_.push_back(r);
  }
}

Builder::BAssignment Builder::Assignment(TSTreeCursor* c, ShellAssignment::Kind kind, uint32_t ctx,
                                         std::vector<Deferred>* deferred) {
  TSNode node = Current(c);
  BAssignment a;
  a.kind = kind;
  a.context = ctx;
  a.begin = AbsBegin(node);
  a.end = AbsEnd(node);
  a.range = Map(a.begin, a.end);
  bool have_name = false;
  bool have_op = false;
  bool value_open = false;
  uint32_t value_begin = a.end, value_end = a.end;
  WordAcc acc;
  if (ts_tree_cursor_goto_first_child(c)) {
    do {
      TSNode n = Current(c);
      if (!ts_node_is_named(n)) {
        if (!have_op && have_name) {
          have_op = true;
          std::string_view op = Slice(AbsBegin(n), AbsEnd(n));
          a.append = op == "+=";
          value_begin = value_end = AbsEnd(n);
        }
        continue;
      }
      if (!have_name && !have_op) {
        have_name = true;
        a.name_begin = AbsBegin(n);
        a.name_size = End(n) - Begin(n);
        continue;
      }
      if (KindOf(n) == NodeKind::kComment || KindOf(n) == NodeKind::kError) continue;
      if (!value_open) {
        StartWord(acc, &aux_scratch_, deferred);
        value_open = true;
        value_begin = AbsBegin(n);
      }
      WordPart(c, acc);
      value_end = AbsEnd(n);
    } while (ts_tree_cursor_goto_next_sibling(c));
    ts_tree_cursor_goto_parent(c);
  }
  a.has_value = value_open;
  if (value_open) {
    a.value = FinishWord(value_begin, value_end, acc);
  } else {
    a.value.begin = a.value.end = a.value.value_begin = value_begin;
    a.value.range = Map(value_begin, value_begin);
  }
  return a;
}

// ---- Words ------------------------------------------------------------------------------------

void Builder::WordPart(TSTreeCursor* c, WordAcc& acc) {
  TSNode n = Current(c);
  uint32_t b = AbsBegin(n);
  uint32_t e = AbsEnd(n);
  if (!ts_node_is_named(n)) {
    // Operators of test commands are literal; a `\$` token (after "" for instance) is an
    // escape.
    if (Slice(b, e).find('\\') != std::string_view::npos) {
      UnquotedText(b, e, acc);
    } else {
      acc.out->append(Slice(b, e));
    }
    acc.first = false;
    return;
  }
  if (TooDeep(n)) {
    RawPart(n, acc, ShellWordFlags::kUnmodeled);
    return;
  }
  ++depth_;
  switch (KindOf(n)) {
    case NodeKind::kWord:
    case NodeKind::kNumber:
    case NodeKind::kVariableName:
      if (ts_node_child_count(n) == 0) {
        UnquotedText(b, e, acc);
      } else {
        ContainerPart(c, acc);
      }
      break;
    case NodeKind::kConcatenation:
    case NodeKind::kCommandName:
    case NodeKind::kVariableAssignment:
    case NodeKind::kSubscript:
      ContainerPart(c, acc);
      break;
    case NodeKind::kString:
      acc.flags |= ShellWordFlags::kQuoted;
      StringPart(c, acc);
      break;
    case NodeKind::kTranslatedString:
      acc.flags |= ShellWordFlags::kQuoted;
      if (ts_tree_cursor_goto_first_child(c)) {
        do {
          if (KindOf(Current(c)) == NodeKind::kString) StringPart(c, acc);
        } while (ts_tree_cursor_goto_next_sibling(c));
        ts_tree_cursor_goto_parent(c);
      }
      break;
    case NodeKind::kRawString: {
      acc.flags |= ShellWordFlags::kQuoted;
      uint32_t cb = std::min(b + 1, e);
      uint32_t ce = (e > cb && data_->text[e - 1] == '\'') ? e - 1 : e;
      acc.out->append(Slice(cb, ce));
      acc.first = false;
      break;
    }
    case NodeKind::kAnsiCString: {
      acc.flags |= ShellWordFlags::kQuoted;
      uint32_t cb = std::min(b + 2, e);
      uint32_t ce = (e > cb && data_->text[e - 1] == '\'') ? e - 1 : e;
      std::string_view body = Slice(cb, ce);
      for (size_t i = 0; i < body.size();) {
        if (body[i] == '\\') {
          i += DecodeAnsiEscape(body, i, acc.out);
        } else {
          acc.out->push_back(body[i++]);
        }
      }
      acc.first = false;
      break;
    }
    case NodeKind::kSimpleExpansion:
    case NodeKind::kExpansion:
      RawPart(n, acc, ShellWordFlags::kParameter);
      CollectSubstitutions(c, acc);
      break;
    case NodeKind::kCommandSubstitution:
    case NodeKind::kProcessSubstitution:
      RawPart(n, acc, ShellWordFlags::kCommandSubstitution);
      if (acc.deferred != nullptr) {
        Deferred d;
        d.type = Deferred::Type::kSubstitution;
        d.node = n;
        d.begin = b;
        acc.deferred->push_back(d);
      }
      break;
    case NodeKind::kArithmeticExpansion:
      RawPart(n, acc, ShellWordFlags::kArithmetic);
      CollectSubstitutions(c, acc);
      break;
    case NodeKind::kArray:
      RawPart(n, acc, ShellWordFlags::kArray);
      CollectSubstitutions(c, acc);
      break;
    case NodeKind::kBraceExpression:
      RawPart(n, acc, ShellWordFlags::kBrace);
      break;
    case NodeKind::kExtglobPattern:
      RawPart(n, acc, ShellWordFlags::kGlob);
      break;
    case NodeKind::kStringContent:
      DoubleQuotedText(b, e, acc);
      break;
    case NodeKind::kHeredocStart: {
      std::string_view raw = Slice(b, e);
      size_t before = acc.out->size();
      UnquoteWord(raw, 0, acc.out, nullptr);
      if (acc.out->compare(before, std::string::npos, raw) != 0)
        acc.flags |= ShellWordFlags::kQuoted;
      acc.first = false;
      break;
    }
    default:
      // Test operators, regexes and the like are literal; anything else we do not evaluate.
      RawPart(n, acc, KindOf(n) == NodeKind::kOther ? 0 : ShellWordFlags::kUnmodeled);
      CollectSubstitutions(c, acc);
      break;
  }
  --depth_;
}

void Builder::ContainerPart(TSTreeCursor* c, WordAcc& acc) {
  TSNode node = Current(c);
  uint32_t pos = AbsBegin(node);
  if (ts_tree_cursor_goto_first_child(c)) {
    do {
      TSNode n = Current(c);
      uint32_t b = AbsBegin(n);
      if (b > pos) UnquotedText(pos, b, acc);  // text between children is unquoted word text
      if (ts_node_is_named(n)) {
        WordPart(c, acc);
      } else {
        UnquotedText(b, AbsEnd(n), acc);
      }
      pos = std::max(pos, AbsEnd(n));
    } while (ts_tree_cursor_goto_next_sibling(c));
    ts_tree_cursor_goto_parent(c);
  }
  if (AbsEnd(node) > pos) UnquotedText(pos, AbsEnd(node), acc);
}

void Builder::StringPart(TSTreeCursor* c, WordAcc& acc) {
  TSNode node = Current(c);
  uint32_t b = AbsBegin(node);
  uint32_t e = AbsEnd(node);
  uint32_t content_begin = (e > b && data_->text[b] == '"') ? b + 1 : b;
  uint32_t content_end = e;
  uint32_t pos = content_begin;
  if (ts_tree_cursor_goto_first_child(c)) {
    TSNode last{};
    bool have_last = false;
    do {
      TSNode n = Current(c);
      last = n;
      have_last = true;
      if (!ts_node_is_named(n)) continue;  // quotes; a stray `$` is filled in as text
      uint32_t nb = AbsBegin(n);
      if (nb > pos) DoubleQuotedText(pos, nb, acc);
      if (KindOf(n) == NodeKind::kStringContent) {
        DoubleQuotedText(nb, AbsEnd(n), acc);
      } else {
        WordPart(c, acc);
      }
      pos = std::max(pos, AbsEnd(n));
    } while (ts_tree_cursor_goto_next_sibling(c));
    ts_tree_cursor_goto_parent(c);
    // The closing quote token starts at the whitespace before it (tree-sitter puts extras in
    // front of a token), so the quote is the node's last byte.
    if (have_last && !ts_node_is_named(last) && e - b >= 2 && AbsEnd(last) == e &&
        data_->text[e - 1] == '"' && e - 1 >= pos) {
      content_end = e - 1;
    }
  }
  if (content_end > pos) DoubleQuotedText(pos, content_end, acc);
  acc.first = false;
}

void Builder::RawPart(TSNode n, WordAcc& acc, uint16_t flags) {
  acc.out->append(Slice(AbsBegin(n), AbsEnd(n)));
  acc.flags |= flags;
  acc.first = false;
}

void Builder::UnquotedText(uint32_t b, uint32_t e, WordAcc& acc) {
  std::string& out = *acc.out;
  const std::string& text = data_->text;
  if (acc.first && b < e && text[b] == '~') acc.flags |= ShellWordFlags::kTilde;
  for (uint32_t i = b; i < e; ++i) {
    char ch = text[i];
    if (ch == '\\' && i + 1 < e) {
      acc.flags |= ShellWordFlags::kQuoted;
      if (text[i + 1] != '\n') out.push_back(text[i + 1]);
      ++i;
      continue;
    }
    switch (ch) {
      case '*':
      case '?':
      case '[':
        acc.flags |= ShellWordFlags::kGlob;
        break;
      case '{':
        acc.brace_open = true;
        break;
      case ',':
        if (acc.brace_open) acc.brace_sep = true;
        break;
      case '.':
        if (acc.brace_open && i + 1 < e && text[i + 1] == '.') acc.brace_sep = true;
        break;
      case '}':
        if (acc.brace_open && acc.brace_sep) acc.flags |= ShellWordFlags::kBrace;
        break;
      default:
        break;
    }
    out.push_back(ch);
  }
  if (b < e) acc.first = false;
}

void Builder::DoubleQuotedText(uint32_t b, uint32_t e, WordAcc& acc) {
  std::string& out = *acc.out;
  const std::string& text = data_->text;
  for (uint32_t i = b; i < e; ++i) {
    char ch = text[i];
    if (ch == '\\' && i + 1 < e && std::strchr("$`\"\\\n", text[i + 1]) != nullptr) {
      if (text[i + 1] != '\n') out.push_back(text[i + 1]);
      ++i;
      continue;
    }
    out.push_back(ch);
  }
  acc.flags |= ShellWordFlags::kQuoted;
  acc.first = false;
}

void Builder::CollectSubstitutions(TSTreeCursor* c, WordAcc& acc) {
  if (acc.deferred == nullptr || TooDeep(Current(c))) return;
  ++depth_;
  if (ts_tree_cursor_goto_first_child(c)) {
    do {
      TSNode n = Current(c);
      if (!ts_node_is_named(n)) continue;
      NodeKind k = KindOf(n);
      if (k == NodeKind::kCommandSubstitution || k == NodeKind::kProcessSubstitution) {
        acc.flags |= ShellWordFlags::kCommandSubstitution;
        Deferred d;
        d.type = Deferred::Type::kSubstitution;
        d.node = n;
        d.begin = AbsBegin(n);
        acc.deferred->push_back(d);
      } else {
        CollectSubstitutions(c, acc);
      }
    } while (ts_tree_cursor_goto_next_sibling(c));
    ts_tree_cursor_goto_parent(c);
  }
  --depth_;
}

Builder::BWord Builder::FinishWord(uint32_t b, uint32_t e, const WordAcc& acc) {
  BWord w;
  w.begin = b;
  w.end = e;
  w.flags = acc.flags;
  const std::string& value = *acc.out;
  std::string_view raw = Slice(b, e);
  if (raw == value) {
    w.value_begin = b;
    w.value_size = e - b;
  } else if (raw.size() == value.size() + 2 && raw.substr(1, value.size()) == value) {
    w.value_begin = b + 1;  // 'abc' or "abc": the value is inside the raw text
    w.value_size = static_cast<uint32_t>(value.size());
  } else {
    w.owned = true;
    w.value_owned = data_->arena.emplace_back(value);
  }
  w.range = Map(b, e);
  return w;
}

// ---- ShellBuilder -----------------------------------------------------------------------------

ShellBuilder::ShellBuilder() : impl_(std::make_unique<Builder>()) {}
ShellBuilder::~ShellBuilder() = default;
uint32_t ShellBuilder::ParseSegment(const SegmentSpec& spec) { return impl_->ParseSegment(spec); }
uint32_t ShellBuilder::AddTextSegment(std::string_view text, ShellSegment::Origin origin,
                                      std::string interpreter, int32_t heredoc, int32_t command) {
  return impl_->AddTextSegment(text, origin, std::move(interpreter), heredoc, command);
}
void ShellBuilder::AddExecCommand(std::string_view text, const std::vector<ExecWord>& words,
                                  const ShellMapping& mapping) {
  impl_->AddExecCommand(text, words, mapping);
}
std::vector<WordRef> ShellBuilder::ArgvOf(int32_t command) const { return impl_->ArgvOf(command); }
void ShellBuilder::SetKind(ShellKind kind) { impl_->SetKind(kind); }
ShellScript ShellBuilder::Finish() { return impl_->Finish(); }

}  // namespace shell_internal

// ---- ShellScript ------------------------------------------------------------------------------

ShellScript::ShellScript() = default;
ShellScript::ShellScript(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

ShellKind ShellScript::Kind() const { return data_ ? data_->kind : ShellKind::kNone; }
std::string_view ShellScript::Text() const { return data_ ? std::string_view(data_->text) : ""; }
std::span<const ShellCommand> ShellScript::Commands() const {
  return data_ ? std::span<const ShellCommand>(data_->commands) : std::span<const ShellCommand>();
}
std::span<const ShellAssignment> ShellScript::Assignments() const {
  return data_ ? std::span<const ShellAssignment>(data_->assignments)
               : std::span<const ShellAssignment>();
}
std::span<const ShellSegment> ShellScript::Segments() const {
  return data_ ? std::span<const ShellSegment>(data_->segments) : std::span<const ShellSegment>();
}
std::span<const Diagnostic> ShellScript::Warnings() const {
  return data_ ? std::span<const Diagnostic>(data_->warnings) : std::span<const Diagnostic>();
}

ShellScript ParseShell(std::string_view script, const ShellMapping& mapping) {
  shell_internal::ShellBuilder builder;
  shell_internal::SegmentSpec spec;
  spec.text = script;
  if (mapping) {
    spec.mapping = mapping;
  } else {
    // Line:column within the script itself.
    auto file = std::make_shared<SourceFile>("", std::string(script));
    spec.mapping = [file](uint32_t b, uint32_t e) { return file->RangeOf(b, e); };
  }
  builder.ParseSegment(spec);
  builder.SetKind(ShellKind::kShell);
  return builder.Finish();
}

}  // namespace dockit
