// The schema as numbered migrations, applied in order and recorded in schema_migrations. Versions
// need not be contiguous, and one missing below the newest applied (a branch merged later) is
// still applied: migrations must therefore not depend on those with higher numbers. SQL kept
// portable between SQLite and PostgreSQL (an implementation may map types it needs to).
#pragma once

#include <span>
#include <string_view>

namespace cartable {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

std::span<const Migration> migrations();

}  // namespace cartable
