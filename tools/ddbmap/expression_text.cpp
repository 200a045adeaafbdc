#include "expression_text.hpp"

#include "errors.hpp"
#include "key_text.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

// Splits at the first unescaped character `sep`, leaving escapes in both parts.
std::pair<std::string_view, std::string_view> split_once(std::string_view text, char sep) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == sep) {
      return {text.substr(0, i), text.substr(i + 1)};
    }
  }
  return {text, {}};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// A JSON array of scalars of one type as the set of that type; anything else as it is.
ddb::Value to_set(const ddb::Value& v) {
  if (!v.is_list() || v.as_list().empty()) return v;
  const ddb::List& l = v.as_list();
  const ddb::Value::Type t = l.front().type();
  for (const ddb::Value& e : l) {
    if (e.type() != t) return v;
  }
  switch (t) {
    case ddb::Value::Type::String: {
      ddb::StringSet s;
      for (const ddb::Value& e : l) s.insert(e.as_string());
      return s;
    }
    case ddb::Value::Type::Number: {
      ddb::NumberSet s;
      for (const ddb::Value& e : l) s.insert(e.as_number());
      return s;
    }
    case ddb::Value::Type::Binary: {
      ddb::BinarySet s;
      for (const ddb::Value& e : l) s.insert(e.as_binary());
      return s;
    }
    default:
      return v;
  }
}

std::optional<ddb::Value::Type> type_from_code(std::string_view code) {
  using T = ddb::Value::Type;
  static const std::pair<std::string_view, T> kCodes[] = {
      {"S", T::String},     {"N", T::Number},    {"B", T::Binary}, {"BOOL", T::Bool},
      {"NULL", T::Null},    {"L", T::List},      {"M", T::Map},    {"SS", T::StringSet},
      {"NS", T::NumberSet}, {"BS", T::BinarySet}};
  for (const auto& [c, t] : kCodes) {
    if (c == code) return t;
  }
  return std::nullopt;
}

}  // namespace

ddb::Path parse_path(std::string_view text) {
  const std::string shown = "path \"" + safe_text(std::string(text), 200) + "\"";
  std::vector<ddb::Path::Step> steps;
  std::string name;
  bool have_name = false;
  auto end_name = [&] {
    if (!have_name) return;
    if (name.empty()) throw InputError(shown + ": an empty name");
    steps.push_back({name, 0, false});
    name.clear();
    have_name = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      if (i + 1 == text.size()) throw InputError(shown + ": a backslash at the end");
      name += text[++i];
      have_name = true;
    } else if (c == '.') {
      if (!have_name && (steps.empty() || !steps.back().element)) {
        throw InputError(shown + ": an empty name");
      }
      end_name();
      have_name = true;  // a name must follow
    } else if (c == '[') {
      end_name();
      if (steps.empty()) throw InputError(shown + ": it starts with an attribute name");
      const std::size_t close = text.find(']', i);
      const std::string_view digits =
          close == std::string_view::npos ? std::string_view{} : text.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.size() > 9 ||
          digits.find_first_not_of("0123456789") != std::string_view::npos) {
        throw InputError(shown + ": a List index is [digits]");
      }
      steps.push_back({{}, std::stoll(std::string(digits)), true});
      i = close;
    } else {
      name += c;
      have_name = true;
    }
  }
  end_name();
  if (steps.empty()) throw InputError("an empty path");
  ddb::Path p(steps.front().name);
  for (std::size_t i = 1; i < steps.size(); ++i) {
    p = steps[i].element ? p[steps[i].index] : p[steps[i].name];
  }
  return p;
}

std::pair<ddb::Path, std::string> split_assignment(std::string_view text) {
  const auto [path, json] = split_once(text, '=');
  if (json.data() == nullptr) {
    throw InputError("\"" + safe_text(std::string(text), 200) + "\": expected PATH=JSON");
  }
  return {parse_path(path), std::string(json)};
}

ddb::Value parse_value(const std::string& json, bool wire, const std::string& where, bool as_set) {
  try {
    ddb::Value v = wire ? ddb::value_from_wire_json(json) : ddb::value_from_plain_json(json);
    return as_set && !wire ? to_set(v) : v;
  } catch (const ddb::DecodeError& e) {
    throw InputError(where + ": " + safe_text(e.message()));
  }
}

ddb::Condition parse_condition(std::string_view text, bool wire) {
  const std::string where = "condition \"" + safe_text(std::string(text), 200) + "\"";
  const auto [path_text, rest] = split_once(trim(text), ' ');
  const ddb::Path path = parse_path(path_text);
  const auto [op_text, operand_view] = split_once(trim(rest), ' ');
  const std::string op(op_text);
  const std::string operand(trim(operand_view));
  auto value = [&] {
    if (operand.empty()) throw InputError(where + ": " + op + " needs an operand");
    return parse_value(operand, wire, where);
  };
  auto values = [&](std::size_t min, std::size_t max) {
    const ddb::Value v = value();
    if (!v.is_list() || v.as_list().size() < min || v.as_list().size() > max) {
      throw InputError(where + ": " + op + " takes a JSON array of " + std::to_string(min) +
                       (min == max ? "" : " to " + std::to_string(max)) + " values");
    }
    return v.as_list();
  };
  using C = ddb::Comparison;
  static const std::pair<std::string_view, C> kComparisons[] = {
      {"=", C::Eq},  {"<>", C::Ne}, {"!=", C::Ne}, {"<", C::Lt},
      {"<=", C::Le}, {">", C::Gt},  {">=", C::Ge}};
  for (const auto& [name, c] : kComparisons) {
    if (op == name) return ddb::compare(path, c, value());
  }
  if (op == "between") {
    const ddb::List bounds = values(2, 2);
    return ddb::between(path, bounds[0], bounds[1]);
  }
  if (op == "in") return ddb::in(path, values(1, 100));
  if (op == "begins_with") return ddb::begins_with(path, value());
  if (op == "contains") return ddb::contains(path, value());
  if (op == "exists" || op == "not_exists") {
    if (!operand.empty()) throw InputError(where + ": " + op + " takes no operand");
    return op == "exists" ? ddb::attribute_exists(path) : ddb::attribute_not_exists(path);
  }
  if (op == "type") {
    const auto t = type_from_code(operand);
    if (!t) throw InputError(where + ": type takes S, N, B, BOOL, NULL, L, M, SS, NS or BS");
    return ddb::attribute_type(path, *t);
  }
  throw InputError(where +
                   ": expected PATH OP OPERAND, OP one of = <> < <= > >= between in "
                   "begins_with contains exists not_exists type");
}

ddb::SortCondition parse_sort(std::string_view text, const ddb::AttributeDefinition& sort_key) {
  const std::string where = "--sort \"" + safe_text(std::string(text), 200) + "\"";
  const auto [op_text, rest] = split_once(trim(text), ' ');
  const std::string op(op_text);
  const std::string operand(trim(rest));
  if (operand.empty()) throw InputError(where + ": expected OP VALUE");
  auto typed = [&](const std::string& t) {
    try {
      return parse_scalar(t, sort_key);
    } catch (const ddb::ValidationError& e) {
      throw InputError(where + ": " + safe_text(e.message()));
    }
  };
  using S = ddb::SortCondition;
  if (op == "=") return S::eq(typed(operand));
  if (op == "<") return S::lt(typed(operand));
  if (op == "<=") return S::le(typed(operand));
  if (op == ">") return S::gt(typed(operand));
  if (op == ">=") return S::ge(typed(operand));
  if (op == "begins_with") return S::begins_with(typed(operand));
  if (op == "between") {
    const auto [low, high] = split_once(operand, ' ');
    if (trim(high).empty()) throw InputError(where + ": expected between LOW HIGH");
    return S::between(typed(std::string(low)), typed(std::string(trim(high))));
  }
  throw InputError(where + ": OP is one of = < <= > >= between begins_with");
}

}  // namespace ddbmap
