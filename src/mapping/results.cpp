// Results and iteration: the scan and query views of the container.
#include "dynamodb_mapping/results.hpp"

#include <algorithm>

#include "dynamodb_mapping/index.hpp"
#include "dynamodb_mapping/mapping.hpp"
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

// Whether a read of the table or an index is consistent. A global index cannot be read
// consistently: asked for, that is refused; the mapping's default does not apply to it.
bool consistent_read(const detail::MappingState& m, const detail::IndexSchema* index, bool asked) {
  if (!index || !index->global) return m.consistent(asked);
  if (asked) {
    ValidationError e("global secondary index " + index->name +
                      " cannot be read consistently (DynamoDB's rule)");
    detail::set_error_context(e, {}, m.table_name);
    throw e;
  }
  return false;
}

// The attributes of a LastEvaluatedKey: the table's key, and the index's for an index walk.
std::function<std::vector<std::string>()> walk_key_names(
    const std::shared_ptr<detail::MappingState>& state, const detail::IndexSchema* index) {
  if (!index) return [state] { return state->key_names(); };
  return [state, name = index->name] {
    std::vector<std::string> names = state->key_names();
    const detail::KeySchema& k = state->index(name).key;
    for (const std::string* n : {&k.partition, &k.sort}) {
      if (!n->empty() && std::find(names.begin(), names.end(), *n) == names.end()) {
        names.push_back(*n);
      }
    }
    return names;
  };
}

// The walk of one scan view: the request is built (and checked) now; requests are sent, and
// threads started, only by the source that each begin() makes.
std::shared_ptr<const detail::Walk> scan_walk(const std::shared_ptr<detail::MappingState>& state,
                                              const ScanOptions& options, bool keys_only,
                                              const detail::IndexSchema* index = nullptr) {
  const detail::MappingState& m = *state;
  if (options.segments < 1 || options.segments > 1000000) {
    throw ValidationError("segments must be from 1 to 1000000");
  }
  if (options.page_size < 0) throw ValidationError("page_size must not be negative");
  ScanRequest r;
  r.table_name = m.table_name;
  r.consistent_read = consistent_read(m, index, options.consistent_read);
  if (index) r.index_name = index->name;
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
                           walk_key_names(state, index));
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

namespace {

// The walk of a Query of the table (`index` null) or of one of its indexes, by that key.
std::shared_ptr<const detail::Walk> query_walk(const std::shared_ptr<detail::MappingState>& state,
                                               const detail::IndexSchema* index,
                                               const Value& partition,
                                               const std::optional<SortCondition>& sort,
                                               const QueryOptions& options) {
  const detail::MappingState& m = *state;
  const detail::KeySchema& s = index ? index->key : m.schema();
  const std::string what =
      index ? "index " + index->name + " of table " + m.table_name : "table " + m.table_name;
  QueryRequest r;
  r.table_name = m.table_name;
  if (index) r.index_name = index->name;
  r.consistent_read = consistent_read(m, index, options.consistent_read);
  r.scan_index_forward = !options.descending;
  if (options.page_size < 0) throw ValidationError("page_size must not be negative");
  if (options.page_size > 0) r.limit = options.page_size;
  if (s.sort.empty() && sort) {
    throw ValidationError(what + " has no sort key to put a condition on");
  }
  if (index) {
    if (!detail::has_type(partition, s.partition_type)) {
      throw ValidationError("the partition key \"" + s.partition + "\" of " + what +
                            " is of type " + detail::type_tag(s.partition_type));
    }
    validate_value(partition);
  } else {
    // key_attributes checks the partition value; it wants a whole key, so without a sort
    // condition the sort part is a stand-in of the sort key's own type (any other type would be
    // refused). A sort value, when given, is checked the same way.
    const auto stand_in = [](ScalarType t) {
      return t == ScalarType::String   ? Value("x")
             : t == ScalarType::Number ? Value(0)
                                       : Value(Binary{0});
    };
    (void)m.key_attributes(s.sort.empty()
                               ? Key(partition)
                               : Key(partition, sort ? sort->value : stand_in(s.sort_type)));
  }
  if (sort) {
    using Op = SortCondition::Op;
    if (!detail::has_type(sort->value, s.sort_type) ||
        (sort->op == Op::Between && !detail::has_type(sort->upper, s.sort_type))) {
      throw ValidationError(std::string("sort key condition values must be of type ") +
                            detail::type_tag(s.sort_type));
    }
    validate_value(sort->value);
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
    std::vector<std::string> attributes = options.projection;
    if (index) {
      attributes.push_back(s.partition);
      if (!s.sort.empty()) attributes.push_back(s.sort);
    }
    r.projection_expression = m.projection_with_keys(attributes, r.expression_attribute_names);
  }
  if (options.filter) {
    detail::merge_condition(r.filter_expression, r.expression_attribute_names,
                            r.expression_attribute_values, *options.filter);
  }
  return detail::query_walk(m.client, std::move(r), true, walk_key_names(state, index));
}

}  // namespace

Results<Item> DynamoDBMapping::query(const Value& partition, std::optional<SortCondition> sort,
                                     const QueryOptions& options) const {
  const detail::IndexSchema* index =
      options.index_name.empty() ? nullptr : &state_->index(options.index_name);
  return {state_, query_walk(state_, index, partition, sort, options), &as_item};
}

IndexView DynamoDBMapping::index(std::string name) const {
  if (name.size() < 3 || name.size() > 255) {
    throw ValidationError("index name \"" + name + "\" must be 3 to 255 characters long");
  }
  return IndexView(state_, std::move(name));
}

std::vector<AttributeDefinition> IndexView::key_definitions() const {
  const detail::KeySchema& s = state_->index(name_).key;
  std::vector<AttributeDefinition> out{{s.partition, s.partition_type}};
  if (!s.sort.empty()) out.push_back({s.sort, s.sort_type});
  return out;
}

bool IndexView::global() const {
  return state_->index(name_).global;
}

std::pair<std::string, std::vector<std::string>> IndexView::projection() const {
  const Projection& p = state_->index(name_).projection;
  return {p.projection_type, p.non_key_attributes};
}

Results<Item> IndexView::query(const Value& partition, std::optional<SortCondition> sort,
                               const QueryOptions& options) const {
  if (!options.index_name.empty() && options.index_name != name_) {
    throw ValidationError("a query of index " + name_ + " names another index in its options");
  }
  return {state_, query_walk(state_, &state_->index(name_), partition, sort, options), &as_item};
}

Results<Item> IndexView::find(const Key& key, const QueryOptions& options) const {
  const detail::IndexSchema& ix = state_->index(name_);
  if (ix.key.sort.empty() == key.sort.has_value()) {
    throw ValidationError("index " + name_ +
                          (ix.key.sort.empty() ? " has only a partition key: give one value"
                                               : " has a sort key: give {partition, sort}"));
  }
  std::optional<SortCondition> sort;
  if (key.sort) sort = SortCondition::eq(*key.sort);
  return query(key.partition, sort, options);
}

Results<Item> IndexView::values(const ScanOptions& options) const {
  return {state_, scan_walk(state_, options, false, &state_->index(name_)), &as_item};
}

}  // namespace dynamodb_mapping
