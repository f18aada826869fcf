#pragma once
/// @file
/// @brief Where grid-sized arrays live: GridVector<T>, a std::vector whose allocations of 2 MiB
/// and more are aligned to 2 MiB and marked for transparent huge pages (Linux: MADV_HUGEPAGE).
///
/// Where the kernel gives huge pages only on request (transparent_hugepage/enabled = madvise, as
/// on this project's machines), every 4 KiB page of a fresh array is a page fault, and a walk in
/// flow order (the stack, the depression fill) misses the TLB at almost every step; on huge
/// pages it is one fault and one TLB entry per 2 MiB (docs/development.md, "Memory reuse"). The
/// policy is scoped to the arrays that hold the grid (State's fields, the flow graph, the
/// depression fill, the models' grid-sized caches): every other allocation of the program, and
/// of the libraries it links (GDAL, OSG, MPI), is the C++ library's own. Results do not depend
/// on it; where the kernel refuses the hint the pages are ordinary ones.

#include <cstddef>
#include <vector>

namespace minetwin {

namespace grid_memory {
/// @p bytes with @p alignment (a power of two): 2 MiB aligned and marked for huge pages from
/// 2 MiB up, else from the global operator new. Throws std::bad_alloc.
void* allocate(std::size_t bytes, std::size_t alignment);
/// Frees what allocate(@p bytes, @p alignment) returned.
void deallocate(void* memory, std::size_t bytes, std::size_t alignment) noexcept;
}  // namespace grid_memory

/// A standard allocator on grid_memory; stateless, so every instance frees what another took.
template <class T>
struct GridAllocator {
  using value_type = T;
  GridAllocator() noexcept = default;
  template <class U>
  GridAllocator(const GridAllocator<U>&) noexcept {}  // NOLINT: rebinding, as std::allocator
  T* allocate(std::size_t count) {
    return static_cast<T*>(grid_memory::allocate(count * sizeof(T), alignof(T)));
  }
  void deallocate(T* memory, std::size_t count) noexcept {
    grid_memory::deallocate(memory, count * sizeof(T), alignof(T));
  }
  template <class U>
  bool operator==(const GridAllocator<U>&) const noexcept {
    return true;
  }
};

/// A grid-sized array (cells, layers × cells, the flow order).
template <class T>
using GridVector = std::vector<T, GridAllocator<T>>;

namespace grid_memory {
/// Writes zeros over @p bytes of fresh storage in pieces of a huge page on all the run's threads.
/// The kernel zeroes each new page on its first write: on this project's virtual machines that
/// costs 0.13-1.3 s per GB, one thread's time where a vector's constructor is the first writer.
void first_touch(void* memory, std::size_t bytes);
}  // namespace grid_memory

/// @p count copies of @p value, the memory first touched on all threads (grid_memory::first_touch):
/// for a large array that a serial constructor would otherwise fault in page by page.
template <class T>
GridVector<T> touched_grid_vector(std::size_t count, T value) {
  GridVector<T> values;
  values.reserve(count);
  grid_memory::first_touch(values.data(), count * sizeof(T));  // raw storage: no objects yet
  values.assign(count, value);
  return values;
}

}  // namespace minetwin
