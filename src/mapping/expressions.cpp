#include "mapping/expressions.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "dynamodb_mapping/validate.hpp"
#include "value/identity.hpp"

namespace dynamodb_mapping {

namespace {

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex16(std::uint64_t h) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kDigits[h & 15];
  return out;
}

// A condition of the text `text`, its placeholders registered by `build`.
template <class F>
Condition built(F&& build) {
  Condition c;
  c.expression = build(c.names, c.values);
  return c;
}

const char* comparison_text(Comparison op) {
  static constexpr const char* kText[] = {"=", "<>", "<", "<=", ">", ">="};  // Eq .. Ge
  return kText[static_cast<int>(op)];
}

const char* type_code(Value::Type t) {
  switch (t) {
    case Value::Type::Null:
      return "NULL";
    case Value::Type::Bool:
      return "BOOL";
    case Value::Type::Number:
      return "N";
    case Value::Type::String:
      return "S";
    case Value::Type::Binary:
      return "B";
    case Value::Type::StringSet:
      return "SS";
    case Value::Type::NumberSet:
      return "NS";
    case Value::Type::BinarySet:
      return "BS";
    case Value::Type::List:
      return "L";
    case Value::Type::Map:
      return "M";
  }
  throw ValidationError("unknown attribute type");
}

bool is_set(const Value& v) {
  const Value::Type t = v.type();
  return t == Value::Type::StringSet || t == Value::Type::NumberSet || t == Value::Type::BinarySet;
}

// Joins two conditions with `op`, their placeholders merged.
Condition join(const Condition& a, const Condition& b, const char* op) {
  Condition out = a;
  std::string scratch = "-";  // merge_condition checks and adds b's placeholders
  detail::merge_condition(scratch, out.names, out.values, b);
  out.expression = "(" + a.expression + ") " + op + " (" + b.expression + ")";
  return out;
}

}  // namespace

Condition Condition::exists(const std::string& attribute) {
  return attribute_exists(Path(attribute));
}
Condition Condition::not_exists(const std::string& attribute) {
  return attribute_not_exists(Path(attribute));
}
Condition Condition::equals(const std::string& attribute, Value value) {
  return compare(Path(attribute), Comparison::Eq, value);
}

Condition operator&&(const Condition& a, const Condition& b) {
  if (a.expression.empty()) return b;
  if (b.expression.empty()) return a;
  return join(a, b, "AND");
}

Condition operator||(const Condition& a, const Condition& b) {
  if (a.expression.empty() || b.expression.empty()) {
    throw ValidationError("an OR of conditions needs a condition on both sides");
  }
  return join(a, b, "OR");
}

Condition operator!(const Condition& c) {
  if (c.expression.empty()) throw ValidationError("NOT needs a condition");
  Condition out = c;
  out.expression = "NOT (" + c.expression + ")";
  return out;
}

Condition compare(const Path& path, Comparison op, const Value& value) {
  return built([&](AttributeNames& n, Item& v) {
    return detail::path_expression(path, n) + " " + comparison_text(op) + " " +
           detail::value_placeholder(value, v);
  });
}

Condition compare(const Size& size, Comparison op, const Value& value) {
  return built([&](AttributeNames& n, Item& v) {
    return "size(" + detail::path_expression(size.path, n) + ") " + comparison_text(op) + " " +
           detail::value_placeholder(value, v);
  });
}

Condition compare(const Path& a, Comparison op, const Path& b) {
  return built([&](AttributeNames& n, Item&) {
    return detail::path_expression(a, n) + " " + comparison_text(op) + " " +
           detail::path_expression(b, n);
  });
}

Condition between(const Path& path, const Value& low, const Value& high) {
  return built([&](AttributeNames& n, Item& v) {
    return detail::path_expression(path, n) + " BETWEEN " + detail::value_placeholder(low, v) +
           " AND " + detail::value_placeholder(high, v);
  });
}

Condition in(const Path& path, const std::vector<Value>& values) {
  // DynamoDB's limit: "IN" takes at most 100 operands.
  if (values.empty() || values.size() > 100) {
    throw ValidationError("IN takes 1 to 100 values, not " + std::to_string(values.size()));
  }
  return built([&](AttributeNames& n, Item& v) {
    std::string text = detail::path_expression(path, n) + " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) {
      text += (i ? ", " : "") + detail::value_placeholder(values[i], v);
    }
    return text + ")";
  });
}

Condition attribute_exists(const Path& path) {
  return built([&](AttributeNames& n, Item&) {
    return "attribute_exists(" + detail::path_expression(path, n) + ")";
  });
}

Condition attribute_not_exists(const Path& path) {
  return built([&](AttributeNames& n, Item&) {
    return "attribute_not_exists(" + detail::path_expression(path, n) + ")";
  });
}

Condition attribute_type(const Path& path, Value::Type type) {
  return built([&](AttributeNames& n, Item& v) {
    return "attribute_type(" + detail::path_expression(path, n) + ", " +
           detail::value_placeholder(std::string(type_code(type)), v) + ")";
  });
}

Condition begins_with(const Path& path, const Value& prefix) {
  return built([&](AttributeNames& n, Item& v) {
    return "begins_with(" + detail::path_expression(path, n) + ", " +
           detail::value_placeholder(prefix, v) + ")";
  });
}

Condition contains(const Path& path, const Value& operand) {
  return built([&](AttributeNames& n, Item& v) {
    return "contains(" + detail::path_expression(path, n) + ", " +
           detail::value_placeholder(operand, v) + ")";
  });
}

void Update::validate() const {
  (void)detail::render_update(*this);
}

std::string Path::to_string() const {
  std::string out;
  for (const Step& s : steps_) {
    if (s.element) {
      out += "[" + std::to_string(s.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += s.name;
    }
  }
  return out;
}

bool Update::idempotent() const noexcept {
  for (const Step& s : steps_) {
    if (s.action == Action::Increment || s.action == Action::Append ||
        s.action == Action::Prepend || s.action == Action::Add) {
      return false;
    }
  }
  return true;
}

namespace detail {

void merge_condition(std::string& expression, AttributeNames& names, Item& values,
                     const Condition& c) {
  if (c.expression.empty()) return;
  for (const auto& [k, v] : c.names) {
    const auto [it, added] = names.emplace(k, v);
    if (!added && it->second != v) {
      throw ValidationError("placeholder " + k + " names both \"" + it->second + "\" and \"" + v +
                            "\"");
    }
  }
  for (const auto& [k, v] : c.values) {
    const auto [it, added] = values.emplace(k, v);
    if (!added && !(it->second == v)) {
      throw ValidationError("placeholder " + k + " is given two different values");
    }
  }
  expression =
      expression.empty() ? c.expression : "(" + expression + ") AND (" + c.expression + ")";
}

std::string projection_expression(const std::vector<std::string>& attributes,
                                  AttributeNames& names) {
  std::string out;
  std::vector<std::string_view> seen;
  for (const std::string& attribute : attributes) {
    if (std::find(seen.begin(), seen.end(), attribute) != seen.end()) continue;
    seen.push_back(attribute);
    const std::string ph = "#_p" + std::to_string(seen.size() - 1);
    names[ph] = attribute;
    if (!out.empty()) out += ", ";
    out += ph;
  }
  return out;
}

std::string name_placeholder(const std::string& name, AttributeNames& names) {
  std::string ph = "#_n" + hex16(fnv1a(name));
  const auto [it, added] = names.emplace(ph, name);
  if (!added && it->second != name) {
    throw ValidationError("two attribute names share the placeholder " + ph);  // a 64-bit collision
  }
  return ph;
}

std::string value_placeholder(const Value& value, Item& values) {
  validate_value(value);
  std::string identity;
  append_identity(identity, value);
  std::string ph = ":_v" + hex16(fnv1a(identity));
  const auto [it, added] = values.emplace(ph, value);
  if (!added && !(it->second == value)) {
    throw ValidationError("two values share the placeholder " + ph);  // a 64-bit collision
  }
  return ph;
}

std::string path_expression(const Path& path, AttributeNames& names) {
  std::string out;
  for (const Path::Step& s : path.steps()) {
    if (s.element) {
      if (s.index < 0) {
        throw ValidationError("a List index must not be negative: " + path.to_string());
      }
      out += "[" + std::to_string(s.index) + "]";
      continue;
    }
    if (s.name.empty()) {
      throw ValidationError("attribute names in a path must not be empty: " + path.to_string());
    }
    if (!out.empty()) out += '.';
    out += name_placeholder(s.name, names);
  }
  return out;
}

bool overlaps(const Path& a, const Path& b) {
  const auto& x = a.steps();
  const auto& y = b.steps();
  const std::size_t n = std::min(x.size(), y.size());
  return std::equal(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n), y.begin());
}

Expression render_update(const Update& update, const std::string& version_attribute) {
  using Action = Update::Action;
  if (update.empty() && version_attribute.empty()) {
    throw ValidationError("an update needs at least one action");
  }
  const auto& steps = update.steps();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (std::size_t j = i + 1; j < steps.size(); ++j) {
      if (overlaps(steps[i].path, steps[j].path)) {
        throw ValidationError("an update acts twice on " + steps[i].path.to_string() +
                              (steps[i].path.same_as(steps[j].path)
                                   ? ""
                                   : " (and on " + steps[j].path.to_string() + " inside it)"));
      }
    }
    if (!version_attribute.empty() && steps[i].path.attribute() == version_attribute) {
      throw ValidationError("the version attribute \"" + version_attribute +
                            "\" is kept by the mapping: an update cannot change it");
    }
  }
  Expression e;
  std::string set, remove, add, del;
  auto clause = [](std::string& out, const char* keyword, const std::string& text) {
    out += (out.empty() ? std::string(keyword) + " " : std::string(", ")) + text;
  };
  for (const Update::Step& s : steps) {
    const std::string p = path_expression(s.path, e.names);
    const std::string what = s.path.to_string();
    auto value = [&] { return value_placeholder(s.value, e.values); };
    switch (s.action) {
      case Action::Set:
        clause(set, "SET", p + " = " + value());
        break;
      case Action::SetIfNotExists:
        clause(set, "SET", p + " = if_not_exists(" + p + ", " + value() + ")");
        break;
      case Action::Increment:
        if (!s.value.is_number())
          throw ValidationError("increment of " + what + " by a non-Number");
        clause(
            set, "SET",
            p + " = if_not_exists(" + p + ", " + value_placeholder(0, e.values) + ") + " + value());
        break;
      case Action::Append:
      case Action::Prepend: {
        if (!s.value.is_list()) {
          throw ValidationError("append or prepend to " + what + " takes a List of elements");
        }
        const std::string old =
            "if_not_exists(" + p + ", " + value_placeholder(List{}, e.values) + ")";
        clause(set, "SET",
               p + " = list_append(" +
                   (s.action == Action::Append ? old + ", " + value() : value() + ", " + old) +
                   ")");
        break;
      }
      case Action::Remove:
        clause(remove, "REMOVE", p);
        break;
      case Action::Add:
      case Action::DeleteFrom: {
        const bool adding = s.action == Action::Add;
        if (!s.path.top_level()) {
          throw ValidationError(std::string(adding ? "ADD" : "DELETE") +
                                " applies to top-level attributes only, not " + what +
                                (adding ? " (use increment for a nested Number)" : ""));
        }
        if (!is_set(s.value) && !(adding && s.value.is_number())) {
          throw ValidationError(adding ? "ADD to " + what + " takes a Number or a set"
                                       : "DELETE from " + what + " takes a set");
        }
        clause(adding ? add : del, adding ? "ADD" : "DELETE", p + " " + value());
        break;
      }
    }
  }
  if (!version_attribute.empty()) {
    e.names[kVersionName] = version_attribute;
    e.values[":_zero"] = 0;
    e.values[":_one"] = 1;
    clause(set, "SET",
           std::string(kVersionName) + " = if_not_exists(" + kVersionName + ", :_zero) + :_one");
  }
  for (const std::string* part : {&set, &remove, &add, &del}) {
    if (part->empty()) continue;
    if (!e.text.empty()) e.text += ' ';
    e.text += *part;
  }
  return e;
}

Update changes_update(const Changes& changes) {
  Update u;
  for (const auto& [attribute, change] : changes) {
    if (attribute.empty()) throw ValidationError("attribute names must not be empty");
    if (const Value* v = std::get_if<Value>(&change)) {
      u.set(Path(attribute), *v);
    } else {
      u.remove(Path(attribute));
    }
  }
  return u;
}

Condition versioned_put(Item& item, const std::string& attribute) {
  const auto it = item.find(attribute);
  if (it == item.end()) {
    item[attribute] = Number(1);
    return {
        "attribute_not_exists(" + std::string(kVersionName) + ")", {{kVersionName, attribute}}, {}};
  }
  const Number expected = it->second.as_number();
  it->second = Number(expected.as<std::int64_t>() + 1);
  return {
      std::string(kVersionName) + " = :_ver", {{kVersionName, attribute}}, {{":_ver", expected}}};
}

Expression key_condition(const std::string& partition_name, const Value& partition,
                         const std::string& sort_name, const std::optional<SortCondition>& sort) {
  Expression e;
  e.names[kPartitionName] = partition_name;
  e.values[":_pk"] = partition;
  e.text = "#_pk = :_pk";
  if (!sort) return e;
  using Op = SortCondition::Op;
  e.names[kSortName] = sort_name;
  e.values[":_sk"] = sort->value;
  if (sort->op == Op::Between) {
    e.text += " AND #_sk BETWEEN :_sk AND :_hi";
    e.values[":_hi"] = sort->upper;
  } else if (sort->op == Op::BeginsWith) {
    e.text += " AND begins_with(#_sk, :_sk)";
  } else {
    static constexpr const char* kComparison[] = {"=", "<", "<=", ">", ">="};  // Eq .. Ge
    e.text += std::string(" AND #_sk ") + kComparison[static_cast<int>(sort->op)] + " :_sk";
  }
  return e;
}

}  // namespace detail
}  // namespace dynamodb_mapping
