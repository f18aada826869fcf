#include "engine/core/ledger.hpp"

#include <algorithm>
#include <cmath>

namespace minetwin {

void Ledger::open(double storage) {
  storage_start_ = storage;
  storage_end_ = storage;
  residual_ = 0.0;
  inputs_.clear();
  outputs_.clear();
}

void Ledger::add_input(const std::string& flux, double amount) {
  inputs_[flux] += amount;
}
void Ledger::add_output(const std::string& flux, double amount) {
  outputs_[flux] += amount;
}

double Ledger::inputs() const {
  double sum = 0.0;
  for (const auto& [name, amount] : inputs_) sum += amount;
  return sum;
}

double Ledger::outputs() const {
  double sum = 0.0;
  for (const auto& [name, amount] : outputs_) sum += amount;
  return sum;
}

double Ledger::close(double storage) {
  storage_end_ = storage;
  residual_ = storage_end_ - storage_start_ - inputs() + outputs();
  return residual_;
}

double Ledger::relative_residual() const {
  const double scale = std::max({std::abs(storage_start_), std::abs(storage_end_),
                                 std::abs(inputs()), std::abs(outputs()), 1e-300});
  return std::abs(residual_) / scale;
}

}  // namespace minetwin
