#pragma once
/// @file
/// @brief Fields of the rockfall model, shared by its component and its measures.

#include "models/fields.hpp"

namespace minetwin::hazards {

inline constexpr TypedFieldSpec<float> kBarrierCapacity{
    "rockfall__barrier_capacity",
    "kJ",
    Location::cell,
    Intent::inout,
    ElementType::float32,
    false,
    "energy a catch bench or barrier on the cell absorbs; a block with more passes, slowed "
    "(0: none)"};
inline constexpr TypedFieldSpec<float> kProtected{
    "rockfall__protected",
    "1",
    Location::cell,
    Intent::inout,
    ElementType::float32,
    false,
    "1 on cells the scenario protects (roads, buildings)"};
inline constexpr TypedFieldSpec<float> kReachProbability{
    "hazard_rockfall__reach_probability",
    "1",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "share of the released blocks that passed over the cell"};
inline constexpr TypedFieldSpec<float> kMaxEnergy{
    "hazard_rockfall__max_energy",
    "kJ",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "largest kinetic energy of a block over the cell"};
inline constexpr TypedFieldSpec<float> kMaxHeight{
    "hazard_rockfall__max_passing_height",
    "m",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "largest height of a block's base above the ground over the cell"};
inline constexpr TypedFieldSpec<float> kHazardClass{
    "hazard_rockfall__class",
    "1",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "rockfall hazard: 0 none, 1 low, 2 medium, 3 high (reach probability x energy matrix)"};
inline constexpr TypedFieldSpec<float> kSource{
    "hazard_rockfall__source",
    "1",
    Location::cell,
    Intent::out,
    ElementType::float32,
    true,
    "1 where blocks were released in the last hazard year"};

}  // namespace minetwin::hazards
