#pragma once
/// @file
/// @brief MINETWIN_WIDE_VECTORS: a function attribute for the cell loops that the compiler
/// vectorises. On x86-64 with GCC the function is also built for AVX2 (4 doubles a vector
/// instead of SSE2's 2) and the build chosen when the program loads, where the processor has it.
/// AVX2 without FMA: every operation rounds as in the SSE2 build, so results are the same bits on
/// any x86-64 machine (checked on the demo run).
///
/// MINETWIN_WIDEST_VECTORS adds an AVX-512 build (x86-64-v4: 32 vector registers, for loops that
/// spill 16). x86-64-v4 includes FMA, so the file must be compiled with -ffp-contract=off, or GCC
/// would contract a multiply and an add there and change the bits against the other builds.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MINETWIN_WIDE_VECTORS [[gnu::target_clones("avx2", "default")]]
#define MINETWIN_WIDEST_VECTORS [[gnu::target_clones("arch=x86-64-v4", "avx2", "default")]]
#else
#define MINETWIN_WIDE_VECTORS
#define MINETWIN_WIDEST_VECTORS
#endif
