// The consumed-capacity totals of a Client (capacity.hpp) and the calls that read and reset them.
#include "client/capacity.hpp"

#include "client/client_impl.hpp"

namespace dynamodb_mapping {

namespace detail {

void CapacityLedger::add(std::string_view operation, std::string_view table,
                         std::string_view answer) {
  // Read outside the lock: the lock only guards the additions.
  add(table, decode_consumed_capacity(answer, reads_capacity(operation)));
}

void CapacityLedger::add(std::string_view table,
                         const std::optional<std::vector<CapacityEntry>>& entries) {
  std::lock_guard lock(mutex_);
  if (!entries) {
    ++totals_.unreadable_answers;
    if (!table.empty()) ++totals_.tables[std::string(table)].unreadable_answers;
    return;
  }
  ++totals_.answers;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const CapacityEntry& e = (*entries)[i];
    TableCapacity& t = totals_.tables[e.table];
    t.units += e.capacity.units;
    t.table += e.capacity.table;
    for (const auto& [name, u] : e.capacity.global_secondary_indexes) {
      t.global_secondary_indexes[name] += u;
    }
    for (const auto& [name, u] : e.capacity.local_secondary_indexes) {
      t.local_secondary_indexes[name] += u;
    }
    // One request per table, however many entries of the answer name it.
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = (*entries)[j].table == e.table;
    if (!seen) ++t.requests;
  }
}

CapacityTotals CapacityLedger::totals() const {
  std::lock_guard lock(mutex_);
  return totals_;
}

TableCapacity CapacityLedger::table(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = totals_.tables.find(name);
  return it == totals_.tables.end() ? TableCapacity{} : it->second;
}

void CapacityLedger::reset() {
  std::lock_guard lock(mutex_);
  totals_ = {};
}

void CapacityLedger::reset(const std::string& name) {
  std::lock_guard lock(mutex_);
  totals_.tables.erase(name);
}

}  // namespace detail

detail::Sent Client::Impl::send_counted(std::string_view operation, std::string_view table,
                                        const std::string& body, detail::Replay replay, bool write,
                                        const std::function<std::string()>& body_after_doubt) {
  if (!config.track_consumed_capacity) {
    return send(operation, table, body, replay, write, body_after_doubt);
  }
  std::function<std::string()> after_doubt;
  if (body_after_doubt) {
    after_doubt = [&] { return detail::with_return_consumed_capacity(body_after_doubt()); };
  }
  detail::Sent sent = send(operation, table, detail::with_return_consumed_capacity(body), replay,
                           write, after_doubt, true);
  // Only the answer that came back: an attempt whose answer was lost reported nothing. Read
  // once, in send(), for the ledger and the observer.
  capacity.add(table, sent.capacity);
  return sent;
}

CapacityTotals Client::consumed_capacity() const {
  return impl_->capacity.totals();
}
TableCapacity Client::consumed_capacity(const std::string& table_name) const {
  return impl_->capacity.table(table_name);
}
void Client::reset_consumed_capacity() const {
  impl_->capacity.reset();
}
void Client::reset_consumed_capacity(const std::string& table_name) const {
  impl_->capacity.reset(table_name);
}

}  // namespace dynamodb_mapping
