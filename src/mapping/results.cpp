// Results and iteration: the scan and query views of the container.
#include "dynamodb_mapping/results.hpp"

#include "dynamodb_mapping/validate.hpp"
#include "mapping/expressions.hpp"
#include "mapping/page_source.hpp"
#include "mapping/state.hpp"

namespace dynamodb_mapping {

namespace {

// The item an element's key attributes are read from, for a token.
const Item& element_item(const detail::MappingState&, const Item& item, Item&) {
  return item;
}
const Item& element_item(const detail::MappingState&, const std::pair<Key, Item>& entry, Item&) {
  return entry.second;
}
const Item& element_item(const detail::MappingState& m, const Key& key, Item& scratch) {
  scratch = m.key_attributes(key);
  return scratch;
}

// The positions a Results starts from: its resume() positions, or the walk's start.
std::vector<detail::SegmentPosition> starting_positions(
    const detail::Walk& walk,
    const std::shared_ptr<const std::vector<detail::SegmentPosition>>& s) {
  return s ? *s : detail::start_positions(walk);
}

}  // namespace

template <class T>
void Results<T>::iterator::State::load() {
  page.clear();
  index = 0;
  while (auto p = cursor->next_page()) {
    if (p->items.empty()) continue;  // a filter may leave a page empty; the scan goes on
    page.reserve(p->items.size());
    for (Item& item : p->items) page.push_back(convert(*mapping, std::move(item)));
    return;
  }
  done = true;
}

template <class T>
std::string Results<T>::iterator::token() const {
  const detail::Cursor& c = *state_->cursor;
  detail::check_tokens_allowed(*c.walk, "a resume token");
  std::vector<detail::SegmentPosition> positions = c.positions;
  detail::SegmentPosition& here = positions[static_cast<std::size_t>(c.segment)];
  if (state_->index + 1 == state_->page.size()) {
    // The page's own LastEvaluatedKey: past the items a filter dropped after this one too.
    here = c.page_end ? detail::SegmentPosition{detail::SegmentPosition::State::After, *c.page_end}
                      : detail::SegmentPosition{detail::SegmentPosition::State::Done, {}};
  } else {
    Item scratch;
    const Item& item = element_item(*state_->mapping, state_->page[state_->index], scratch);
    Item key;
    for (const std::string& name : c.walk->key_names()) {
      const auto it = item.find(name);
      if (it == item.end()) {
        ValidationError e("a resume token needs the key attribute \"" + name +
                          "\" of the current element, which it lacks");
        detail::set_error_context(e, c.walk->scope.operation(), c.walk->scope.table);
        throw e;
      }
      key.emplace(name, it->second);
    }
    here = {detail::SegmentPosition::State::After, std::move(key)};
  }
  return detail::encode_token(c.walk->scope, positions);
}

template <class T>
typename Results<T>::iterator Results<T>::begin() const {
  auto state = std::make_shared<typename iterator::State>();
  auto cursor = std::make_shared<detail::Cursor>();
  cursor->walk = walk_;
  cursor->positions = starting_positions(*walk_, start_);
  // A new walk each time: Results can be iterated again.
  cursor->source = detail::open_source(*walk_, cursor->positions);
  state->cursor = std::move(cursor);
  state->convert = convert_;
  state->mapping = mapping_;
  state->load();
  if (state->done) return iterator();
  return iterator(std::move(state));
}

template <class T>
Results<T> Results<T>::resume(std::string_view token) const {
  Results r = *this;
  if (!token.empty()) {
    detail::check_tokens_allowed(*walk_, "resume()");
    r.start_ = std::make_shared<const std::vector<detail::SegmentPosition>>(
        detail::decode_token(token, walk_->scope));
  }
  return r;
}

template <class T>
ResultPage<T> Results<T>::page(std::string_view token, int limit) const {
  if (limit < 0) throw ValidationError("limit must not be negative");
  detail::check_tokens_allowed(*walk_, "page()");
  std::vector<detail::SegmentPosition> positions = token.empty()
                                                       ? starting_positions(*walk_, start_)
                                                       : detail::decode_token(token, walk_->scope);
  ResultPage<T> out;
  auto p = detail::fetch_one(*walk_, positions, limit);
  if (!p) return out;
  out.items.reserve(p->items.size());
  for (Item& item : p->items) out.items.push_back(convert_(*mapping_, std::move(item)));
  if (!detail::finished(positions)) out.next_token = detail::encode_token(walk_->scope, positions);
  return out;
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

// The walk of one scan view: the request is built (and checked) now; requests are sent, and
// threads started, only by the source that each begin() makes.
std::shared_ptr<const detail::Walk> scan_walk(const std::shared_ptr<detail::MappingState>& state,
                                              const ScanOptions& options, bool keys_only) {
  const detail::MappingState& m = *state;
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
  // The walk keeps the state alive (a Results does too): the key names are read through it.
  return detail::scan_walk(m.client, std::move(r), options.segments, options.prefetch,
                           [state] { return state->key_names(); });
}

}  // namespace

Results<std::pair<Key, Item>> DynamoDBMapping::items(const ScanOptions& options) const {
  return {state_, scan_walk(state_, options, false), &as_entry};
}

Results<Key> DynamoDBMapping::keys(const ScanOptions& options) const {
  return {state_, scan_walk(state_, options, true), &as_key};
}

Results<Item> DynamoDBMapping::values(const ScanOptions& options) const {
  return {state_, scan_walk(state_, options, false), &as_item};
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
  return {state_,
          detail::query_walk(m.client, std::move(r), true,
                             [state = state_] { return state->key_names(); }),
          &as_item};
}

}  // namespace dynamodb_mapping
