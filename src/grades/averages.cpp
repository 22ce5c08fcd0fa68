#include "grades/averages.hpp"

#include <cmath>

namespace cartable::grades {

double on_twenty(double value, double out_of) {
  return value / out_of * 20.0;
}

std::optional<double> subject_average(std::span<const WeightedMark> marks) {
  double weighted_sum = 0;
  double weights = 0;
  for (const WeightedMark& mark : marks) {
    weighted_sum += on_twenty(mark.value, mark.out_of) * mark.coefficient;
    weights += mark.coefficient;
  }
  if (weights <= 0) {
    return std::nullopt;
  }
  return weighted_sum / weights;
}

std::optional<double> overall_average(std::span<const double> subject_averages) {
  return mean(subject_averages);
}

std::optional<double> mean(std::span<const double> values) {
  if (values.empty()) {
    return std::nullopt;
  }
  double sum = 0;
  for (const double value : values) {
    sum += value;
  }
  return sum / static_cast<double>(values.size());
}

double round_to_hundredths(double value) {
  // The small nudge makes decimal halves that binary cannot hold exactly (12.345 is stored as
  // 12.3449999...) round as a person expects.
  const double scaled = value * 100.0;
  return std::round(scaled + std::copysign(1e-7, scaled)) / 100.0;
}

}  // namespace cartable::grades
