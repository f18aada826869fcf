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

void MpiContext::send(const std::string& bytes, int destination) const {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, destination, kMemberTag,
           MPI_COMM_WORLD);
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
