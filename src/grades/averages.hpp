// Averages of marks, French style: every mark is put on /20, a subject's average weighs each mark
// by its evaluation's coefficient, and the overall average is the plain mean of the subject
// averages (a collège gives its subjects no coefficients). Absent and excused marks have no value
// and count for nothing: they are neither a zero nor part of the divisor. Pure functions, no
// rounding (the caller rounds for display with round_to_hundredths).
#pragma once

#include <optional>
#include <span>

namespace cartable::grades {

// One graded mark with what it needs to be averaged. `out_of` and `coefficient` are positive.
struct WeightedMark {
  double value = 0;
  double out_of = 20;
  double coefficient = 1;
};

// `value` out of `out_of`, scaled to out of 20.
double on_twenty(double value, double out_of);

// The coefficient-weighted mean of the marks on /20; nullopt when there is none.
std::optional<double> subject_average(std::span<const WeightedMark> marks);

// The mean of the subject averages given; nullopt when there is none.
std::optional<double> overall_average(std::span<const double> subject_averages);

// The plain mean of values on one scale (a class's marks in one evaluation); nullopt when empty.
std::optional<double> mean(std::span<const double> values);

// Rounded to two decimals, halves away from zero (12.345 -> 12.35), for display.
double round_to_hundredths(double value);

}  // namespace cartable::grades
