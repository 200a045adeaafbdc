#include "support/http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace ddbtest {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool send_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

enum class Read { Ok, Idle, Closed };

// Reads one HTTP message (request or response) with a Content-Length body. `buffer` keeps bytes
// that arrived after it (a keep-alive next message). Idle: nothing at all arrived in
// `idle_ms`; Closed: EOF, error, or a message that stalled half-way for 30 s.
Read read_message(int fd, std::string& buffer, std::string& head, std::string& body,
                  int idle_ms = 30000) {
  std::size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, buffer.empty() ? idle_ms : 30000);
    if (ready == 0 && buffer.empty()) return Read::Idle;
    if (ready <= 0) return Read::Closed;
    char chunk[65536];
    const ssize_t r = ::recv(fd, chunk, sizeof chunk, 0);
    if (r <= 0) return Read::Closed;
    buffer.append(chunk, static_cast<std::size_t>(r));
  }
  head = buffer.substr(0, header_end);
  std::size_t length = 0;
  const std::string lowered = lower(head);
  if (const auto at = lowered.find("\r\ncontent-length:"); at != std::string::npos) {
    length = std::stoul(head.substr(at + 17));
  }
  const std::size_t total = header_end + 4 + length;
  while (buffer.size() < total) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 30000) <= 0) return Read::Closed;
    char chunk[65536];
    const ssize_t r = ::recv(fd, chunk, sizeof chunk, 0);
    if (r <= 0) return Read::Closed;
    buffer.append(chunk, static_cast<std::size_t>(r));
  }
  body = buffer.substr(header_end + 4, length);
  buffer.erase(0, total);
  return Read::Ok;
}

std::map<std::string, std::string> parse_headers(const std::string& head, std::string& first_line) {
  std::map<std::string, std::string> headers;
  std::size_t pos = head.find("\r\n");
  first_line = head.substr(0, pos);
  while (pos != std::string::npos) {
    const std::size_t start = pos + 2;
    pos = head.find("\r\n", start);
    const std::string line = head.substr(start, pos == std::string::npos ? pos : pos - start);
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    headers[lower(line.substr(0, colon))] = value;
  }
  return headers;
}

std::string serialize(const HttpReply& r, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " X\r\n";
  bool has_length = false;
  for (const auto& [k, v] : r.headers) {
    if (lower(k) == "content-length") has_length = true;
    if (lower(k) == "connection") continue;
    out += k + ": " + v + "\r\n";
  }
  if (!has_length) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return out + r.body;
}

void hard_reset(int fd) {
  linger l{1, 0};  // close() now sends RST instead of FIN
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

}  // namespace

TestHttpServer::TestHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("test server: cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

void TestHttpServer::pause(std::chrono::milliseconds duration) const {
  // Sleep in slices so that a stopping server does not wait out a long delay.
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stopping_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void TestHttpServer::send_endless(int fd, const Action& action) {
  std::string head = "HTTP/1.1 " + std::to_string(action.reply.status) + " X\r\n";
  for (const auto& [k, v] : action.reply.headers) head += k + ": " + v + "\r\n";
  head += "Connection: close\r\n\r\n" + action.reply.body;
  if (!send_all(fd, head.data(), head.size())) return;
  const std::string chunk(64 * 1024, ' ');
  for (std::size_t sent = 0; sent < action.endless_limit && !stopping_; sent += chunk.size()) {
    if (!send_all(fd, chunk.data(), chunk.size())) return;  // the client gave up: good
  }
}

TestHttpServer::~TestHttpServer() {
  stopping_ = true;
  acceptor_.join();
  ::close(listen_fd_);
  {
    std::lock_guard lock(workers_mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : workers_) t.join();
}

void TestHttpServer::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard lock(workers_mutex_);
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void TestHttpServer::serve(int fd) {
  std::string buffer, head, body;
  while (!stopping_) {
    const Read got = read_message(fd, buffer, head, body, 50);
    if (got == Read::Idle) continue;  // keep-alive: wait for the next request
    if (got == Read::Closed) break;
    ++requests_;
    HttpRequest req;
    std::string first_line;
    req.headers = parse_headers(head, first_line);
    const auto sp1 = first_line.find(' '), sp2 = first_line.rfind(' ');
    req.method = first_line.substr(0, sp1);
    req.target = first_line.substr(sp1 + 1, sp2 - sp1 - 1);
    req.body = std::move(body);
    Action action = handler_(req);
    pause(action.delay);
    if (action.kind == Action::Kind::Reset) {
      hard_reset(fd);
      break;
    }
    if (action.kind == Action::Kind::Close) break;
    if (action.kind == Action::Kind::Endless) {
      send_endless(fd, action);
      break;
    }
    const std::string wire = serialize(action.reply, action.kind == Action::Kind::Reply);
    const std::size_t head_len = wire.size() - action.reply.body.size();
    if (action.kind == Action::Kind::Truncate) {
      send_all(fd, wire.data(), head_len + std::min(action.truncate_at, action.reply.body.size()));
      break;
    }
    if (action.kind == Action::Kind::Trickle) {
      if (!send_all(fd, wire.data(), head_len)) break;
      bool ok = true;
      for (std::size_t i = head_len; ok && i < wire.size() && !stopping_; ++i) {
        pause(action.trickle_interval);
        ok = !stopping_ && send_all(fd, wire.data() + i, 1);
      }
      if (!ok) break;
      continue;
    }
    if (!send_all(fd, wire.data(), wire.size())) break;
  }
  std::lock_guard lock(workers_mutex_);
  open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
  ::close(fd);
}

HttpReply forward(const std::string& upstream_url, const HttpRequest& request) {
  const auto colon = upstream_url.rfind(':');
  const int port = std::stoi(upstream_url.substr(colon + 1));
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return HttpReply{502, {}, "upstream unreachable"};
  }
  std::string out = request.method + " " + request.target + " HTTP/1.1\r\n";
  for (const auto& [k, v] : request.headers) {
    if (k == "connection" || k == "content-length") continue;
    out += k + ": " + v + "\r\n";
  }
  out += "Content-Length: " + std::to_string(request.body.size()) + "\r\nConnection: close\r\n\r\n";
  out += request.body;
  HttpReply reply;
  std::string buffer, head, body;
  if (!send_all(fd, out.data(), out.size()) || read_message(fd, buffer, head, body) != Read::Ok) {
    ::close(fd);
    return HttpReply{502, {}, "upstream failed"};
  }
  ::close(fd);
  std::string status_line;
  for (auto& [k, v] : parse_headers(head, status_line)) {
    if (k != "connection" && k != "content-length" && k != "keep-alive")
      reply.headers.emplace_back(k, v);
  }
  reply.status = std::stoi(status_line.substr(status_line.find(' ') + 1));
  reply.body = std::move(body);
  return reply;
}

}  // namespace ddbtest
