// Table administration with waiters: create, describe, delete, capacity, global indexes.
#include "dynamodb_mapping/tables.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include "error_text.hpp"
#include "mapping/table_spec.hpp"

namespace dynamodb_mapping {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// One poll's verdict: whether the wait is over, and the status to report.
struct Seen {
  bool done = false;
  std::string status;
};

std::string table_text(const std::string& table) {
  return detail::printable_text(table, 256);
}

// Polls DescribeTable until `check` (given the description, or nullptr when the table is not
// found) says done, with back-off from wait.first_delay to wait.max_delay; WaitTimeoutError once
// wait.timeout has passed, CancelledError when wait.should_stop says so. Returns the last
// description (empty when the table was not found).
template <class Check>
std::optional<TableDescription> poll(const Client& client, const std::string& table,
                                     const std::string& awaited, const WaitOptions& wait,
                                     Check check) {
  const auto start = Clock::now();
  const auto deadline = start + wait.timeout;
  milliseconds delay = std::max(wait.first_delay, milliseconds(1));
  // Bounded by the deadline: each round either returns, throws or sleeps towards it.
  for (;;) {
    std::optional<TableDescription> d;
    try {
      d = client.describe_table(table);
    } catch (const ResourceNotFoundError&) {
    }
    const Seen seen = check(d ? &*d : nullptr);
    const auto now = Clock::now();
    if (wait.on_poll)
      wait.on_poll(seen.status, std::chrono::duration_cast<milliseconds>(now - start));
    if (seen.done) return d;
    if (now >= deadline) throw WaitTimeoutError(table, awaited, seen.status, wait.timeout);
    const auto until = std::min(deadline, now + delay);
    for (auto t = Clock::now(); t < until; t = Clock::now()) {
      if (wait.should_stop && wait.should_stop()) {
        CancelledError e("stopped while waiting for " + table_text(table) + " (" + awaited + ")");
        detail::set_error_context(e, "", table);
        throw e;
      }
      std::this_thread::sleep_for(std::min<Clock::duration>(until - t, milliseconds(100)));
    }
    delay = std::min(delay * 2, std::max(wait.max_delay, milliseconds(1)));
  }
}

// Whether `d` has the key schema, key types and indexes `r` asks for (what a lost CreateTable
// leaves behind when it was applied).
bool same_schema(const TableDescription& d, const CreateTableRequest& r) {
  if (d.key_schema != r.key_schema) return false;
  for (const auto& a : r.attribute_definitions) {
    if (d.attribute_type(a.attribute_name) != a.attribute_type) return false;
  }
  if (d.global_secondary_indexes.size() != r.global_secondary_indexes.size() ||
      d.local_secondary_indexes.size() != r.local_secondary_indexes.size()) {
    return false;
  }
  const auto index_matches = [&](const std::string& name, const auto& key_schema) {
    const SecondaryIndexDescription* i = d.find_index(name);
    return i && i->key_schema == key_schema;
  };
  for (const auto& g : r.global_secondary_indexes) {
    if (!index_matches(g.index_name, g.key_schema)) return false;
  }
  for (const auto& l : r.local_secondary_indexes) {
    if (!index_matches(l.index_name, l.key_schema)) return false;
  }
  return true;
}

std::optional<TableDescription> describe_if_exists(const Client& client, const std::string& t) {
  try {
    return client.describe_table(t);
  } catch (const ResourceNotFoundError&) {
    return std::nullopt;
  }
}

bool is_provisioned(const TableDescription& d) {
  return d.billing_mode != "PAY_PER_REQUEST";  // old tables may lack BillingModeSummary
}

// Turns time to live on; after a lost answer, a description that shows it on settles it.
void enable_ttl(const Client& client, const std::string& table, const std::string& attribute) {
  try {
    (void)client.update_time_to_live(table, {attribute, true});
  } catch (const AmbiguousOutcomeError&) {
    const TimeToLiveDescription t = client.describe_time_to_live(table);
    const bool on = t.time_to_live_status == "ENABLED" || t.time_to_live_status == "ENABLING";
    if (!on || t.attribute_name != attribute) throw;
  }
}

// Sends an UpdateTable; after a lost answer, `applied(description)` says whether the table shows
// the change (then it counts as made), else the AmbiguousOutcomeError goes on.
template <class Applied>
void update_settled(const Client& client, const UpdateTableRequest& u, Applied applied) {
  try {
    (void)client.update_table(u);
  } catch (const AmbiguousOutcomeError&) {
    const auto d = describe_if_exists(client, u.table_name);
    if (!d || !applied(*d)) throw;
  }
}

}  // namespace

TableDescription wait_until_active(const Client& client, const std::string& table,
                                   const WaitOptions& wait) {
  return *poll(client, table, "table ACTIVE", wait, [&](const TableDescription* d) -> Seen {
    if (!d) return {false, "not found"};
    if (d->table_status == "DELETING") {
      Error e("TableDeleting", "table " + table_text(table) + " is being deleted");
      detail::set_error_context(e, "DescribeTable", table);
      throw e;
    }
    if (d->table_status != "ACTIVE") return {false, d->table_status};
    for (const auto& g : d->global_secondary_indexes) {
      if (g.index_status != "ACTIVE")
        return {false, "index " + g.index_name + " " + g.index_status};
      if (g.backfilling) return {false, "index " + g.index_name + " backfilling"};
    }
    return {true, "ACTIVE"};
  });
}

void wait_until_deleted(const Client& client, const std::string& table, const WaitOptions& wait) {
  (void)poll(client, table, "table deleted", wait, [](const TableDescription* d) -> Seen {
    return d ? Seen{false, d->table_status} : Seen{true, "deleted"};
  });
}

TableDescription create_table(const Client& client, const TableSpec& spec,
                              const WaitOptions& wait) {
  const CreateTableRequest r = create_table_request(spec);  // validates: nothing sent if bad
  try {
    (void)client.create_table(r);
  } catch (const AmbiguousOutcomeError&) {
    // A lost answer: settled by what the table is now.
    const auto d = describe_if_exists(client, spec.name);
    if (!d) throw;
    if (!same_schema(*d, r)) {
      ResourceInUseError differs(
          "ResourceInUseException",
          "table " + table_text(spec.name) + " exists with another key schema or other indexes");
      detail::set_error_context(differs, "CreateTable", spec.name);
      throw differs;
    }
  }
  TableDescription d = wait_until_active(client, spec.name, wait);
  if (!spec.ttl_attribute.empty()) enable_ttl(client, spec.name, spec.ttl_attribute);
  return d;
}

TableInfo describe_table_and_ttl(const Client& client, const std::string& table) {
  TableInfo info{client.describe_table(table), std::nullopt};
  try {
    info.time_to_live = client.describe_time_to_live(table);
  } catch (const Error& e) {
    // dynalite has no time to live: the description is still worth having.
    if (e.code() != "UnknownOperationException") throw;
  }
  return info;
}

void delete_table(const Client& client, const std::string& table, const WaitOptions& wait) {
  detail::check_table_or_index_name(table, "table");
  try {
    (void)client.delete_table(table);
  } catch (const AmbiguousOutcomeError&) {
    // The retry found it gone or going: the lost attempt (or another's) deleted it.
    const auto d = describe_if_exists(client, table);
    if (d && d->table_status != "DELETING") throw;
  }
  wait_until_deleted(client, table, wait);
}

TableDescription update_capacity(const Client& client, const std::string& table,
                                 const std::optional<ProvisionedThroughput>& capacity,
                                 const WaitOptions& wait) {
  detail::check_table_or_index_name(table, "table");
  if (capacity && (capacity->read_capacity_units < 1 || capacity->write_capacity_units < 1)) {
    throw ValidationError("read and write capacity units must be 1 or more");
  }
  const TableDescription current = client.describe_table(table);
  UpdateTableRequest u;
  u.table_name = table;
  if (capacity) {
    if (!is_provisioned(current)) u.billing_mode = BillingMode::Provisioned;
    // DynamoDB refuses an update that changes nothing: only what differs is sent.
    if (!is_provisioned(current) || current.provisioned_throughput != capacity) {
      u.provisioned_throughput = capacity;
    }
    for (const auto& g : current.global_secondary_indexes) {
      if (!is_provisioned(current) || g.provisioned_throughput != capacity) {
        u.update_global_secondary_indexes[g.index_name] = *capacity;
      }
    }
    if (!u.billing_mode && !u.provisioned_throughput && u.update_global_secondary_indexes.empty()) {
      return current;
    }
  } else {
    if (!is_provisioned(current)) return current;
    u.billing_mode = BillingMode::PayPerRequest;
  }
  update_settled(client, u, [&](const TableDescription& d) {
    return capacity ? is_provisioned(d) && d.provisioned_throughput == capacity
                    : !is_provisioned(d);
  });
  return wait_until_active(client, table, wait);
}

TableDescription add_global_index(const Client& client, const std::string& table,
                                  const IndexSpec& index, const WaitOptions& wait) {
  detail::check_table_or_index_name(table, "table");
  {
    std::vector<AttributeDefinition> own;  // what can be checked without the table
    detail::check_global_index(index, true, own);
  }
  const TableDescription current = client.describe_table(table);
  const bool provisioned = is_provisioned(current);
  std::vector<AttributeDefinition> defs = current.attribute_definitions;
  detail::check_global_index(index, provisioned, defs);
  if (provisioned && !index.capacity && !current.provisioned_throughput) {
    throw ValidationError("index capacities are needed: the table reports none of its own");
  }
  UpdateTableRequest u;
  u.table_name = table;
  for (const auto& d : defs) {
    if (d.attribute_name == index.partition_key.name ||
        (index.sort_key && d.attribute_name == index.sort_key->name)) {
      u.attribute_definitions.push_back(d);
    }
  }
  u.create_global_secondary_indexes.push_back(detail::global_index_request(
      index, provisioned ? current.provisioned_throughput : std::nullopt));
  const auto& wanted = u.create_global_secondary_indexes.front().key_schema;
  update_settled(client, u, [&](const TableDescription& d) {
    const SecondaryIndexDescription* i = d.find_index(index.name);
    return i && i->key_schema == wanted;
  });
  return *poll(client, table, "index " + index.name + " ACTIVE", wait,
               [&](const TableDescription* d) -> Seen {
                 if (!d) return {false, "not found"};
                 const SecondaryIndexDescription* i = d->find_index(index.name);
                 if (!i) return {false, "index " + index.name + " not listed"};
                 if (i->index_status != "ACTIVE") return {false, i->index_status};
                 if (i->backfilling) return {false, "backfilling"};
                 return {d->table_status == "ACTIVE", d->table_status};
               });
}

TableDescription remove_global_index(const Client& client, const std::string& table,
                                     const std::string& index, const WaitOptions& wait) {
  detail::check_table_or_index_name(table, "table");
  detail::check_table_or_index_name(index, "index");
  UpdateTableRequest u;
  u.table_name = table;
  u.delete_global_secondary_indexes.push_back(index);
  update_settled(client, u, [&](const TableDescription& d) {
    const SecondaryIndexDescription* i = d.find_index(index);
    return !i || i->index_status == "DELETING";
  });
  return *poll(client, table, "index " + index + " deleted", wait,
               [&](const TableDescription* d) -> Seen {
                 if (!d) return {false, "not found"};
                 if (const auto* i = d->find_index(index)) return {false, i->index_status};
                 return {d->table_status == "ACTIVE", d->table_status};
               });
}

std::vector<std::string> list_all_tables(const Client& client) {
  std::vector<std::string> names;
  std::set<std::string> tokens;
  ListTablesRequest r;
  // Bounded: every round follows a token never followed before, or stops.
  for (;;) {
    ListTablesResult page = client.list_tables(r);
    names.insert(names.end(), page.table_names.begin(), page.table_names.end());
    if (page.last_evaluated_table_name.empty()) return names;
    if (!tokens.insert(page.last_evaluated_table_name).second) {
      ProtocolError e("RepeatedPageToken", "ListTables handed out a page token it gave before");
      detail::set_error_context(e, "ListTables", "");
      throw e;
    }
    r.exclusive_start_table_name = std::move(page.last_evaluated_table_name);
  }
}

}  // namespace dynamodb_mapping
