// ddbmap: dict-like access to a DynamoDB table from the shell.
//
// Exit codes: 0 ok, 1 not found, 2 usage or invalid input, 3 AWS error (service, credentials,
// configuration), 4 network, 130 interrupted.
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "key_text.hpp"
#include "progress.hpp"

namespace ddb = dynamodb_mapping;

namespace {

constexpr int kOk = 0, kNotFound = 1, kUsage = 2, kAwsError = 3, kNetwork = 4, kInterrupted = 130;

volatile std::sig_atomic_t g_interrupted = 0;

// First Ctrl-C: finish the request in flight, then stop cleanly. Second: stop now.
void on_sigint(int) {
  if (g_interrupted) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
  g_interrupted = 1;
}

struct Globals {
  std::string endpoint_url, region, profile;
  bool consistent = false;
};

struct Args {
  std::string table, key, json, attribute, file = "-";
  bool number_key = false, wire = false, keys_only = false, exact = false, skip_bad = false;
  long limit = -1;
  int segments = 1;
  std::string partition_key = "pk:S", sort_key;
};

ddb::DynamoDBMapping open_table(const Globals& g, const std::string& table) {
  ddb::ClientConfig c;
  c.endpoint_url = g.endpoint_url;
  c.region = g.region;
  c.profile = g.profile;
  ddb::MappingOptions o;
  o.consistent_reads = g.consistent;
  return ddb::DynamoDBMapping(table, ddb::Client(c), o);
}

ddb::Key key_arg(const ddb::DynamoDBMapping& m, const Args& a) {
  return ddbmap::parse_key(a.key, m.key_definitions(), a.number_key);
}

std::string item_json(const ddb::Item& item, bool wire) {
  return wire ? ddb::to_wire_json(item) : ddb::to_plain_json(item);
}

// Writes lines to stdout or a file, checking for write errors at the end.
class LineWriter {
 public:
  explicit LineWriter(const std::string& path) {
    if (path == "-") {
      file_ = stdout;
    } else {
      file_ = std::fopen(path.c_str(), "wb");
      owned_ = true;
      if (!file_) throw ddb::ValidationError("cannot write " + path);
    }
  }
  ~LineWriter() {
    if (owned_ && file_) std::fclose(file_);
  }
  void line(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), file_);
    std::fputc('\n', file_);
  }
  void close() {
    if (std::fflush(file_) != 0 || std::ferror(file_)) throw ddb::ValidationError("write failed");
    if (owned_) {
      const int rc = std::fclose(file_);
      file_ = nullptr;
      if (rc != 0) throw ddb::ValidationError("write failed");
    }
  }

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
};

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

// ---- commands ----

int cmd_get(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  const auto item = m.find(key_arg(m, a));
  if (!item) {
    std::cerr << "ddbmap: not found: " << a.key << '\n';
    return kNotFound;
  }
  std::cout << item_json(*item, a.wire) << '\n';
  return kOk;
}

ddb::Item parse_item(const std::string& json, bool wire) {
  return wire ? ddb::item_from_wire_json(json) : ddb::item_from_plain_json(json);
}

int cmd_put(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  m.set_item(key_arg(m, a), parse_item(a.json, a.wire));
  return kOk;
}

int cmd_set(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  const ddb::Value v =
      a.wire ? ddb::value_from_wire_json(a.json) : ddb::value_from_plain_json(a.json);
  try {
    m[key_arg(m, a)][a.attribute] = v;
  } catch (const ddb::KeyError&) {
    std::cerr << "ddbmap: not found: " << a.key << '\n';
    return kNotFound;
  }
  return kOk;
}

int cmd_del(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  if (m.erase(key_arg(m, a)) == 0) {
    std::cerr << "ddbmap: not found: " << a.key << '\n';
    return kNotFound;
  }
  return kOk;
}

int cmd_len(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  std::cout << (a.exact ? m.count() : m.size()) << '\n';
  return kOk;
}

// ls and export: every item (or key) as one JSON line.
int scan_out(const Globals& g, const Args& a, bool is_export) {
  auto m = open_table(g, a.table);
  ddb::ScanOptions o;
  o.segments = a.segments;
  o.consistent_read = g.consistent;
  if (a.limit >= 0 && a.limit <= 1000) {
    o.page_size = static_cast<int>(std::max(1L, a.limit));  // do not fetch 1 MB to show 5 items
    o.prefetch = false;
  }
  LineWriter out(is_export ? a.file : "-");
  // The estimate for the ETA costs one DescribeTable: only when a bar is shown.
  const bool bar = is_export && stderr_is_terminal();
  ddbmap::Progress progress(bar, "export",
                            bar ? std::optional<std::uint64_t>(m.size()) : std::nullopt);
  std::uint64_t n = 0;
  if (a.limit != 0) {
    if (a.keys_only) {
      for (const ddb::Key& k : m.keys(o)) {
        out.line(item_json(m.key_attributes(k), a.wire));
        if (++n == static_cast<std::uint64_t>(a.limit) || g_interrupted) break;
      }
    } else {
      for (const ddb::Item& item : m.values(o)) {
        out.line(item_json(item, a.wire));
        ++n;
        progress.update(n, n);
        if (n == static_cast<std::uint64_t>(a.limit) || g_interrupted) break;
      }
    }
  }
  out.close();
  progress.finish();
  if (g_interrupted) {
    std::cerr << "ddbmap: interrupted: " << n << " items exported\n";
    return kInterrupted;
  }
  if (is_export && a.file != "-") std::cerr << "ddbmap: exported " << n << " items\n";
  return kOk;
}

int cmd_import(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  std::unique_ptr<std::ifstream> file;
  std::istream* in = &std::cin;
  std::optional<std::uint64_t> total;
  if (a.file != "-") {
    file = std::make_unique<std::ifstream>(a.file, std::ios::binary);
    if (!*file) throw ddb::ValidationError("cannot read " + a.file);
    in = file.get();
    struct stat st {};
    if (::stat(a.file.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      total = static_cast<std::uint64_t>(st.st_size);
    }
  }
  (void)m.key_names();  // read the schema once, before the first line

  ddbmap::Progress progress(stderr_is_terminal(), "import", total);
  constexpr std::size_t kBlock = 1000;  // items per update(): 40 BatchWriteItem requests
  std::vector<std::pair<ddb::Key, ddb::Item>> block;
  std::uint64_t written = 0, skipped = 0, line_no = 0, bytes = 0;
  auto flush = [&] {
    if (block.empty()) return;
    const std::size_t n = block.size();
    try {
      m.update(std::move(block));
    } catch (const ddb::BatchError& e) {
      written += e.succeeded();
      progress.finish();
      std::cerr << "ddbmap: of the last block, " << e.failed().size() << " items were not written"
                << " and " << e.unknown().size()
                << " may or may not have been (their answers were lost); " << written
                << " items written in all\n";
      throw;
    }
    block.clear();
    written += n;
    progress.update(written, bytes);
  };

  std::string line;
  while (!g_interrupted && std::getline(*in, line)) {
    ++line_no;
    bytes += line.size() + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines
    try {
      ddb::Item item = parse_item(line, a.wire);
      ddb::Key key = m.key_of(item);
      m.key_attributes(key);  // the key's type, as update() will check it
      ddb::validate_item(item);
      block.emplace_back(std::move(key), std::move(item));
    } catch (const ddb::Error& e) {
      if (a.skip_bad) {
        ++skipped;
        // On a terminal the message replaces the progress line, which is redrawn below it.
        const bool tty = stderr_is_terminal();
        std::cerr << (tty ? "\r" : "") << "ddbmap: line " << line_no << " skipped: " << e.message()
                  << (tty ? "\x1b[K" : "") << '\n';
        continue;
      }
      flush();
      progress.finish();
      std::cerr << "ddbmap: line " << line_no << ": " << e.message() << "\nddbmap: stopped at line "
                << line_no << ": " << written << " items from the lines before it were written, "
                << "nothing from this line on (use --skip-bad to skip bad lines)\n";
      return kUsage;
    }
    if (block.size() >= kBlock) flush();
  }
  flush();
  progress.finish();
  if (g_interrupted) {
    std::cerr << "ddbmap: interrupted after line " << line_no << ": " << written
              << " items written (every line up to " << line_no << ")\n";
    return kInterrupted;
  }
  std::cerr << "ddbmap: imported " << written << " items";
  if (skipped) std::cerr << ", skipped " << skipped << " bad lines";
  std::cerr << '\n';
  return kOk;
}

ddb::AttributeDefinition attribute_spec(const std::string& spec) {
  const auto colon = spec.rfind(':');
  const std::string name = spec.substr(0, colon);
  const std::string type = colon == std::string::npos ? "S" : spec.substr(colon + 1);
  if (name.empty() || (type != "S" && type != "N" && type != "B")) {
    throw ddb::ValidationError("a key attribute is NAME or NAME:TYPE with TYPE S, N or B: \"" +
                               spec + "\"");
  }
  return {name, type == "N"   ? ddb::ScalarType::Number
                : type == "B" ? ddb::ScalarType::Binary
                              : ddb::ScalarType::String};
}

int cmd_create_table(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  ddb::CreateTableRequest r;
  r.table_name = a.table;
  const auto pk = attribute_spec(a.partition_key);
  r.key_schema.push_back({pk.attribute_name, ddb::KeyType::Hash});
  r.attribute_definitions.push_back(pk);
  if (!a.sort_key.empty()) {
    const auto sk = attribute_spec(a.sort_key);
    r.key_schema.push_back({sk.attribute_name, ddb::KeyType::Range});
    r.attribute_definitions.push_back(sk);
  }
  m.client().create_table(r);
  for (int i = 0; i < 600 && m.client().describe_table(a.table).table_status != "ACTIVE"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return kOk;
}

int cmd_delete_table(const Globals& g, const Args& a) {
  open_table(g, a.table).client().delete_table(a.table);
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "ddbmap: a DynamoDB table as a dictionary, from the shell.\n"
      "Credentials, region and endpoint come from the standard AWS chain unless given.\n"
      "Exit codes: 0 ok, 1 not found, 2 usage or invalid input, 3 AWS error, 4 network,\n"
      "130 interrupted.",
      "ddbmap"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand (set before adding them)
  Globals g;
  Args a;
  app.add_option(
      "--endpoint-url", g.endpoint_url,
      "DynamoDB endpoint, e.g. http://127.0.0.1:8000 (default: AWS_ENDPOINT_URL_DYNAMODB, "
      "AWS_ENDPOINT_URL, profile, AWS)");
  app.add_option("--region", g.region,
                 "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)");
  app.add_option("--profile", g.profile, "profile in ~/.aws/config and ~/.aws/credentials");
  app.add_flag("--consistent", g.consistent, "strongly consistent reads");

  const char* key_help =
      "the item's key: the partition key value; for a table with a sort key PARTITION,SORT "
      "(write \\, for a comma and \\\\ for a backslash inside a part). Number keys are read as "
      "numbers and binary keys as base64, from the table's key schema";
  auto add_table = [&](CLI::App* c) { c->add_option("TABLE", a.table, "table name")->required(); };
  auto add_key = [&](CLI::App* c) {
    c->add_option("KEY", a.key, key_help)->required();
    c->add_flag("--number-key", a.number_key, "insist that the partition key is a number");
  };

  auto* get = app.add_subcommand("get", "print one item as JSON (exit 1 if absent)");
  add_table(get);
  add_key(get);
  get->add_flag("--wire", a.wire,
                "print DynamoDB's typed JSON ({\"S\": ...}) instead of plain JSON");

  auto* put = app.add_subcommand("put", "create or replace one item");
  add_table(put);
  add_key(put);
  put->add_option("JSON", a.json, "the item as a JSON object; key attributes are filled in")
      ->required();
  put->add_flag("--wire", a.wire, "JSON is DynamoDB's typed form");

  auto* set = app.add_subcommand("set", "set one attribute of an existing item (exit 1 if absent)");
  add_table(set);
  add_key(set);
  set->add_option("ATTR", a.attribute, "attribute name")->required();
  set->add_option("JSON", a.json, "the value as JSON (\"text\", 12, [1,2], {...})")->required();
  set->add_flag("--wire", a.wire, "JSON is a typed AttributeValue ({\"SS\": [...]})");

  auto* del = app.add_subcommand("del", "delete one item (exit 1 if absent)");
  add_table(del);
  add_key(del);

  auto* ls = app.add_subcommand("ls", "print every item (lazy Scan) as JSON Lines");
  add_table(ls);
  ls->add_flag("--keys-only", a.keys_only, "print only the key attributes (a key-only Scan)");
  ls->add_option("--limit", a.limit, "stop after this many items")->check(CLI::NonNegativeNumber);
  ls->add_option("--segments", a.segments, "parallel scan with this many segments")
      ->check(CLI::Range(1, 1000));
  ls->add_flag("--wire", a.wire, "print DynamoDB's typed JSON");
  ls->alias("scan");

  auto* len = app.add_subcommand("len", "the table's item count (DynamoDB's estimate)");
  add_table(len);
  len->add_flag("--exact", a.exact,
                "count exactly with a Select=COUNT Scan (reads the whole table)");

  auto* imp = app.add_subcommand(
      "import",
      "write every line of a JSON Lines file (one item per line) to the table.\n"
      "Stops at the first malformed line, reporting its number, after writing the lines before "
      "it; --skip-bad skips such lines and counts them. Ctrl-C stops after the write in flight "
      "and reports how many items were written.");
  add_table(imp);
  imp->add_option("FILE", a.file, "input file, or - for standard input")->required();
  imp->add_flag("--wire", a.wire, "lines are DynamoDB's typed JSON (as `aws dynamodb` writes)");
  imp->add_flag("--skip-bad", a.skip_bad, "skip malformed lines instead of stopping");

  auto* exp = app.add_subcommand("export", "write every item to a JSON Lines file (lazy Scan)");
  add_table(exp);
  exp->add_option("FILE", a.file, "output file, or - for standard output")->required();
  exp->add_flag("--wire", a.wire, "write DynamoDB's typed JSON instead of plain JSON");
  exp->add_option("--segments", a.segments, "parallel scan with this many segments")
      ->check(CLI::Range(1, 1000));

  auto* create = app.add_subcommand("create-table", "create an on-demand table (for local use)");
  add_table(create);
  create->add_option("--partition-key", a.partition_key, "NAME:TYPE, TYPE S, N or B")
      ->capture_default_str();
  create->add_option("--sort-key", a.sort_key, "NAME:TYPE for a sort key");

  auto* drop = app.add_subcommand("delete-table", "delete a table (for local use)");
  add_table(drop);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }

  std::signal(SIGINT, on_sigint);
  try {
    if (*get) return cmd_get(g, a);
    if (*put) return cmd_put(g, a);
    if (*set) return cmd_set(g, a);
    if (*del) return cmd_del(g, a);
    if (*ls) return scan_out(g, a, false);
    if (*len) return cmd_len(g, a);
    if (*imp) return cmd_import(g, a);
    if (*exp) return scan_out(g, a, true);
    if (*create) return cmd_create_table(g, a);
    if (*drop) return cmd_delete_table(g, a);
  } catch (const ddb::KeyError& e) {
    std::cerr << "ddbmap: " << e.what() << '\n';
    return kNotFound;
  } catch (const ddb::NetworkError& e) {
    std::cerr << "ddbmap: network: " << e.what() << '\n';
    return kNetwork;
  } catch (const ddb::Error& e) {
    std::cerr << "ddbmap: " << e.what() << '\n';
    // Input refused locally is a usage error; anything a server or the AWS setup said is not.
    const bool local_input =
        e.http_status() == 0 &&
        (dynamic_cast<const ddb::ValidationError*>(&e) ||
         dynamic_cast<const ddb::DecodeError*>(&e) || dynamic_cast<const ddb::TypeError*>(&e));
    return local_input ? kUsage : kAwsError;
  } catch (const std::exception& e) {
    std::cerr << "ddbmap: " << e.what() << '\n';
    return kAwsError;
  }
  return kUsage;
}
