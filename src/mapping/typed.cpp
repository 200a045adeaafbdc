// ModelError: where an item does not fit a typed model (codec.hpp). The codecs themselves are
// templates in the headers.
#include "dynamodb_mapping/codec.hpp"
#include "error_text.hpp"

namespace dynamodb_mapping {

namespace {

// Attribute names and Map keys may come from a server: escaped and capped, as any outside text
// that reaches an exception (error_text.hpp).
std::string name_step(std::string_view name) {
  return detail::printable_text(name, 128);
}

std::string message_of(const std::string& path, const std::string& problem) {
  return path.empty() ? problem : "attribute " + path + ": " + problem;
}

}  // namespace

ModelError::ModelError(std::string path, std::string problem)
    : TypeError(message_of(path, problem)), path_(std::move(path)), problem_(std::move(problem)) {}

ModelError ModelError::in_member(std::string_view name) const {
  std::string step = name_step(name);
  if (path_.empty()) return ModelError(std::move(step), problem_);
  return ModelError(step + (path_.front() == '[' ? "" : ".") + path_, problem_);
}

ModelError ModelError::in_element(std::size_t index) const {
  std::string step = "[" + std::to_string(index) + "]";
  if (path_.empty()) return ModelError(std::move(step), problem_);
  return ModelError(step + (path_.front() == '[' ? "" : ".") + path_, problem_);
}

ModelError ModelError::not_in_model(std::string_view name, std::string_view type_name) {
  return ModelError(name_step(name), "not a field of " + std::string(type_name) +
                                         " (an attribute the model does not have)");
}

}  // namespace dynamodb_mapping
