#include "engine/sweep/mpi_context.hpp"

#include <mpi.h>

#include <cstdlib>
#include <stdexcept>

namespace minetwin::sweep {
namespace {

constexpr int kMemberTag = 17;

bool launched_by_mpi() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(variable) != nullptr) return true;
  return false;
}

}  // namespace

struct MpiContext::PendingSend {
  std::string bytes;
  MPI_Request request = MPI_REQUEST_NULL;
};

MpiContext& MpiContext::instance() {
  static MpiContext context;
  return context;
}

MpiContext::MpiContext() {
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error("the MPI library does not support MPI_THREAD_SERIALIZED");
  }
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiContext::~MpiContext() {
  if (active_) MPI_Finalize();
}

// A blocking send of a large message waits for the receiver (rendezvous protocol): the rank
// would sit idle until the root reaches that member in member order. Non-blocking sends let
// it go on with its next member.
void MpiContext::send(std::string bytes, int destination) {
  complete_sends(false);
  pending_.push_back({std::move(bytes), MPI_REQUEST_NULL});
  PendingSend& send = pending_.back();
  MPI_Isend(send.bytes.data(), static_cast<int>(send.bytes.size()), MPI_BYTE, destination,
            kMemberTag, MPI_COMM_WORLD, &send.request);
}

void MpiContext::complete_sends(bool wait) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    int done = 0;
    if (wait) {
      MPI_Wait(&it->request, MPI_STATUS_IGNORE);
      done = 1;
    } else {
      MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
    }
    it = done ? pending_.erase(it) : std::next(it);
  }
}

void MpiContext::finish_sends() {
  complete_sends(true);
}

std::string MpiContext::receive(int source) const {
  MPI_Status status;
  MPI_Probe(source, kMemberTag, MPI_COMM_WORLD, &status);
  int size = 0;
  MPI_Get_count(&status, MPI_BYTE, &size);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  MPI_Recv(bytes.data(), size, MPI_BYTE, source, kMemberTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return bytes;
}

void MpiContext::barrier() const {
  if (active_) MPI_Barrier(MPI_COMM_WORLD);
}

void MpiContext::abort(int exit_code) const {
  if (active_ && size_ > 1) MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

}  // namespace minetwin::sweep
