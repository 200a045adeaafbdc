// A small HTTP/1.1 server on 127.0.0.1 for tests: a handler decides, per request, what the client
// gets (a response, a delay, a connection reset, a truncated body). Used as a fake metadata
// service and, with forwarding, as the fault-injecting proxy in front of the test server.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ddbtest {

struct HttpRequest {
  std::string method;
  std::string target;                          // path and query as sent
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

struct HttpReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// What the server does with one request.
struct Action {
  enum class Kind {
    Reply,     // the reply, keep-alive
    Reset,     // no answer: the connection is reset (RST)
    Close,     // no answer: the connection is closed in order (FIN), as a dying keep-alive peer
    Truncate,  // the reply's head and `truncate_at` body bytes, then the connection closes
    Endless,   // the reply's head without Content-Length, then body bytes without end (bounded
               // by `endless_limit`, or until the client goes away)
    Trickle,   // the reply, its body one byte every `trickle_interval`
  } kind = Kind::Reply;
  HttpReply reply;
  std::chrono::milliseconds delay{0};  // before anything is sent
  std::size_t truncate_at = 0;
  std::size_t endless_limit = std::size_t{1} << 30;
  std::chrono::milliseconds trickle_interval{100};

  static Action respond(HttpReply r) {
    Action a;
    a.reply = std::move(r);
    return a;
  }
  static Action reset() { return with(Kind::Reset); }
  static Action close() { return with(Kind::Close); }
  static Action with(Kind kind, HttpReply r = {}) {
    Action a = respond(std::move(r));
    a.kind = kind;
    return a;
  }
};

class TestHttpServer {
 public:
  using Handler = std::function<Action(const HttpRequest&)>;

  explicit TestHttpServer(Handler handler);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  /// "http://127.0.0.1:PORT"
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  /// Connections accepted and requests read so far.
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }

 private:
  void accept_loop();
  void serve(int fd);
  void send_endless(int fd, const Action& action);
  void pause(std::chrono::milliseconds duration) const;

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0}, requests_{0};
  std::thread acceptor_;
  std::mutex workers_mutex_;
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
};

/// Sends `request` to `upstream_url` (http://127.0.0.1:PORT) on a fresh connection and returns
/// the reply, for a forwarding handler.
HttpReply forward(const std::string& upstream_url, const HttpRequest& request);

}  // namespace ddbtest
