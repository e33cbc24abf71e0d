#pragma once
// A real Mosquitto broker for tests: started on a free localhost port with its own config and
// persistence folder, stopped with SIGTERM (so that it saves its state) and started again.
#include <filesystem>
#include <string>

namespace citytwin::test {

class MosquittoBroker {
 public:
  /// Does not start it yet. `folder` holds the config, the log and the persistence file.
  explicit MosquittoBroker(std::filesystem::path folder);
  ~MosquittoBroker();
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  /// Starts it and waits until it accepts connections; throws with its log otherwise.
  void start();
  /// SIGTERM and wait: Mosquitto writes its persistence file on the way out.
  void stop();
  int port() const { return port_; }
  std::string log() const;

 private:
  std::filesystem::path folder_;
  int port_ = 0;
  int pid_ = -1;
};

/// Where the mosquitto binary is, or "" (then the test fails, naming the package).
std::string mosquittoBinary();

}  // namespace citytwin::test
