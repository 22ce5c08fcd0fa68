// Averages (French convention, absent and excused left out) and the CSV export's cells and file
// names.
#include <gtest/gtest.h>

#include <vector>

#include "common/csv.hpp"
#include "grades/averages.hpp"
#include "grades/csv_export.hpp"

namespace cartable::grades {
namespace {

TEST(GradeAverages, MarksArePutOnTwenty) {
  EXPECT_DOUBLE_EQ(on_twenty(7.5, 10), 15);
  EXPECT_DOUBLE_EQ(on_twenty(12, 20), 12);
  EXPECT_DOUBLE_EQ(on_twenty(40, 50), 16);
  EXPECT_DOUBLE_EQ(on_twenty(0, 20), 0);
}

TEST(GradeAverages, SubjectAverageWeighsByCoefficient) {
  // 10/20 coefficient 1 and 8/10 (16/20) coefficient 2: (10 + 32) / 3 = 14.
  const std::vector<WeightedMark> marks{{10, 20, 1}, {8, 10, 2}};
  EXPECT_DOUBLE_EQ(*subject_average(marks), 14);
  const std::vector<WeightedMark> halves{{15, 20, 0.5}, {5, 20, 1.5}};
  EXPECT_DOUBLE_EQ(*subject_average(halves), 7.5);
}

TEST(GradeAverages, NoGradedMarkMeansNoAverage) {
  EXPECT_FALSE(subject_average({}).has_value());
  EXPECT_FALSE(overall_average({}).has_value());
  EXPECT_FALSE(mean({}).has_value());
}

TEST(GradeAverages, OverallIsTheMeanOfSubjectAverages) {
  // A subject with many marks weighs no more than one with a single mark.
  const std::vector<double> subjects{12, 16, 11};
  EXPECT_DOUBLE_EQ(*overall_average(subjects), 13);
}

TEST(GradeAverages, RoundingToHundredthsRoundsHalvesUp) {
  EXPECT_DOUBLE_EQ(round_to_hundredths(12.345), 12.35);
  EXPECT_DOUBLE_EQ(round_to_hundredths(12.344), 12.34);
  EXPECT_DOUBLE_EQ(round_to_hundredths(14.0 / 3), 4.67);
  EXPECT_DOUBLE_EQ(round_to_hundredths(20), 20);
}

TEST(GradeCsv, PlainCellsAreLeftAlone) {
  EXPECT_EQ(csv_cell("Martin"), "Martin");
  EXPECT_EQ(csv_cell("Rivière"), "Rivière");
  EXPECT_EQ(csv_cell(""), "");
  EXPECT_EQ(csv_cell("12.5"), "12.5");
}

TEST(GradeCsv, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(csv_cell("Dupont, Jean"), "\"Dupont, Jean\"");
  EXPECT_EQ(csv_cell("le \"grand\" contrôle"), "\"le \"\"grand\"\" contrôle\"");
  EXPECT_EQ(csv_cell("deux\nlignes"), "\"deux\nlignes\"");
  EXPECT_EQ(csv_row({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

TEST(GradeCsv, FormulaLeadersAreNeutralised) {
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_cell("+33 6"), "'+33 6");
  EXPECT_EQ(csv_cell("-Marie"), "'-Marie");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("\tx"), "'\tx");
  EXPECT_EQ(csv_cell("Anne-Marie"), "Anne-Marie");  // only a leading sign matters
}

TEST(GradeCsv, DecimalsAreShortAndExact) {
  EXPECT_EQ(format_decimal(20), "20");
  EXPECT_EQ(format_decimal(12.5), "12.5");
  EXPECT_EQ(format_decimal(13.75), "13.75");
  EXPECT_EQ(format_decimal(14.0 / 3), "4.67");
  EXPECT_EQ(format_decimal(0), "0");
}

}  // namespace
}  // namespace cartable::grades
