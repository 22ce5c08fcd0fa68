// A failure of something the server depends on (the database, later Redis). `transient` ones
// (busy, locked, disk full, I/O error) mean "not now": the service answers 503 with Retry-After,
// and nothing is half-written (a failed write rolls back). The others are bugs or corruption: 500.
#pragma once

#include <stdexcept>
#include <string>

namespace cartable {

class DependencyError : public std::runtime_error {
 public:
  DependencyError(const std::string& what, bool transient)
      : std::runtime_error(what), transient_(transient) {}
  bool transient() const { return transient_; }

 private:
  bool transient_;
};

}  // namespace cartable
