// Results and iteration: the scan and query views of the container.
#include "dynamodb_mapping/results.hpp"

#include "dynamodb_mapping/validate.hpp"
#include "mapping/expressions.hpp"
#include "mapping/page_source.hpp"
#include "mapping/state.hpp"

namespace dynamodb_mapping {

template <class T>
void Results<T>::iterator::State::load() {
  page.clear();
  index = 0;
  while (auto items = source->next()) {
    if (items->empty()) continue;  // a filter may leave a page empty; the scan goes on
    page.reserve(items->size());
    for (Item& item : *items) page.push_back(convert(*mapping, std::move(item)));
    return;
  }
  done = true;
}

template <class T>
typename Results<T>::iterator Results<T>::begin() const {
  auto state = std::make_shared<typename iterator::State>();
  state->source = factory_();  // a new walk each time: Results can be iterated again
  state->convert = convert_;
  state->mapping = mapping_;
  state->load();
  if (state->done) return iterator();
  return iterator(std::move(state));
}

template class Results<Item>;
template class Results<Key>;
template class Results<std::pair<Key, Item>>;

namespace {

Item as_item(const detail::MappingState&, Item&& item) {
  return std::move(item);
}
Key as_key(const detail::MappingState& m, Item&& item) {
  return m.key_of(item);
}
std::pair<Key, Item> as_entry(const detail::MappingState& m, Item&& item) {
  Key k = m.key_of(item);
  return {std::move(k), std::move(item)};
}

// The page source factory of one scan view: the request is built (and checked) now; requests
// are sent, and threads started, only by the source that each begin() makes.
std::function<std::shared_ptr<detail::PageSource>()> scan_source(const detail::MappingState& m,
                                                                 const ScanOptions& options,
                                                                 bool keys_only) {
  if (options.segments < 1 || options.segments > 1000000) {
    throw ValidationError("segments must be from 1 to 1000000");
  }
  if (options.page_size < 0) throw ValidationError("page_size must not be negative");
  ScanRequest r;
  r.table_name = m.table_name;
  r.consistent_read = m.consistent(options.consistent_read);
  if (options.page_size > 0) r.limit = options.page_size;
  if (keys_only || !options.projection.empty()) {
    r.projection_expression = m.projection_with_keys(
        keys_only ? std::vector<std::string>{} : options.projection, r.expression_attribute_names);
  }
  if (options.filter) {
    detail::merge_condition(r.filter_expression, r.expression_attribute_names,
                            r.expression_attribute_values, *options.filter);
  }
  const int segments = options.segments;
  const bool prefetch = options.prefetch;
  return [client = m.client, r = std::move(r), segments, prefetch] {
    return segments > 1 ? detail::parallel_scan_source(client, r, segments)
                        : detail::sequential_source(client, r, prefetch);
  };
}

}  // namespace

Results<std::pair<Key, Item>> DynamoDBMapping::items(const ScanOptions& options) const {
  return {state_, scan_source(*state_, options, false), &as_entry};
}

Results<Key> DynamoDBMapping::keys(const ScanOptions& options) const {
  return {state_, scan_source(*state_, options, true), &as_key};
}

Results<Item> DynamoDBMapping::values(const ScanOptions& options) const {
  return {state_, scan_source(*state_, options, false), &as_item};
}

Results<std::pair<Key, Item>>::iterator DynamoDBMapping::begin() const {
  return items().begin();
}

Results<Item> DynamoDBMapping::query(const Value& partition, std::optional<SortCondition> sort,
                                     const QueryOptions& options) const {
  const detail::MappingState& m = *state_;
  const detail::KeySchema& s = m.schema();
  QueryRequest r;
  r.table_name = m.table_name;
  r.index_name = options.index_name;
  r.consistent_read = m.consistent(options.consistent_read);
  r.scan_index_forward = !options.descending;
  if (options.page_size < 0) throw ValidationError("page_size must not be negative");
  if (options.page_size > 0) r.limit = options.page_size;
  if (s.sort.empty() && sort) {
    throw ValidationError("table " + m.table_name + " has no sort key to put a condition on");
  }
  // key_attributes checks the partition value; it wants a whole key, so without a sort
  // condition the sort part is a stand-in of the sort key's own type (any other type would be
  // refused). A sort value, when given, is checked the same way.
  const auto stand_in = [](ScalarType t) {
    return t == ScalarType::String   ? Value("x")
           : t == ScalarType::Number ? Value(0)
                                     : Value(Binary{0});
  };
  (void)m.key_attributes(
      s.sort.empty() ? Key(partition) : Key(partition, sort ? sort->value : stand_in(s.sort_type)));
  if (sort) {
    using Op = SortCondition::Op;
    if (!detail::has_type(sort->value, s.sort_type) ||
        (sort->op == Op::Between && !detail::has_type(sort->upper, s.sort_type))) {
      throw ValidationError(std::string("sort key condition values must be of type ") +
                            detail::type_tag(s.sort_type));
    }
    if (sort->op == Op::Between) validate_value(sort->upper);
    // DynamoDB's begins_with takes a String or Binary only.
    if (sort->op == Op::BeginsWith && s.sort_type == ScalarType::Number) {
      throw ValidationError("begins_with needs a String or Binary sort key; \"" + s.sort +
                            "\" is a Number");
    }
  }
  detail::Expression k = detail::key_condition(s.partition, partition, s.sort, sort);
  r.key_condition_expression = std::move(k.text);
  r.expression_attribute_names = std::move(k.names);
  r.expression_attribute_values = std::move(k.values);
  if (!options.projection.empty()) {
    r.projection_expression =
        m.projection_with_keys(options.projection, r.expression_attribute_names);
  }
  if (options.filter) {
    detail::merge_condition(r.filter_expression, r.expression_attribute_names,
                            r.expression_attribute_values, *options.filter);
  }
  return {
      state_,
      [client = m.client, r = std::move(r)] { return detail::sequential_source(client, r, true); },
      &as_item};
}

}  // namespace dynamodb_mapping
