#include "engine/core/memory_reuse.hpp"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace minetwin {

void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    constexpr int kOneGibibyte = 1 << 30;
    mallopt(M_MMAP_THRESHOLD, kOneGibibyte);  // allocations up to this size: from the heap
    mallopt(M_TRIM_THRESHOLD, kOneGibibyte);  // free heap kept unless this much is idle
  });
#endif
}

}  // namespace minetwin
