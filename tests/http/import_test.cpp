// `cartable import` end to end: a good file imports, the same file again changes nothing, a file
// with errors reports every bad line and writes nothing, and imported people can sign in.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include "test_server.hpp"

#ifndef CARTABLE_SOURCE_DIR
#define CARTABLE_SOURCE_DIR "."
#endif

namespace cartable::testing {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string output;
};

CommandResult run_cartable(const std::string& arguments) {
  const std::string command = std::string(CARTABLE_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  CommandResult result;
  char chunk[512];
  while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) {
    result.output += chunk;
  }
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class Import : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cartable-import-XXXXXX";
    directory_ = ::mkdtemp(pattern);
  }
  void TearDown() override { fs::remove_all(directory_); }
  std::string data() const { return "--data " + (directory_ / "data").string(); }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = directory_ / name;
    std::ofstream(file) << text;
    return file.string();
  }

  fs::path directory_;
};

const std::string kExample = std::string(CARTABLE_SOURCE_DIR) + "/docs/examples/roster.csv";
const std::string kCheapHash = " --argon2-ops 1 --argon2-mem-kib 64";

TEST_F(Import, AGoodFileImportsAndAgainChangesNothing) {
  const CommandResult first = run_cartable("import " + kExample + " " + data() + kCheapHash);
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("Imported:"), std::string::npos) << first.output;
  const CommandResult second = run_cartable("import " + kExample + " " + data() + kCheapHash);
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_NE(second.output.find("nothing changed"), std::string::npos) << second.output;
}

TEST_F(Import, AFileWithErrorsReportsEveryLineAndWritesNothing) {
  const std::string bad = write("bad.csv",
                                "school,0751234A,Collège Test,Europe/Paris\n"
                                "class,0751234A,6A,6e A\n"
                                "pupil,lea.b,0751234A,6Z,Léa,B,\n"
                                "teacher,t.one,NOWHERE,Tom,One,\n"
                                "pupil,,0751234A,6A,X,Y,\n");
  const CommandResult result = run_cartable("import " + bad + " " + data() + kCheapHash);
  EXPECT_EQ(result.status, 1);
  for (const char* line : {":3:", ":4:", ":5:"}) {
    EXPECT_NE(result.output.find(line), std::string::npos) << line << "\n" << result.output;
  }
  EXPECT_NE(result.output.find("nothing was imported"), std::string::npos);
  // Nothing was written: the valid school and class of that file are not there either, so a file
  // that needs them fails to import.
  const std::string needs_class =
      write("needs.csv", "pupil,lea.b,0751234A,6A,Léa,B,secret-password\n");
  EXPECT_EQ(run_cartable("import " + needs_class + " " + data() + kCheapHash).status, 1);
}

TEST_F(Import, AnUnknownTimeZoneIsRefused) {
  const std::string file = write("zone.csv", "school,0751234A,Collège Test,Europe/Atlantis\n");
  const CommandResult result = run_cartable("import " + file + " " + data() + kCheapHash);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.output.find("Europe/Atlantis"), std::string::npos) << result.output;
}

TEST_F(Import, AMissingFileIsAClearError) {
  const CommandResult result =
      run_cartable("import " + (directory_ / "absent.csv").string() + " " + data());
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.output.find("absent.csv"), std::string::npos);
}

}  // namespace
}  // namespace cartable::testing
