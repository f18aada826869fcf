#pragma once
/// @file
/// @brief The simulation's calendar: 365-day years of twelve months (no 29 February), as the
/// monthly forcing, the PET estimate and the daily rainfall use it.

namespace minetwin {

inline constexpr int kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
inline constexpr int kMostDaysInMonth = 31;

}  // namespace minetwin
