#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace citytwin::test {
namespace {

int freePort() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

bool accepts(int port) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(s);
  return ok;
}

}  // namespace

std::string mosquittoBinary() {
  for (const char* p : {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return {};
}

MosquittoBroker::MosquittoBroker(std::filesystem::path folder)
    : folder_(std::move(folder)), port_(freePort()) {
  std::filesystem::create_directories(folder_);
  std::ofstream config(folder_ / "mosquitto.conf");
  config << "listener " << port_ << " 127.0.0.1\n"
         << "allow_anonymous true\n"
         << "persistence true\n"
         << "persistence_location " << folder_.string() << "/\n"
         << "log_dest file " << (folder_ / "mosquitto.log").string() << "\n"
         << "log_type all\n"
         // Keep everything for a subscriber that is away: a test counts every message.
         << "max_queued_messages 0\n";
  // As root, Mosquitto would switch to the 'mosquitto' user, which cannot write here.
  if (geteuid() == 0) config << "user root\n";
}

MosquittoBroker::~MosquittoBroker() {
  stop();
}

void MosquittoBroker::start() {
  const std::string binary = mosquittoBinary();
  if (binary.empty()) {
    throw std::runtime_error(
        "mosquitto is not installed (Debian package 'mosquitto'; "
        "scripts/install-deps.sh installs it)");
  }
  const std::string config = (folder_ / "mosquitto.conf").string();
  const char* argv[] = {binary.c_str(), "-c", config.c_str(), nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, binary.c_str(), nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
    throw std::runtime_error("cannot start " + binary);
  }
  pid_ = pid;
  for (int i = 0; i < 100; ++i) {
    if (accepts(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string why = log();
  stop();
  throw std::runtime_error("mosquitto did not start on port " + std::to_string(port_) + ":\n" +
                           why);
}

void MosquittoBroker::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string MosquittoBroker::log() const {
  std::ifstream in(folder_ / "mosquitto.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace citytwin::test
