// update and query: the data API from the shell.
#include <iostream>

#include "commands.hpp"
#include "errors.hpp"
#include "expression_text.hpp"
#include "io.hpp"
#include "key_text.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

// The conditions of repeated options, ANDed; nullopt for none.
std::optional<ddb::Condition> all_of(const std::vector<std::string>& texts, bool wire) {
  if (texts.empty()) return std::nullopt;
  ddb::Condition c;
  for (const std::string& t : texts) c = c && parse_condition(t, wire);
  return c;
}

}  // namespace

int cmd_update(const Globals& g, const Args& a) {
  // Everything the user typed is checked before the table is touched.
  ddb::Update u;
  for (const std::string& s : a.sets) {
    auto [path, json] = split_assignment(s);
    u.set(std::move(path), parse_value(json, a.wire, "--set " + safe_text(s, 200)));
  }
  for (const std::string& s : a.adds) {
    auto [path, json] = split_assignment(s);
    u.add(std::move(path), parse_value(json, a.wire, "--add " + safe_text(s, 200), true));
  }
  for (const std::string& s : a.deletes) {
    auto [path, json] = split_assignment(s);
    u.delete_from(std::move(path),
                  parse_value(json, a.wire, "--delete " + safe_text(s, 200), true));
  }
  for (const std::string& s : a.appends) {
    auto [path, json] = split_assignment(s);
    u.append(std::move(path), parse_value(json, a.wire, "--append " + safe_text(s, 200)));
  }
  for (const std::string& s : a.removes) u.remove(parse_path(s));
  if (u.empty()) {
    throw InputError("update needs at least one of --set, --add, --remove, --delete, --append");
  }
  u.validate();
  ddb::UpdateOptions o;
  o.condition = all_of(a.conditions, a.wire);
  o.must_exist = a.must_exist;
  auto m = open_table(g, a.table);
  const ddb::Key key = parse_key(a.key, m.key_definitions(), a.number_key);
  ddb::Item after;
  try {
    after = m.update_item(key, u, o);
  } catch (const ddb::KeyError&) {
    std::cerr << "ddbmap: not found: " << safe_text(a.key, 512) << '\n';
    return kNotFound;
  }
  Output out("-");
  out.line(item_json(after, a.wire));
  out.commit();
  return kOk;
}

int cmd_query(const Globals& g, const Args& a) {
  ddb::QueryOptions o;
  o.filter = all_of(a.filters, a.wire);
  o.descending = a.reverse;
  o.consistent_read = g.consistent;
  o.index_name = a.index;
  if (!a.attributes.empty()) {
    std::string_view rest = a.attributes;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view name = rest.substr(0, comma);
      if (name.empty()) throw InputError("--attributes: an empty attribute name");
      o.projection.emplace_back(name);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  auto m = open_table(g, a.table);
  // With --index, the partition and sort conditions are on the index's own key.
  const std::vector<ddb::AttributeDefinition> keys =
      a.index.empty() ? m.key_definitions() : m.index(a.index).key_definitions();
  const ddb::Value partition = [&] {
    try {
      return parse_scalar(a.key, keys.front());
    } catch (const ddb::ValidationError& e) {
      throw InputError("PARTITION: " + safe_text(e.message()));
    }
  }();
  std::optional<ddb::SortCondition> sort;
  if (!a.sort.empty()) {
    if (keys.size() < 2) throw InputError("--sort: the table has no sort key");
    sort = parse_sort(a.sort, keys[1]);
  }
  Output out("-");
  std::uint64_t n = 0;
  const auto limit = static_cast<std::uint64_t>(a.limit);
  if (a.limit != 0) {
    for (const ddb::Item& item : m.query(partition, sort, o)) {
      out.line(item_json(item, a.wire));
      if (++n == limit) break;
      if (interrupted())
        throw Interrupted("query interrupted after " + std::to_string(n) + " items");
    }
  }
  out.commit();
  return kOk;
}

}  // namespace ddbmap
