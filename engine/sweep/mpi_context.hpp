#pragma once
/// @file
/// @brief MPI for sweeps, only when the program was started by an MPI launcher (`mpirun`):
/// a plain `minetwin sweep` is one process and never initialises MPI.

#include <list>
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

  /// Sends bytes to @p destination without waiting for it to receive them (the bytes are kept
  /// until it has); receives bytes from @p source, in the order that source sent them.
  void send(std::string bytes, int destination);
  std::string receive(int source) const;
  /// Waits until every send has been received.
  void finish_sends();
  void barrier() const;
  /// Ends every rank with @p exit_code (a failure on one rank must not leave the others
  /// waiting for it).
  [[noreturn]] void abort(int exit_code) const;

 private:
  MpiContext();
  struct PendingSend;
  std::list<PendingSend> pending_;
  void complete_sends(bool wait);
  bool active_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace minetwin::sweep
