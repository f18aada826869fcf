#include "engine/grid/grid_memory.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include <tbb/parallel_for.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace minetwin::grid_memory {
namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;

bool on_huge_pages(std::size_t bytes, std::size_t alignment) {
  return bytes >= kHugePage && alignment <= kHugePage;
}
}  // namespace

void* allocate(std::size_t bytes, std::size_t alignment) {
  if (on_huge_pages(bytes, alignment)) {
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* memory = std::aligned_alloc(kHugePage, rounded);
    if (memory == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(memory, rounded, MADV_HUGEPAGE);  // a hint: where refused, ordinary pages
#endif
    return memory;
  }
  if (alignment > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
    return ::operator new (bytes, std::align_val_t{alignment});
  return ::operator new(bytes);
}

void deallocate(void* memory, std::size_t bytes, std::size_t alignment) noexcept {
  if (memory == nullptr) return;
  if (on_huge_pages(bytes, alignment)) {
    std::free(memory);
  } else if (alignment > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
    ::operator delete (memory, std::align_val_t{alignment});
  } else {
    ::operator delete(memory);
  }
}

void first_touch(void* memory, std::size_t bytes) {
  auto* storage = static_cast<std::byte*>(memory);
  const std::size_t pieces = (bytes + kHugePage - 1) / kHugePage;
  tbb::parallel_for(std::size_t{0}, pieces, [&](std::size_t piece) {
    const std::size_t begin = piece * kHugePage;
    std::memset(storage + begin, 0, std::min(kHugePage, bytes - begin));
  });
}

}  // namespace minetwin::grid_memory
