#include "mapping/expressions.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "dynamodb_mapping/validate.hpp"

namespace dynamodb_mapping {

Condition Condition::exists(const std::string& attribute) {
  return {"attribute_exists(#_c)", {{"#_c", attribute}}, {}};
}
Condition Condition::not_exists(const std::string& attribute) {
  return {"attribute_not_exists(#_c)", {{"#_c", attribute}}, {}};
}
Condition Condition::equals(const std::string& attribute, Value value) {
  return {"#_c = :_c", {{"#_c", attribute}}, {{":_c", std::move(value)}}};
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

Expression update_from_changes(const Changes& changes, const std::string& version_attribute) {
  Expression u;
  std::string set, rem;
  std::size_t i = 0;
  for (const auto& [attribute, change] : changes) {
    if (attribute.empty()) throw ValidationError("attribute names must not be empty");
    const std::string name = "#_a" + std::to_string(i);
    u.names[name] = attribute;
    if (const Value* v = std::get_if<Value>(&change)) {
      validate_value(*v);
      const std::string value = ":_v" + std::to_string(i);
      u.values[value] = *v;
      set += (set.empty() ? "SET " : ", ") + name + " = " + value;
    } else {
      rem += (rem.empty() ? "REMOVE " : ", ") + name;
    }
    ++i;
  }
  if (!version_attribute.empty()) {
    u.names[kVersionName] = version_attribute;
    u.values[":_zero"] = 0;
    u.values[":_one"] = 1;
    set += std::string(set.empty() ? "SET " : ", ") + kVersionName + " = if_not_exists(" +
           kVersionName + ", :_zero) + :_one";
  }
  u.text = set + (set.empty() || rem.empty() ? "" : " ") + rem;
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
