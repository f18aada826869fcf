#pragma once
// Runs the real `minetwin` program and captures its exit code and output.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace minetwin::test {

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline std::string binary() {
  return std::string(MINETWIN_BINARY_DIR) + "/bin/minetwin";
}

inline Result run_cli(const std::string& arguments, const std::string& environment = "") {
  const std::string command = environment + " " + binary() + " " + arguments + " 2>&1";
  Result result;
  FILE* pipe = ::popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (pipe != nullptr && std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
    result.output += buffer.data();
  }
  const int status = pipe != nullptr ? ::pclose(pipe) : -1;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

inline std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace minetwin::test
