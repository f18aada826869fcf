#pragma once
/// @file
/// @brief Keeps freed memory in the process for reuse (glibc malloc settings). The grid-sized
/// arrays' huge pages are engine/grid/grid_memory.hpp's, scoped to those arrays.
///
/// A simulated year allocates and frees grid-sized scratch (the flow graph, the depression fill,
/// per-pass buffers) of the same sizes every year. By default glibc serves each allocation above
/// a dynamic threshold (at most 32 MiB) with a fresh mmap and returns it to the system on free,
/// so every year pays the kernel again to fault in and zero those pages. On the virtual machines
/// the project runs on a page fault is expensive: a terrain + erosion year on 1024^2 took
/// 450-580 ms with the default and 272-278 ms with the memory kept (docs/development.md,
/// "Memory reuse"). Peak memory is unchanged: the process keeps what it had already used.

namespace minetwin {

/// Serves large allocations from the heap and never trims it (once per process; later calls do
/// nothing). Results do not depend on it. No effect where the C library is not glibc.
void keep_freed_memory_for_reuse();

}  // namespace minetwin
