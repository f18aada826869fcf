#pragma once
/// @file
/// @brief MPI for sweeps, only when the program was started by an MPI launcher (`mpirun`):
/// a plain `minetwin sweep` is one process and never initialises MPI.

#include <string>

namespace minetwin::sweep {

class MpiContext {
 public:
  /// The process's context: initialises MPI (thread level SERIALIZED) on first use when an
  /// Open MPI or PMI launcher started the process; otherwise rank 0 of 1.
  static MpiContext& instance();
  ~MpiContext();
  MpiContext(const MpiContext&) = delete;
  MpiContext& operator=(const MpiContext&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool active() const { return active_; }

  /// Sends bytes to @p destination (blocking); receives bytes from @p source, in the order
  /// that source sent them.
  void send(const std::string& bytes, int destination) const;
  std::string receive(int source) const;
  void barrier() const;
  /// Ends every rank with @p exit_code (a failure on one rank must not leave the others
  /// waiting for it).
  [[noreturn]] void abort(int exit_code) const;

 private:
  MpiContext();
  bool active_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace minetwin::sweep
